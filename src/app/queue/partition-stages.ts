/**
 * Partitioned queue mode (issue #15): the two kinds of ordered stage the aggregate processor drives.
 *  - the router: input parts (n, k) from ingest, in arrival order → routed (route-input.ts) → the
 *    partition parts applied right away where their partition is ready for them, the others added
 *    to their partitions' queues (applyOrQueue; idempotent job ids; dispatched again on a
 *    redelivery, since a crash may come between the routing's commit and the dispatch);
 *  - partition p: its parts (r, j) in its own order → applyPartitionPart (the one batch use case),
 *    with the parts queued right after it applied in the same batch and commit.
 */
import type { PartSource } from '../../adapters/queue/part-source.js';
import { jobIds } from '../../adapters/queue/queue-topology.js';
import type { GateState } from '../../adapters/store/redis/ordered-gate.js';
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import type { OrderedResult } from '../../adapters/store/redis/redis-store.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import type { OrderedStage } from './aggregate-processor.js';
import {
  applyPartitionPart,
  type PartitionPartData,
  partsOf,
  type QueuedPart,
} from './apply-partition-part.js';
import { type PartJobData, parsePartitionPartJob, parsePartJob } from './job-data.js';
import { routeInput } from './route-input.js';

/** How long an arrival works toward its departure in its slot (then its slot is given back). */
const HANDOFF_WAIT_MS = 2_000;
const HANDOFF_POLL_MS = 10;

/**
 * What the router does with a routed input's partition parts once its routing is committed:
 * `applyOrQueue` below, or only adding them to their partitions' queues. The router's job ends
 * only after this, so a crash before every part is applied or queued is repaired by the job's
 * redelivery (its stored routing gives the same parts; those applied answer "already applied").
 */
export type DispatchParts = (parts: PartitionPartData[]) => Promise<void>;

export function routerStage(
  store: PartitionedRedisStore,
  addParts: DispatchParts,
  options: { maxPartItems?: number } = {},
): OrderedStage<PartJobData> {
  return {
    parse: parsePartJob,
    gate: () => store.router.gate(),
    gateChange: (from, timeoutMs, signal) => store.router.gateChange(from, timeoutMs, signal),
    apply: async (data, opts): Promise<OrderedResult> => {
      const routed = await routeInput(store, data, data.interchanges, {
        ...(options.maxPartItems !== undefined ? { maxPartItems: options.maxPartItems } : {}),
        ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
      });
      if (routed.status === 'not-ready') return routed;
      const reason = data.reason ?? opts.reason;
      await addParts(partsOf(routed.input, data.name, reason));
      const outcome = {
        decisions: [],
        audit: [],
        duplicates: routed.input.duplicates,
        eventsApplied: routed.input.events.length,
      };
      return routed.before
        ? { status: 'already-applied', outcome, ...(reason !== undefined ? { reason } : {}) }
        : { status: 'applied', outcome, rounds: 1 };
    },
  };
}

export interface ApplyOrQueueDeps {
  store: PartitionedRedisStore;
  config: AggregationConfig;
  /** Adds parts to their partitions' queues (idempotent job ids). */
  addParts: (parts: PartitionPartData[]) => Promise<void>;
  /** Partition p's queued parts, which a batch may take after its first (queuedParts). */
  batching?: (p: number) => ReturnType<typeof queuedParts>;
  triggerEmit?: (p: number, seq: number, part: number) => Promise<void>;
  /** How long a part waits for its partition's predecessor (or an arrival for its departure). */
  waitMs?: number;
  stats?: { direct: number };
  logger: AdapterLogger;
}

/**
 * The router's dispatch in a worker: each partition's parts of the routed input are applied right
 * here, partitions side by side (one partition's state read and commit script in Redis while
 * another's core runs here), each in its order, as long as its gate reaches them within `waitMs`
 * — no job, and the events are not serialized again for a queue. What is not applied that way (a
 * partition still busy with earlier inputs, an arrival whose departure is not applied in time, a
 * failure: its tries and dead letter are the job's) is added to the partition's queue, from the
 * first part not applied on.
 */
