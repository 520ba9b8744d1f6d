/**
 * The aggregate job: applies one part of an input on the Redis store, in arrival order.
 *  - predecessor not applied yet: a part close to the gate waits a little (woken by the store's gate
 *    announcements); a part further away, or one still not ready after waiting, gives its worker slot
 *    back by delaying itself for a time that grows with its distance to the gate, so parts waiting
 *    for a slow ingest cannot hold every slot while the part they wait for sits in the queue;
 *  - already applied (redelivery, crash after commit): the stored outcome, nothing applied again;
 *  - applied: a trigger for the emitter when the part produced decisions.
 */
import { DelayedError, type Job } from 'bullmq';
import type { OrderedResult, RedisDecisionStore } from '../../adapters/store/redis/redis-store.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import { type PartJobData, parsePartJob } from './job-data.js';

export interface AggregateDeps {
  store: RedisDecisionStore;
  config: AggregationConfig;
  /** Adds an emit trigger (idempotent per id); absent: no emitter in this deployment. */
  triggerEmit?: (seq: number, part: number) => Promise<void>;
  /** How long a part near the gate waits for its predecessor before giving its slot back (default 2 s). */
  waitMs?: number;
  /** How many inputs ahead of the gate a part may be and still wait in its slot (default 2). */
  waitDistance?: number;
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

/**
 * Delay before a part that gave its slot back is tried again: about the time the inputs before it
 * take to apply (25 ms each), between 50 ms and 5 s. A part far behind in the queue then stops
 * churning through the worker slots while the parts it waits for are found and applied.
 */
export function requeueDelayMs(distance: number): number {
  return Math.min(Math.max(distance * 25, 50), 5_000);
}

/** Parts at most this many inputs ahead of the gate wait for it in their slot (default). */
export const WAIT_DISTANCE = 2;

export function createAggregateProcessor(deps: AggregateDeps) {
  return async (
    job: Job<PartJobData, PartJobResult>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<PartJobResult> => {
    const data = parsePartJob(job.data);
    const pos = { seq: data.seq, part: data.part, last: data.last };
    const before = await deps.store.gate();
    const near = data.seq - before.seq <= (deps.waitDistance ?? WAIT_DISTANCE);
    const result: OrderedResult = await deps.store.applyInOrder(pos, data.interchanges, deps.config, {
      waitMs: near ? (deps.waitMs ?? 2_000) : 0,
      ...(data.reason !== undefined ? { reason: data.reason } : {}),
      ...(signal !== undefined ? { signal } : {}),
    });
    if (result.status === 'not-ready') {
      const delay = requeueDelayMs(data.seq - result.gate.seq);
      deps.logger.debug(
        { seq: data.seq, part: data.part, gate: result.gate, delay },
        'part waits for its predecessor; slot given back',
      );
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
      ...(data.reason !== undefined
        ? { reason: data.reason }
        : result.status === 'already-applied' && result.reason !== undefined
          ? { reason: result.reason }
          : {}),
    };
    deps.logger.info(
      { ...summary },
      result.status === 'applied' ? 'part applied' : 'part was applied before; nothing applied again',
    );
    return summary;
  };
}
