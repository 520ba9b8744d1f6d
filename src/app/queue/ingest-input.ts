/**
 * The raw input of an ingest job: its arrival sequence, its name and its bytes.
 */
import { z } from 'zod';
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
});
export type IngestJobData = z.infer<typeof IngestJobDataSchema>;

export function ingestJobData(seq: number, name: string, bytes: Uint8Array): IngestJobData {
  return { seq, name, payload: Buffer.from(bytes).toString('base64') };
}

export async function ingestInputOf(data: unknown): Promise<IngestInput> {
  const parsed = IngestJobDataSchema.safeParse(data);
  if (!parsed.success) throw new BadJobDataError(`ingest job data: ${z.prettifyError(parsed.error)}`);
  return { seq: parsed.data.seq, name: parsed.data.name, bytes: Buffer.from(parsed.data.payload, 'base64') };
}
