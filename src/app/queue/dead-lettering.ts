/**
 * Failures of queue jobs. A Redis connection fault puts the job back without using up a try. A job
 * that fails for good (bad input at once, another fault after its retries) goes to the dead-letter
 * queue with its payload and reason (startBullWorker calls the handler), and its arrival sequence is
 * closed with an empty part carrying that reason, so the ordered gate never waits for it. Both
 * steps use fixed job ids: running them twice (a crash in between, the `failed` event after the
 * processor already did it) adds nothing.
 */
import { DelayedError, type Job, UnrecoverableError, WaitingChildrenError } from 'bullmq';
import type { DeadLetterEntry } from '../../adapters/queue/dead-letter.js';
import type { AdapterLogger } from '../../config/logger.js';
import { codeSpec, registryCodeOf } from '../../core/errors/registry.js';

/** Errors that are control flow, not failures. */
export function isControlFlow(err: unknown): boolean {
  return (
    err instanceof DelayedError ||
    err instanceof WaitingChildrenError ||
    (err instanceof Error && err.name === 'DelayedError')
  );
}

/**
 * Whether no retry can help: BullMQ's own UnrecoverableError, or an error carrying a registry code
 * whose spec says `retryable: false` (bad job data, a refused input). The registry decides, not the
 * error's class.
 */
export function isUnrecoverable(err: unknown): boolean {
  if (err instanceof UnrecoverableError || (err instanceof Error && err.name === 'UnrecoverableError'))
    return true;
  const code = registryCodeOf(err);
  return code !== undefined && !codeSpec(code).retryable;
}

/** Whether this failure is the job's last (no retry will follow). */
export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, err: unknown): boolean {
  return isUnrecoverable(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

const CONNECTION_FAULT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Connection is closed|Stream isn't writeable|LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MaxRetriesPerRequest/;

/**
 * Redis itself unreachable or restarting: not the job's fault. Such a failure must not use up the
 * job's tries — a part dead-lettered during a long Redis outage would lose its decisions.
 */
export function isConnectionFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'MaxRetriesPerRequestError' ||
    CONNECTION_FAULT.test(err.message) ||
    CONNECTION_FAULT.test(err.name)
  );
}

/** Delay before a job that met its n-th connection fault in a row is tried again: 0.5 s doubling to 30 s. */
export function connectionFaultDelayMs(faults: number): number {
  return Math.min(500 * 2 ** Math.min(Math.max(faults - 1, 0), 6), 30_000);
}

/** Jobs whose connection faults in a row one process remembers (the oldest are forgotten first). */
const FAULTS_REMEMBERED = 10_000;

export function reasonOf(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export type FinalFailureHandler<D> = (job: Job<D>, reason: string) => Promise<void>;

/**
 * Wraps a processor so its errors say what should happen next: a Redis connection fault puts the job
 * back without using up a try; bad input becomes an UnrecoverableError (no retry); anything else is
 * retried by BullMQ with backoff. Dead-lettering is NOT done here but once BullMQ has marked the job
 * failed (startBullWorker): a processor can fail after its lock expired while another worker already
 * runs the job again, and closing the job's position then would race with that run and drop its
 * events. Only the lock holder can move a job to failed, so a failed job is one nobody runs.
 */
export function withFailurePolicy<D, R>(
  processor: (job: Job<D, R>, token?: string, signal?: AbortSignal) => Promise<R>,
  logger: AdapterLogger,
): (job: Job<D, R>, token?: string, signal?: AbortSignal) => Promise<R> {
  // Connection faults in a row per job, which the delay grows with. Not job.attemptsStarted: that
  // also counts every time an ordered part gave its slot back to wait for its turn, so a part (or a
  // routed input whose partition parts were not dispatched yet, which holds every partition) that
  // had waited 7 times was put back for 30 s on its first fault, and the gates stood still that
  // long after a Redis restart. Per process: a job another process ran in between starts again
  // from 0.5 s, which only shortens a wait.
  const faults = new Map<string, number>();
  return async (job, token, signal) => {
    const id = job.id ?? '';
    try {
      const result = await processor(job, token, signal);
      faults.delete(id);
      return result;
    } catch (err) {
      if (!isConnectionFault(err) || isControlFlow(err)) faults.delete(id);
      if (isControlFlow(err)) throw err;
      const reason = reasonOf(err);
      if (isConnectionFault(err)) {
        const n = (faults.get(id) ?? 0) + 1;
        faults.delete(id);
        faults.set(id, n);
        if (faults.size > FAULTS_REMEMBERED) faults.delete(faults.keys().next().value as string);
        // If Redis is still down this fails too: the job's lock runs out and the stalled-job check
        // runs it again once Redis is back.
        const delay = connectionFaultDelayMs(n);
        logger.warn({ jobId: job.id, reason, delay }, 'Redis unreachable: job put back');
        await job.moveToDelayed(Date.now() + delay, token);
        throw new DelayedError();
      }
      if (isFinalFailure(job, err))
        logger.error({ jobId: job.id, attempts: job.attemptsMade + 1, reason }, 'job failed for good');
      else
        logger.warn(
          { jobId: job.id, attempt: job.attemptsMade + 1, reason },
          'job failed; it will be retried',
        );
      if (isUnrecoverable(err) && !(err instanceof UnrecoverableError)) throw new UnrecoverableError(reason);
      throw err;
    }
  };
}

/**
 * A dead-letter entry for `job`. `attemptsMade`: tries so far — a failed job already counts its last
 * one (job.attemptsMade); a job still running (a rejected input) counts the current one too.
 */
export function deadLetterEntry(
  job: Pick<Job, 'id' | 'queueName' | 'data'>,
  fields: Omit<DeadLetterEntry, 'queue' | 'jobId' | 'failedAt' | 'payload'>,
  now: Date,
): DeadLetterEntry {
  return {
    ...fields,
    queue: job.queueName,
    jobId: job.id ?? 'unknown',
    failedAt: now.toISOString(),
    payload: job.data,
  };
}
