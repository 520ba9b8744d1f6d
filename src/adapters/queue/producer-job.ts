/**
 * What goes on the interchange queue: the job's name, data schema (the worker validates it with the
 * same schema), its stable id, and the Redis key of the arrival sequence.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const INTERCHANGE_JOB_NAME = 'interchange';
export const DEFAULT_QUEUE_NAME = 's321-interchanges';

export const InterchangeJobDataSchema = z.object({
  /** Schema version of this payload. */
  v: z.literal(1),
  partnerId: z.string(),
  fileName: z.string(),
  /** Hex SHA-256 of the raw bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  /** Arrival order across all producers of this queue (Redis INCR); gaps are normal. */
  sequence: z.number().int().positive(),
  enqueuedAt: z.string(),
  /** The raw interchange, base64 (job data is JSON; EDI may hold any byte). */
  payloadBase64: z.string(),
});
export type InterchangeJobData = z.infer<typeof InterchangeJobDataSchema>;

/** The raw bytes of a job, checked against its recorded size and hash. */
export function decodeInterchangePayload(data: InterchangeJobData): Buffer {
  const bytes = Buffer.from(data.payloadBase64, 'base64');
  if (bytes.length !== data.size || sha256Hex(bytes) !== data.sha256) {
    throw new Error(`interchange job ${data.fileName}: payload does not match its size/sha256`);
  }
  return bytes;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stable job id: the same partner sending the same bytes gets the same id, so BullMQ refuses the
 * duplicate while the first job is kept. `ic-` + hex: never an integer, never a ':' (BullMQ rejects both).
 */
export function interchangeJobId(partnerId: string, contentSha256: string): string {
  return `ic-${createHash('sha256').update(partnerId).update('\u0000').update(contentSha256).digest('hex')}`;
}

/** Redis key of the arrival counter; outside BullMQ's key space, so cleaning a queue never resets it. */
export function arrivalSequenceKey(prefix: string, queueName: string): string {
  return `s321:${prefix}:${queueName}:arrival-seq`;
}
