/**
 * The aggregate job: applies one part of an input on the Redis store, in arrival order.
 *  - predecessor not applied yet: wait a little (woken by the store's gate announcements), then
 *    give the worker slot back by delaying the job, so parts waiting for a slow ingest cannot hold
 *    every slot while the part they wait for sits in the queue;
 *  - already applied (redelivery, crash after commit): the stored outcome, nothing applied again;
 *  - applied: a trigger for the emitter when the part produced decisions.
 */
import { DelayedError, type Job } from 'bullmq';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import type { OrderedResult, RedisDecisionStore } from '../../adapters/store/redis/redis-store.js';
import type { AdapterLogger } from '../../config/logger.js';
import { type PartJobData, parsePartJob } from './job-data.js';

export interface AggregateDeps {
  store: RedisDecisionStore;
  config: AggregationConfig;
  /** Adds an emit trigger (idempotent per id); absent: no emitter in this deployment. */
  triggerEmit?: (seq: number, part: number) => Promise<void>;
  /** How long a part waits for its predecessor before giving its slot back (default 2 s). */
  waitMs?: number;
  logger: AdapterLogger;
}

export interface PartJobResult {
  seq: number;
  part: number;
  status: 'applied' | 'already-applied';
  events: number;
  decisions: number;
  duplicates: number;
  reason?: string;
}

/** Delay before a part that gave its slot back is tried again: grows with each hand-back, 50 ms to 2 s. */
export function requeueDelayMs(timesStarted: number): number {
  return Math.min(50 * 2 ** Math.min(Math.max(timesStarted - 1, 0), 6), 2_000);
}

export function createAggregateProcessor(deps: AggregateDeps) {
  return async (job: Job<PartJobData, PartJobResult>, token?: string, signal?: AbortSignal): Promise<PartJobResult> => {
    const data = parsePartJob(job.data);
    const pos = { seq: data.seq, part: data.part, last: data.last };
    const result: OrderedResult = await deps.store.applyInOrder(pos, data.interchanges, deps.config, {
      waitMs: deps.waitMs ?? 2_000,
      ...(data.reason !== undefined ? { reason: data.reason } : {}),
      ...(signal !== undefined ? { signal } : {}),
    });
    if (result.status === 'not-ready') {
      const delay = requeueDelayMs(job.attemptsStarted);
      deps.logger.debug({ seq: data.seq, part: data.part, gate: result.gate, delay }, 'part waits for its predecessor; slot given back');
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
    const outcome = result.outcome;
    const decisions = outcome?.decisions.length ?? 0;
    // Also after a redelivery: the crash may have come between the commit and the trigger.
    if (decisions > 0 && deps.triggerEmit !== undefined) await deps.triggerEmit(data.seq, data.part);
    const summary: PartJobResult = {
      seq: data.seq,
      part: data.part,
      status: result.status,
      events: outcome?.eventsApplied ?? 0,
      decisions,
      duplicates: outcome?.duplicates.length ?? 0,
      ...(data.reason !== undefined ? { reason: data.reason } : result.status === 'already-applied' && result.reason !== undefined ? { reason: result.reason } : {}),
    };
    deps.logger.info({ ...summary }, result.status === 'applied' ? 'part applied' : 'part was applied before; nothing applied again');
    return summary;
  };
}
