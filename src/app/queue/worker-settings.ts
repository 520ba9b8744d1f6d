/**
 * What every queue-mode worker needs to know, with defaults chosen for this machine kind
 * (2 cores): where Redis is, which queues and store, and how jobs are run and retried.
 */
import type { RedisEndpoint } from '../../adapters/queue/bullmq-connection.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../../adapters/queue/queue-topology.js';
import type { RateTable } from '../../core/money/rate-table.js';

export interface WorkerSettings {
  redis: RedisEndpoint;
  /** BullMQ key prefix (config.redis.prefix). */
  bullPrefix: string;
  /** The producer's queue (config.redis.queueName); the other queues are named after it. */
  queueName: string;
  /** Decision store namespace in Redis (default: the queue name). */
  storeNamespace: string;
  /** Jobs one worker process runs at once. */
  concurrency: number;
  /** A job whose lock is not renewed for this long is taken to have stalled and is run again. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Stalls (a worker killed mid-job) a job survives before it fails. */
  maxStalledCount: number;
  retry: RetryPolicy;
  /** Recorded on every job this worker takes (BullMQ `processedBy`), for operators tracing a job. */
  workerName?: string;
  /**
   * Currency rate table of the ingest normalizers (config `currency.rateTablePath`); absent: USD
   * only, as `s321 replay` without `--rates`. Plain JSON, so settings pass to worker processes whole.
   */
  rates?: RateTable;
  /** Partner dialects of the ingest normalizers, `SENDER=NAME` (config `inbound.dialects`). */
  dialects?: string[];
  /** Express consignment carriers of the ingest normalizers (config `inbound.expressCarriers`). */
  expressCarriers?: string[];
  /**
   * Partitioned queue mode (issue #15): the aggregation state and its gate split into this many
   * partitions by consignee (config `redis.partitions`, `--partitions`); 0: one store, one gate.
   * Absent: the count the store recorded, or for a new store DEFAULT_PARTITIONS
   * (adapters/store/redis/store-partitions.ts). A store keeps the count it was created with.
   */
  partitions?: number;
}

export const WORKER_DEFAULTS = {
  concurrency: 1,
  lockDurationMs: 60_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 5,
  retry: DEFAULT_RETRY,
} as const;

export function workerSettings(
  base: Pick<WorkerSettings, 'redis' | 'queueName'> & Partial<WorkerSettings>,
): WorkerSettings {
  return {
    bullPrefix: 'bull',
    storeNamespace: base.queueName,
    ...WORKER_DEFAULTS,
    ...base,
  };
}
