/**
 * Queue mode's BullMQ queues and job ids. Job ids are stable (a retried ingest re-adds the same
 * parts under the same ids, which BullMQ ignores while they exist), never contain ':' and are never
 * plain integers (dependencies.md: both break BullMQ). Ids are a convenience, not the idempotency:
 * once a finished job is removed its id can run again, and the store's ordered gate is what makes
 * a second run of a part apply nothing.
 */
export interface QueueTopology {
  /** Raw inputs (one job per arrival sequence), filled by the producer. */
  ingest: string;
  /** Parts of ingested inputs: events to apply in arrival order. */
  aggregate: string;
  /** Triggers of the outbound emitter. */
  emit: string;
  /** Inputs and parts that failed for good, with payload and reason (no worker: operators read it). */
  deadLetter: string;
  /**
   * Partitioned mode: the parts of partition `p` (the aggregate queue then holds input parts to
   * route).
   */
  partition(p: number): string;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** `base` is config.redis.queueName (the producer's queue); the others are derived from it. */
export function queueTopology(base: string): QueueTopology {
  if (!NAME.test(base)) throw new Error(`queue name "${base}": expected 1-64 chars of A-Z a-z 0-9 . _ -`);
  return {
    ingest: base,
    aggregate: `${base}-aggregate`,
    emit: `${base}-emit`,
    deadLetter: `${base}-dead-letter`,
    partition: (p) => `${base}-aggregate-p${p}`,
  };
}

export const jobIds = {
  ingest: (seq: number): string => `ing-${seq}`,
  part: (seq: number, part: number): string => `agg-${seq}-${part}`,
  /** The empty part that closes a sequence whose ingest or part failed for good. */
  closing: (seq: number, part: number): string => `agg-${seq}-${part}-closed`,
  emitAfter: (seq: number, part: number): string => `emit-${seq}-${part}`,
  /** The emit trigger after part (seq, part) of partition `p` produced decisions. */
  emitAfterPartition: (p: number, seq: number, part: number): string => `emit-p${p}-${seq}-${part}`,
  /** The emit trigger after the acknowledgments of input `seq` were recorded. */
  emitAcks: (seq: number): string => `emit-ack-${seq}`,
  deadLetter: (queue: string, jobId: string): string => `dlq-${queue}-${jobId}`,
};

/** Retries with exponential backoff for adapter faults (Redis, disk); bad input fails at once. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 1_000 };

export function retryJobOptions(retry: RetryPolicy): {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
} {
  return { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs } };
}

/**
 * Finished jobs are kept for a while (for operators and so a re-added id is still ignored) and then
 * trimmed; correctness does not depend on them.
 */
export const KEEP_FINISHED = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/**
 * Aggregate parts are removed once applied: each carries up to 5000 events (a few MB of JSON), and
 * what an applied part did is in the store (its outcome record, kept 7 days), which is what
 * exactly-once relies on; a re-added part id is a no-op at the gate. Kept like other jobs (1 day,
 * 10,000), finished parts were the largest thing in Redis at 1M–4M shipments. A failed part stays
 * (7 days) beside its dead-letter entry.
 */
export const PART_RETENTION = {
  removeOnComplete: true,
  removeOnFail: KEEP_FINISHED.removeOnFail,
} as const;

/**
 * BullMQ's key prefix for `queue`. BullMQ's scripts touch several keys of a queue at once, which a
 * Redis Cluster allows only within one hash slot; BullMQ's cluster guide asks for a prefix with a
 * {hash tag}, one per queue so the queues spread over the masters. On a cluster a queue's keys are
 * therefore `<prefix>:{<queue>}:<queue>:…` (the producer's arrival keys, `s321:<that prefix>:…`,
 * share the tag). A single Redis keeps the plain `<prefix>:<queue>:…` every deployment already
 * has: adding a cluster is a new deployment (its keys start empty), not a migration of one.
 */
export function bullQueuePrefix(
  settings: { bullPrefix: string; redis: { cluster?: readonly string[] } },
  queue: string,
): string {
  return settings.redis.cluster === undefined ? settings.bullPrefix : `${settings.bullPrefix}:{${queue}}`;
}
