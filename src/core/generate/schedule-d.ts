/**
 * Schedule D port → IATA airport table shipped with s321 (schemas/airports/schedule-d-airports.json,
 * imported as a module: no I/O). CAMIR lines name airports; manifests name Schedule D ports.
 * Partial by design; the file states its sources and limits.
 */
import { z } from 'zod';
import table from '../../../schemas/airports/schedule-d-airports.json' with { type: 'json' };

const TableSchema = z.object({
  version: z.string(),
  note: z.string(),
  source: z.record(z.string(), z.unknown()),
  ports: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ iata: z.string().regex(/^[A-Z]{3}$/), name: z.string() }),
  ),
});

export const SCHEDULE_D_AIRPORTS = TableSchema.parse(table);

/** IATA airport of a Schedule D port (3 or 4 digits; 417 and 0417 are the same port), or null. */
export function airportOfPort(port: string): string | null {
  if (!/^\d{3,4}$/.test(port)) return null;
  return SCHEDULE_D_AIRPORTS.ports[port.padStart(4, '0')]?.iata ?? null;
}
