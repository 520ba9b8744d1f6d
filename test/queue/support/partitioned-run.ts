/**
 * Drives a partitioned Redis store the way queue workers do, inside one process: routing tasks
 * (one per input, any order: the router's gate orders them) and partition-part tasks (added once
 * their input is routed), taken by W concurrent "workers" in a seeded random order. A task that is
 * not ready (its predecessor not applied, its handoff not there yet) goes back to the pool. A part
 * applied takes the parts queued after it in the pool into its batch, as a worker does. Bounded
 * by a step count; every applied part's outcome is kept so the caller can compare audits.
 */
import type { PartitionedRedisStore } from '../../../src/adapters/store/redis/partitioned-store.js';
import {
  applyPartitionPart,
  type PartitionPartData,
  partsOf,
} from '../../../src/app/queue/apply-partition-part.js';
import { routeInput } from '../../../src/app/queue/route-input.js';
import type { AggregationConfig } from '../../../src/core/aggregate/aggregator.js';
import type { InterchangeEvents } from '../../../src/core/aggregate/engine.js';
import type { AuditRecord } from '../../../src/core/aggregate/state.js';

type Task = { kind: 'route'; seq: number } | { kind: 'part'; part: PartitionPartData };

export interface PartitionedRunResult {
  audit: AuditRecord[];
  duplicates: number;
  departures: number;
  partsApplied: number;
  /** Parts applied in the batch of a part before them (the queued parts a batch takes). */
  batchedParts: number;
}

function isPart(t: Task, partition: number, seq: number, part: number): t is Extract<Task, { kind: 'part' }> {
  return t.kind === 'part' && t.part.partition === partition && t.part.seq === seq && t.part.part === part;
}

/** A small deterministic PRNG (mulberry32): the interleaving is reproducible from the seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runPartitioned(
  store: PartitionedRedisStore,
  inputs: readonly InterchangeEvents[][],
  config: AggregationConfig,
  options: { workers: number; seed: number; maxSteps?: number; maxPartItems?: number },
): Promise<PartitionedRunResult> {
  const random = prng(options.seed);
  const pool: Task[] = inputs.map((_, i) => ({ kind: 'route', seq: i + 1 }));
  const result: PartitionedRunResult = {
    audit: [],
    duplicates: 0,
    departures: 0,
    partsApplied: 0,
    batchedParts: 0,
  };
  let remaining = pool.length;
  let steps = 0;
  const maxSteps = options.maxSteps ?? 200_000;
  const worker = async (): Promise<void> => {
    while (remaining > 0) {
      if (++steps > maxSteps) throw new Error(`not done after ${maxSteps} steps (${remaining} tasks left)`);
      if (pool.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const task = pool.splice(Math.floor(random() * pool.length), 1)[0] as Task;
      if (task.kind === 'route') {
        const pos = { seq: task.seq, part: 0, last: true };
        const routed = await routeInput(store, pos, inputs[task.seq - 1] as InterchangeEvents[], {
          ...(options.maxPartItems !== undefined ? { maxPartItems: options.maxPartItems } : {}),
        });
        if (routed.status === 'not-ready') {
          pool.push(task);
          continue;
        }
        result.duplicates += routed.input.duplicates.length;
        const parts = partsOf(routed.input);
        remaining += parts.length - 1;
        for (const part of parts) pool.push({ kind: 'part', part });
        continue;
      }
      const { partition, seq, part } = task.part;
      const applied = await applyPartitionPart(store, task.part, config, {
        // As a worker takes the parts queued after its own: those in the pool (no one holds them).
        queued: async (s, k) => pool.find((t) => isPart(t, partition, s, k))?.part,
      });
      if (applied.status === 'applied') {
        result.audit.push(...applied.outcome.audit);
        for (const p of [task.part, ...applied.following]) {
          result.partsApplied += 1;
          if (p.departure !== undefined) result.departures += 1;
          remaining -= 1;
        }
        result.batchedParts += applied.following.length;
        // The batch's other parts have nothing left to do; one taken by another worker meanwhile
        // finds itself applied with this batch (below).
        for (const f of applied.following) {
          const at = pool.findIndex((t) => isPart(t, partition, f.seq, f.part));
          if (at >= 0) pool.splice(at, 1);
        }
      } else if (applied.status === 'already-applied') {
        const record = await store.partition(partition).partOutcome(seq, part);
        if (record?.appliedWith === undefined)
          throw new Error(`part ${partition}/${seq}.${part} applied twice`);
      } else {
        pool.push(task);
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, () => worker()));
  return result;
}
