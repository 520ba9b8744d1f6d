/**
 * Shared plumbing of the queue workers: one BullMQ Worker with our settings, a final-failure hook
 * also for jobs failed outside the processor (stalled too often), and an orderly close: the worker
 * stops taking jobs and finishes the ones in hand (BullMQ's worker.close()), then the connections go.
 */
import { type Job, type Processor, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
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
    prefix: settings.bullPrefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
    ...(settings.workerName !== undefined ? { name: settings.workerName } : {}),
  });
  worker.on('error', (err) => logger.error({ queue, reason: reasonOf(err) }, 'worker error'));
  worker.on('failed', (job, err) => {
    // The processor dead-letters its own final failures; this catches the ones it never saw (a job
    // that stalled more often than allowed). The event also fires for attempts that will be retried
    // (with attemptsMade already counted), so the job's state decides. Dead-lettering is idempotent.
    if (job === undefined || onFinalFailure === undefined) return;
    job
      .getState()
      .then(async (state) => {
        if (state === 'failed') await onFinalFailure(job, reasonOf(err));
      })
      .catch((e: unknown) => logger.error({ jobId: job.id, reason: reasonOf(e) }, 'dead-lettering failed'));
  });
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
