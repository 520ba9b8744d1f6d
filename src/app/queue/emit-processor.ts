/**
 * The emit job: turns pending decisions into outbound files with the embedded mode's emitter
 * (src/app/emit-outbound.ts) on the Redis store. One emitter at a time (a lease); a trigger that
 * finds the lease taken comes back shortly, so decisions committed while another emitter ran are
 * not left pending.
 */
import { DelayedError, type Job } from 'bullmq';
import type { Lease } from '../../adapters/queue/redis-lock.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { EmitJobData } from './job-data.js';

export interface EmitDeps {
  tryLease: () => Promise<Lease | undefined>;
  /** Emits everything pending (and rewrites files a crash left recorded but unwritten). */
  emit: () => Promise<{ files: number }>;
  logger: AdapterLogger;
}

export interface EmitJobResult {
  files: number;
}

export function createEmitProcessor(deps: EmitDeps) {
  return async (job: Job<EmitJobData, EmitJobResult>, token?: string): Promise<EmitJobResult> => {
    const lease = await deps.tryLease();
    if (lease === undefined) {
      await job.moveToDelayed(Date.now() + 500, token);
      throw new DelayedError();
    }
    try {
      const { files } = await deps.emit();
      deps.logger.info({ files, after: job.data }, 'outbound emitted');
      return { files };
    } finally {
      await lease.release();
    }
  };
}
