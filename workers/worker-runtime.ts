/**
 * Shared plumbing of the queue workers: one BullMQ Worker with our settings, a final-failure hook
 * also for jobs failed outside the processor (stalled too often), and an orderly close: the worker
 * stops taking jobs and finishes the ones in hand (BullMQ's worker.close()), then the connections go.
 */
import { type Job, type Processor, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { openShortLivedRedis } from '../src/adapters/queue/bullmq-connection.js';
import { bullQueuePrefix } from '../src/adapters/queue/queue-topology.js';
import {
  claimStorePartitions,
  describeStorePartitions,
} from '../src/adapters/store/redis/store-partitions.js';
import { reasonOf } from '../src/app/queue/dead-lettering.js';
import type { WorkerSettings } from '../src/app/queue/worker-settings.js';
import type { AdapterLogger } from '../src/config/logger.js';

export interface RunningWorker {
  readonly worker: Worker;
  /** Stops taking jobs, lets the jobs in hand finish, closes everything this worker opened. */
  close(): Promise<void>;
  /** Counters of the work done so far (for operators and throughput analysis). */
  stats(): Record<string, number>;
}

/**
 * The settings with the store's partition count settled (store-partitions.ts claimStorePartitions:
 * the recorded count; for a new namespace the setting, else the default, recorded now), logged
 * with where it came from. Throws StorePartitionsMismatchError on a setting the store refuses.
 */
export async function settlePartitions(
  settings: WorkerSettings,
  logger: AdapterLogger,
  name: string,
): Promise<WorkerSettings & { partitions: number }> {
  const client = openShortLivedRedis(settings.redis, name);
  try {
    const settled = await claimStorePartitions(client, settings.storeNamespace, settings.partitions);
    logger.info(
      { store: settings.storeNamespace, partitions: settled.partitions, source: settled.source },
      `store ${settings.storeNamespace}: ${describeStorePartitions(settled)}`,
    );
    return { ...settings, partitions: settled.partitions };
  } finally {
    await quitQuietly(client);
  }
}

export function startBullWorker<D, R>(
  queue: string,
  processor: Processor<D, R>,
  settings: WorkerSettings,
  connection: Redis,
  logger: AdapterLogger,
  onFinalFailure: ((job: Job<D, R>, reason: string) => Promise<void>) | undefined,
  cleanup: () => Promise<void>,
  stats: () => Record<string, number> = () => ({}),
): RunningWorker {
  const worker = new Worker<D, R>(queue, processor, {
    connection,
    prefix: bullQueuePrefix(settings, queue),
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    ...(settings.workerName !== undefined ? { name: settings.workerName } : {}),
  });
  worker.on('error', (err) => logger.error({ queue, reason: reasonOf(err) }, 'worker error'));
  // Dead-lettering happens here, once the job is really failed: its state is 'failed' only when its
  // lock holder (or the stalled-job check) moved it there, so no other worker runs it. The event also
  // fires for attempts that will be retried, hence the state check. The handler is idempotent.
  const deadLetter = (job: Job<D, R>, reason: string): void => {
    if (onFinalFailure === undefined) return;
    job
      .getState()
      .then(async (state) => {
        if (state === 'failed') await onFinalFailure(job, reason);
      })
      .catch((e: unknown) =>
        logger.error(
          { jobId: job.id, reason: reasonOf(e) },
          'dead-lettering failed; it is retried at the next start',
        ),
      );
  };
  worker.on('failed', (job, err) => {
    if (job !== undefined) deadLetter(job, reasonOf(err));
  });
  // A crash between a job's failure and its dead-lettering would leave its position open: at start,
  // the recent failed jobs are dead-lettered again (adding nothing for those already done).
  if (onFinalFailure !== undefined) {
    worker
      .waitUntilReady()
      .then(async () => {
        const failedJobs = new Queue(queue, { connection, prefix: bullQueuePrefix(settings, queue) });
        try {
          for (const job of await failedJobs.getFailed(0, 999))
            deadLetter(job as Job<D, R>, job.failedReason ?? 'failed');
        } finally {
          await failedJobs.close();
        }
      })
      .catch((e: unknown) =>
        logger.error({ queue, reason: reasonOf(e) }, 'could not look for failed jobs at start'),
      );
  }
  let closing: Promise<void> | undefined;
  return {
    worker,
    stats,
    close: () => {
      closing ??= (async () => {
        await worker.close();
        await cleanup();
      })();
      return closing;
    },
  };
}

/** Routes a queue's connection errors (Redis restarting) to the log instead of stderr noise. */
export function logQueueErrors<T extends { on(event: 'error', listener: (err: Error) => void): unknown }>(
  queue: T,
  name: string,
  logger: AdapterLogger,
): T {
  queue.on('error', (err) => logger.warn({ queue: name, reason: reasonOf(err) }, 'queue connection error'));
  return queue;
}

export async function quitQuietly(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
