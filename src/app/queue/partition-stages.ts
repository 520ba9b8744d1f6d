/**
 * Partitioned queue mode (issue #15): the two kinds of ordered stage the aggregate processor drives.
 *  - the router: input parts (n, k) from ingest, in arrival order → routed (route-input.ts) → the
 *    partition parts added to their partitions' queues (idempotent job ids; re-added on a
 *    redelivery, since a crash may come between the routing's commit and the add);
 *  - partition p: its parts (r, j) in its own order → applyPartitionPart (the one batch use case),
 *    with the parts queued right after it applied in the same batch and commit.
 */
import type { PartSource } from '../../adapters/queue/part-source.js';
import { jobIds } from '../../adapters/queue/queue-topology.js';
import type { GateState } from '../../adapters/store/redis/ordered-gate.js';
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import type { OrderedResult } from '../../adapters/store/redis/redis-store.js';
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

export function routerStage(
  store: PartitionedRedisStore,
  addParts: (parts: PartitionPartData[]) => Promise<void>,
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