export function applyOrQueue(deps: ApplyOrQueueDeps): DispatchParts {
  const waitMs = deps.waitMs ?? HANDOFF_WAIT_MS;
  const partition = async (p: number, list: PartitionPartData[]): Promise<void> => {
    const batching = deps.batching?.(p);
    let at = 0;
    // A batch takes this input's next parts of the partition from `list` (no job holds them), then
    // the parts of later inputs waiting in the partition's queue.
    const queued: QueuedPart = async (seq, k) => {
      const mine = list.find((d, i) => i > at && d.seq === seq && d.part === k);
      if (mine !== undefined) return mine;
      const last = list[list.length - 1] as PartitionPartData;
      return seq > last.seq && batching !== undefined ? batching.queued(seq, k) : undefined;
    };
    for (; at < list.length; at++) {
      const part = list[at] as PartitionPartData;
      let result: Awaited<ReturnType<typeof applyPartitionPart>>;
      try {
        result = await applyPartitionPart(deps.store, part, deps.config, { waitMs, queued });
      } catch (err) {
        deps.logger.warn(
          {
            partition: p,
            seq: part.seq,
            part: part.part,
            reason: err instanceof Error ? err.message : String(err),
          },
          'partition part not applied by the router; queued for its partition',
        );
        break;
      }
      if (result.status === 'not-ready' || result.status === 'awaiting-handoff') break;
      // Also after a redelivery: the crash may have come between the commit and the trigger.
      if ((result.outcome?.decisions.length ?? 0) > 0) await deps.triggerEmit?.(p, part.seq, part.part);
      if (result.status === 'applied') {
        if (deps.stats !== undefined) deps.stats.direct += 1;
        const ownFollowing = result.following.filter((f) => list.includes(f));
        at += ownFollowing.length;
        await batching?.applied(result.following.filter((f) => !list.includes(f)));
      }
    }
    if (at < list.length) await deps.addParts(list.slice(at));
  };
  return async (parts) => {
    const byPartition = new Map<number, PartitionPartData[]>();
    for (const part of parts) {
      const list = byPartition.get(part.partition);
      if (list === undefined) byPartition.set(part.partition, [part]);
      else list.push(part);
    }
    await Promise.all([...byPartition].map(([p, list]) => partition(p, list)));
  };
}

/**
 * An arrival whose departure is not applied yet does not just wait: `helpSource(source)` applies
 * the source partition's next part if no worker holds it (as the processor pulls its own
 * partition's next part), so a chain of moves between partitions advances in one worker instead of
 * one slot hand-back per link. True when the source's gate moved.
 */
export type HelpSource = (source: number) => Promise<boolean>;

/**
 * The partition's queued parts as a batch takes them (apply-partition-part.ts `queued`), and the
 * removal of their jobs once the batch applied them.
 */
export function queuedParts(
  parts: PartSource,
  partition: number,
): { queued: QueuedPart; applied: (following: readonly PartitionPartData[]) => Promise<void> } {
  return {
    queued: async (seq, part) => {
      const pulled = await parts.read(seq, part);
      if (pulled === undefined) return undefined;
      try {
        const data = parsePartitionPartJob(pulled.data);
        return data.partition === partition ? data : undefined;
      } catch {
        // Bad job data: its own job fails it (and dead-letters it).
        return undefined;
      }
    },
    applied: async (following) => {
      for (const f of following) await parts.remove(jobIds.part(f.seq, f.part));
    },
  };
}

export function partitionStage(
  store: PartitionedRedisStore,
  partition: number,
  config: AggregationConfig,
  helpSource?: HelpSource,
  parts?: PartSource,
): OrderedStage<PartitionPartData> {
  const own = store.partition(partition);
  const batching = parts === undefined ? undefined : queuedParts(parts, partition);
  return {
    parse: (data) => {
      const part = parsePartitionPartJob(data);
      if (part.partition !== partition)
        throw new Error(`partition ${part.partition} part in the queue of ${partition}`);
      return part;
    },
    gate: () => own.gate(),
    gateChange: (from: GateState, timeoutMs, signal) => own.gateChange(from, timeoutMs, signal),
    apply: async (data, opts): Promise<OrderedResult> => {
      const deadline = performance.now() + HANDOFF_WAIT_MS;
      for (;;) {
        const result = await applyPartitionPart(store, data, config, {
          ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
          ...(batching !== undefined ? { queued: batching.queued } : {}),
        });
        if (result.status === 'applied') {
          const { following, ...applied } = result;
          await batching?.applied(following);
          return applied;
        }
        if (result.status !== 'awaiting-handoff') return result;
        if (performance.now() >= deadline || opts.signal?.aborted === true)
          return { status: 'not-ready', gate: await own.gate() };
        const moved = helpSource !== undefined && (await helpSource(result.source).catch(() => false));
        if (!moved) await new Promise((resolve) => setTimeout(resolve, HANDOFF_POLL_MS));
      }
    },
  };
}
