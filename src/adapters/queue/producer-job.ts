/**
 * What goes on the interchange (ingest) queue: the job's name, data schema, stable id, and the
 * Redis keys of the arrival sequence. The data is a superset of the ingest worker's
 * `{ seq, name, payload }` (src/app/queue/ingest-input.ts), so that worker reads it unchanged.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const INTERCHANGE_JOB_NAME = 'interchange';
export const DEFAULT_QUEUE_NAME = 's321-interchanges';

export const InterchangeJobDataSchema = z.object({
  /** Arrival sequence: 1, 2, … without gaps across all producers of the queue (Redis). */
  seq: z.number().int().positive(),
  /** The file name the input arrived under. */
  name: z.string().min(1),
  /** The raw interchange, base64 (job data is JSON; EDI may hold any byte). */
  payload: z.string(),
  /** Schema version of the extra fields below. */
  v: z.literal(1),
  partnerId: z.string(),
  /** Hex SHA-256 of the raw bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  enqueuedAt: z.string(),
});
export type InterchangeJobData = z.infer<typeof InterchangeJobDataSchema>;

/** The raw bytes of a job, checked against its recorded size and hash. */
export function decodeInterchangePayload(data: InterchangeJobData): Buffer {
  const bytes = Buffer.from(data.payload, 'base64');
  if (bytes.length !== data.size || sha256Hex(bytes) !== data.sha256) {
    throw new Error(`interchange job ${data.name}: payload does not match its size/sha256`);
  }
  return bytes;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stable job id: the same partner sending the same bytes gets the same id. `ic-` + hex: never an
 * integer, never a ':' (BullMQ rejects both).
 */
export function interchangeJobId(partnerId: string, contentSha256: string): string {
  return `ic-${createHash('sha256').update(partnerId).update('\u0000').update(contentSha256).digest('hex')}`;
}

/** Redis key of the arrival counter; outside BullMQ's key space, so cleaning a queue never resets it. */
export function arrivalSequenceKey(prefix: string, queueName: string): string {
  return `s321:${prefix}:${queueName}:arrival-seq`;
}

/** Redis hash remembering which sequence a job id got (fields seq, added), for the dedupe window. */
export function arrivalMarkerKey(prefix: string, queueName: string, jobId: string): string {
  return `s321:${prefix}:${queueName}:arrival:${jobId}`;
}
