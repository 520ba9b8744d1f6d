/**
 * Data of queue-mode jobs, checked when a worker takes a job: malformed data is bad input that no
 * retry can fix (the job fails at once into the dead-letter queue).
 */
import { z } from 'zod';
import type { ErrorCode } from '../../core/errors/registry.js';
import type { InterchangeEvents } from '../../ports/decision-store.js';
import type { PartitionPartData } from './apply-partition-part.js';

/** One part of an ingested input: the interchanges to apply at (seq, part). */
export interface PartJobData {
  seq: number;
  part: number;
  last: boolean;
  /** The input's name as received. */
  name: string;
  interchanges: InterchangeEvents[];
  /** Why the part carries nothing (rejected input, dead-lettered ingest or part). */
  reason?: string;
}

const InterchangeEnvelopeSchema = z.object({
  sender: z.string(),
  controlNumber: z.string(),
  fingerprint: z.string(),
  file: z.string(),
  // Events were produced by the ingest worker from the same code as embedded mode; only their
  // container is checked here (validating every event would cost more than applying it).
  events: z.array(
    z.object({ eventId: z.string(), kind: z.string(), bill: z.object({ key: z.string() }) }).loose(),
  ),
});

export const PartJobDataSchema = z.object({
  seq: z.number().int().positive(),
  part: z.number().int().nonnegative(),
  last: z.boolean(),
  name: z.string(),
  interchanges: z.array(InterchangeEnvelopeSchema.loose()),
  reason: z.string().optional(),
});

export function parsePartJob(data: unknown): PartJobData {
  const parsed = PartJobDataSchema.safeParse(data);
  if (!parsed.success) throw new BadJobDataError(`part job data: ${z.prettifyError(parsed.error)}`);
  return data as PartJobData;
}

/**
 * The empty part that closes the position of a part that failed for good (same `last`), so the parts
 * and inputs after it still apply; undefined when the failed job's position cannot be read.
 */
export function closingPartOf(data: Partial<PartJobData>, reason: string): PartJobData | undefined {
  if (typeof data.seq !== 'number' || typeof data.part !== 'number' || typeof data.last !== 'boolean')
    return undefined;
  return {
    seq: data.seq,
    part: data.part,
    last: data.last,
    name: data.name ?? '',
    interchanges: [],
    reason: `dead-lettered part: ${reason}`,
  };
}

export interface EmitJobData {
  /** The part whose commit produced decisions (for tracing; the emitter drains everything pending). */
  seq?: number;
  part?: number;
}

/** Job data no retry can fix. */
export class BadJobDataError extends Error {
  readonly code = 'QUEUE_BAD_JOB_DATA' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'BadJobDataError';
  }
}

const PartitionPartJobSchema = PartJobDataSchema.extend({
  partition: z.number().int().nonnegative(),
  arrivals: z
    .array(
      z.object({
        bill: z.string(),
        source: z.number().int().nonnegative(),
        sourcePart: z.number().int().nonnegative(),
        field: z.string(),
      }),
    )
    .optional(),
  departure: z
    .object({ bill: z.string(), target: z.number().int().nonnegative(), field: z.string() })
    .optional(),
});

/** A partition part's job data (partitioned queue mode, app/queue/apply-partition-part.ts). */
export function parsePartitionPartJob(data: unknown): PartitionPartData {
  const parsed = PartitionPartJobSchema.safeParse(data);
  if (!parsed.success) throw new BadJobDataError(`partition part job data: ${z.prettifyError(parsed.error)}`);
  return data as PartitionPartData;
}
