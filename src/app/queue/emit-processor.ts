/**
 * The emit job: turns pending decisions into outbound files with the embedded mode's emitter
 * (src/app/emit-outbound.ts) on the Redis store. One emitter at a time (a lease, renewed while
 * held); a trigger that finds the lease taken comes back shortly, so decisions committed while
 * another emitter ran are not left pending. Waiting longer than `stallWarnMs` is logged as a
 * stall, naming the holder, and again every `stallWarnMs` while it lasts: acknowledgments and
 * outbound files are held back meanwhile, and an operator must be able to see it.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Lease } from '../../adapters/queue/redis-lock.js';
import type { AdapterLogger } from '../../config/logger.js';
import { faultPoint } from '../fault-points.js';
import type { EmitJobData } from './job-data.js';

export interface EmitDeps {
  tryLease: () => Promise<Lease | undefined>;
  /** Who holds the lease now (for the stall warning). */
  leaseHolder?: () => Promise<{ holder: string; ttlMs: number } | undefined>;
  /** Emits everything pending (and rewrites files a crash left recorded but unwritten). */
  emit: () => Promise<{ files: number }>;
  logger: AdapterLogger;
  /** Default 5 s. */
  stallWarnMs?: number;
  /** Default Date.now. */
  now?: () => number;
}

export interface EmitJobResult {
  files: number;
}

export const EMIT_RETRY_MS = 500;

export function createEmitProcessor(deps: EmitDeps) {
  const now = deps.now ?? Date.now;
  const stallWarnMs = deps.stallWarnMs ?? 5_000;
  let waitingSince: number | undefined;
  let lastWarned = 0;
  return async (job: Job<EmitJobData, EmitJobResult>, token?: string): Promise<EmitJobResult> => {
    const lease = await deps.tryLease();
    if (lease === undefined) {
      const t = now();
      waitingSince ??= t;
      if (t - waitingSince >= stallWarnMs && t - lastWarned >= stallWarnMs) {
        lastWarned = t;
        const held = await deps.leaseHolder?.().catch(() => undefined);
        deps.logger.warn(
          { waitingMs: t - waitingSince, holder: held?.holder, leaseTtlMs: held?.ttlMs },
          'emit stalled: another emitter holds the emit lease; acknowledgments and outbound files wait',
        );
      }
      await job.moveToDelayed(t + EMIT_RETRY_MS, token);
      throw new DelayedError();
    }
    if (waitingSince !== undefined) {
      deps.logger.info({ waitedMs: now() - waitingSince }, 'emit lease taken over');
      waitingSince = undefined;
      lastWarned = 0;
    }
    try {
      faultPoint('emit-lease-held');
      const { files } = await deps.emit();
      deps.logger.info({ files, after: job.data }, 'outbound emitted');
      return { files };
    } finally {
      await lease.release();
    }
  };
}
