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
import type { PartSource } from '../../adapters/queue/part-source.js';
import type { Lease } from '../../adapters/queue/redis-lock.js';
import { type GateState, gateRelation } from '../../adapters/store/redis/ordered-gate.js';
import type { OrderedResult, RedisDecisionStore } from '../../adapters/store/redis/redis-store.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import { formatIssue } from '../../core/model/issue.js';
import { applyInOrder } from './apply-in-order.js';
import { type PartJobData, parsePartJob } from './job-data.js';

/** A part's position and why it carries nothing, whatever else its job data holds. */
export interface PartRef {
  seq: number;
  part: number;
  last: boolean;
  reason?: string;
}

/**
 * What the processor applies parts to, in the order of one gate: the unpartitioned store (its parts
 * through applyInOrder), or, in partitioned mode, the router (input parts → partition parts) or one
 * partition (its parts through applyPartitionPart). The waiting, pulling, claiming and slot hand-back
 * are the same for all three.
 */
export interface OrderedStage<D extends PartRef> {
  parse(data: unknown): D;
  gate(): Promise<GateState>;
  gateChange(from: GateState, timeoutMs: number, signal?: AbortSignal): Promise<GateState>;
  apply(data: D, options: { reason?: string; signal?: AbortSignal }): Promise<OrderedResult>;
}

/** The unpartitioned store as a stage. */
export function storeStage(store: RedisDecisionStore, config: AggregationConfig): OrderedStage<PartJobData> {
  return {
    parse: parsePartJob,
    gate: () => store.gate(),
    gateChange: (from, timeoutMs, signal) => store.gateChange(from, timeoutMs, signal),
    apply: (data, options) => applyInOrder(store, data, data.interchanges, config, options),
  };
}

export interface AggregateDeps<D extends PartRef = PartJobData> {
  stage: OrderedStage<D>;
  /** Adds an emit trigger (idempotent per id); absent: no emitter in this deployment. */
  triggerEmit?: (seq: number, part: number) => Promise<void>;
  /** How long a part near the gate waits for its predecessor before giving its slot back (default 2 s). */
  waitMs?: number;
  /** How many inputs ahead of the gate a part may be and still wait in its slot (default 2). */
  waitDistance?: number;
  /**
   * Part jobs by position: a worker whose part must wait applies the gate's next part itself when
   * no worker holds that part's job, and after its own part applies the ones after it the same way.
   * Absent: every part is applied by the job BullMQ hands it to.
   */
  parts?: PartSource;
  /** Claims part (seq, part) for `ms` (undefined: another worker computes it); absent: no claims. */
  claim?: (seq: number, part: number, ms: number) => Promise<Lease | undefined>;
  /** Counters for throughput analysis (parts applied for other jobs, slots given back). */
  stats?: { pulled: number; requeued: number };
  /** Decisions by code and channel, counted when this worker applies a part. */
  metrics?: PipelineMetrics;
  logger: AdapterLogger;
}

