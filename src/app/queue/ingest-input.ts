/**
 * The raw input of an ingest job: its arrival sequence, its name and its bytes. The producer
 * (src/adapters/queue/producer.ts) writes a superset of `{ seq, name, payload }`; when its size and
 * SHA-256 are present they are checked, so a payload damaged on the way is refused, not parsed.
 */
import { z } from 'zod';
import { sha256Hex } from '../../adapters/queue/producer-job.js';
import { BadJobDataError } from './job-data.js';

export interface IngestInput {
  /** Arrival sequence issued by the producer (1, 2, …): the order inputs are applied in. */
  seq: number;
  /** The name the input arrived under (file name); it names the input in events and decisions. */
  name: string;
  bytes: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const IngestJobDataSchema = z.object({
  seq: z.number().int().positive(),
  name: z.string().min(1),
  /** The raw bytes, base64. */
  payload: z.string().regex(BASE64, 'payload must be base64'),
  size: z.number().int().nonnegative().optional(),
  sha256: z.string().optional(),
});
export type IngestJobData = z.infer<typeof IngestJobDataSchema>;

export function ingestJobData(seq: number, name: string, bytes: Uint8Array): IngestJobData {
  return { seq, name, payload: Buffer.from(bytes).toString('base64') };
}

export async function ingestInputOf(data: unknown): Promise<IngestInput> {
  const parsed = IngestJobDataSchema.safeParse(data);
  if (!parsed.success) throw new BadJobDataError(`ingest job data: ${z.prettifyError(parsed.error)}`);
  const { seq, name, payload, size, sha256 } = parsed.data;
  const bytes = Buffer.from(payload, 'base64');
  if (size !== undefined && bytes.length !== size)
    throw new BadJobDataError(`ingest job ${name}: payload is ${bytes.length} bytes, recorded size ${size}`);
  if (sha256 !== undefined && sha256Hex(bytes) !== sha256)
    throw new BadJobDataError(`ingest job ${name}: payload does not match its recorded SHA-256`);
  return { seq, name, bytes };
}