export interface PartJobResult {
  seq: number;
  part: number;
  status: 'applied' | 'already-applied';
  events: number;
  decisions: number;
  duplicates: number;
  /** Events rejected by the retention rule (a pruned day or bill), each logged with its position. */
  pruned?: number;
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

/** The part that comes right after the gate (the only one that may be applied next). */
export function successorOf(gate: GateState): { seq: number; part: number } {
  return gate.done ? { seq: gate.seq + 1, part: 0 } : { seq: gate.seq, part: gate.part + 1 };
}

/** How long a claim on a part being computed holds when its worker dies (computing takes < 1 s). */
const CLAIM_MS = 3_000;
/** Parts one job applies for others after its own, at most (its lock is renewed all along). */
const MAX_PULLS_PER_JOB = 10_000;
/**
 * After this worker failed to apply the gate's next part for its job, it does not pull that part
 * again for this long: a part whose commit fails every time was otherwise re-run (load, core,
 * commit) by every waiting slot every few milliseconds until its own job's tries ran out.
 */
const FAILED_PULL_PAUSE_MS = 1_000;

export function createAggregateProcessor<D extends PartRef = PartJobData>(deps: AggregateDeps<D>) {
  const stage = deps.stage;
  const stats = deps.stats;
  const claim = (seq: number, part: number) =>
    deps.claim === undefined ? Promise.resolve(NO_CLAIM) : deps.claim(seq, part, CLAIM_MS);
  /** The part this worker last failed to apply for its job, and until when it leaves it alone. */
  let failedPull: { seq: number; part: number; until: number } | undefined;

  /**
   * Applies the gate's next part from its job in the queue when nobody computes it: no worker holds
   * the job (it waits behind others, is delayed, or backs off) and no other puller claimed it.
   * True when the gate moved. A failure here is left to the part's own job (retries, dead letter).
   */
  const pullNext = async (gate: GateState, signal: AbortSignal | undefined): Promise<boolean> => {
    if (deps.parts === undefined || signal?.aborted === true) return false;
    const next = successorOf(gate);
    if (
      failedPull !== undefined &&
      failedPull.seq === next.seq &&
      failedPull.part === next.part &&
      Date.now() < failedPull.until
    )
      return false;
    const lease = await claim(next.seq, next.part);
    if (lease === undefined) return false;
    try {
      const pulled = await deps.parts.read(next.seq, next.part);
      if (pulled === undefined) return false;
      let data: D;
      try {
        data = stage.parse(pulled.data);
      } catch {
        return false;
      }
      if (data.seq !== next.seq || data.part !== next.part) return false;
      const result = await stage.apply(data, {
        ...(data.reason !== undefined ? { reason: data.reason } : {}),
      });
      if (result.status === 'not-ready') return false;
      if (result.status === 'applied') {
        if (stats !== undefined) stats.pulled += 1;
        deps.metrics?.decisionsMade(result.outcome.decisions);
        const decisions = result.outcome.decisions.length;
        if (decisions > 0 && deps.triggerEmit !== undefined) await deps.triggerEmit(data.seq, data.part);
      }
      // Applied (by us, or just before by its holder): its job has nothing left to do.
      await deps.parts.remove(pulled.jobId);
      return true;
    } catch (err) {
      failedPull = { seq: next.seq, part: next.part, until: Date.now() + FAILED_PULL_PAUSE_MS };
      deps.logger.warn(
        { seq: next.seq, part: next.part, reason: err instanceof Error ? err.message : String(err) },
        'could not apply the next part for its job; its own job will',
      );
      return false;
    } finally {
      await lease.release().catch(() => undefined);
    }
  };

  return async (job: Job<D, PartJobResult>, token?: string, signal?: AbortSignal): Promise<PartJobResult> => {
    const data = stage.parse(job.data);
    const pos = { seq: data.seq, part: data.part, last: data.last };
    const before = await stage.gate();
    const near = data.seq - before.seq <= (deps.waitDistance ?? WAIT_DISTANCE);
    // A part near the gate waits this long without progress before giving its slot back.
    const patience = near ? (deps.waitMs ?? 2_000) : 0;
    let progressAt = Date.now();
    let gate = before;
    let result: OrderedResult | undefined;
    for (;;) {
      const relation = gateRelation(gate, pos);
      if (relation === 'applied') {
        result = await stage.apply(data, {});
        break;
      }
      if (relation === 'ready') {
        const lease = await claim(pos.seq, pos.part);
        if (lease !== undefined) {
          try {
            result = await stage.apply(data, {
              ...(data.reason !== undefined ? { reason: data.reason } : {}),
              ...(signal !== undefined ? { signal } : {}),
            });
          } finally {
            await lease.release().catch(() => undefined);
          }
          if (result.status !== 'not-ready') break;
        }
        // Another worker computes this part right now: its commit moves the gate.
      } else if (await pullNext(gate, signal)) {
        progressAt = Date.now();
        gate = await stage.gate();
        continue;
      }
      const left = progressAt + patience - Date.now();
      if (left <= 0 || signal?.aborted === true) break;
      const moved = await stage.gateChange(gate, Math.min(left, 250), signal);
      if (moved.seq !== gate.seq || moved.part !== gate.part || moved.done !== gate.done)
        progressAt = Date.now();
      gate = moved;
    }
    if (result === undefined || result.status === 'not-ready') {
      const at = result?.status === 'not-ready' ? result.gate : gate;
      const delay = requeueDelayMs(data.seq - at.seq);
      deps.logger.debug(
        { seq: data.seq, part: data.part, gate: at, delay },
        'part waits for its predecessor; slot given back',
      );
      if (stats !== undefined) stats.requeued += 1;
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
    const outcome = result.outcome;
    const decisions = outcome?.decisions.length ?? 0;
    if (result.status === 'applied' && outcome !== undefined) deps.metrics?.decisionsMade(outcome.decisions);
    // Also after a redelivery: the crash may have come between the commit and the trigger.
    if (decisions > 0 && deps.triggerEmit !== undefined) await deps.triggerEmit(data.seq, data.part);
    const summary: PartJobResult = {
      seq: data.seq,
      part: data.part,
      status: result.status,
      events: outcome?.eventsApplied ?? 0,
      decisions,
      duplicates: outcome?.duplicates.length ?? 0,
      ...(outcome?.pruned !== undefined ? { pruned: outcome.pruned.length } : {}),
      ...(data.reason !== undefined
        ? { reason: data.reason }
        : result.status === 'already-applied' && result.reason !== undefined
          ? { reason: result.reason }
          : {}),
    };
    // Events for a pruned day or bill (docs/retention.md): reported, never applied.
    for (const issue of outcome?.pruned ?? [])
      deps.logger.warn({ seq: data.seq, part: data.part, code: issue.code }, formatIssue(issue));
    deps.logger.info(
      { ...summary },
      result.status === 'applied' ? 'part applied' : 'part was applied before; nothing applied again',
    );
    // Keep the gate moving: the parts right after this one whose jobs nobody holds are applied now
    // rather than after a hand-over through the queue.
    if (result.status === 'applied') {
      for (let n = 0; n < MAX_PULLS_PER_JOB; n++) {
        if (!(await pullNext(await stage.gate(), signal))) break;
      }
    }
    return summary;
  };
}

const NO_CLAIM: Lease = { release: async () => {} };
