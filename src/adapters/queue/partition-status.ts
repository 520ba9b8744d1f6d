/**
 * `s321 queue status` for a partitioned store (issue #15): where the router stands (inputs routed
 * in arrival order), and per partition its gate (the last routing applied), its queue's jobs by
 * state, its decisions, pending decisions, unwritten files and bills, the dead letters of its
 * parts and the routings skipped in it. Bounded: a few commands per partition; dead letters are
 * attributed to partitions from at most DEAD_LETTERS_READ entries.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GateState } from '../store/redis/ordered-gate.js';
import { PartitionedRedisStore } from '../store/redis/partitioned-store.js';
import { DeadLetterQueue } from './dead-letter.js';
import { queueTopology } from './queue-topology.js';

const STATES = ['wait', 'active', 'delayed', 'failed'] as const;
/** Dead letters read to count them by partition (the total is counted exactly). */
const DEAD_LETTERS_READ = 10_000;

export type JobCounts = Record<(typeof STATES)[number], number>;

export interface PartitionStatus {
  partition: number;
  queue: string;
  /** The last routing (r, part) this partition applied. */
  gate: GateState;
  jobs: JobCounts;
  decisions: number;
  pending: number;
  unwritten: number;
  bills: number;
  deadLetters: number;
  skipped: Array<{ seq: number; reason: string }>;
}

export interface PartitionedStatus {
  partitions: number;
  /** The last input part routed (arrival order). */
  routed: GateState;
  /** Input parts routed so far (the routing sequence of the last one). */
  routings: number;
  /** Input parts waiting to be routed, by state. */
  routerJobs: JobCounts;
  /** Inputs skipped at the router, with the operator's reason. */
  skipped: Array<{ seq: number; reason: string }>;
  /** Unwritten acknowledgment files (the shared store's outbound records). */
  unwrittenAcks: number;
  /** Dead letters of input parts and ingest (not of one partition). */
  deadLettersOther: number;
  partition: PartitionStatus[];
  totals: { decisions: number; pending: number; unwritten: number; bills: number; deadLetters: number };
}

export async function readPartitionedStatus(
  client: Redis,
  settings: { queueName: string; bullPrefix: string; storeNamespace: string; partitions: number },
): Promise<PartitionedStatus> {
  const topology = queueTopology(settings.queueName);
  const store = new PartitionedRedisStore({
    client,
    namespace: settings.storeNamespace,
    partitions: settings.partitions,
  });
  // Read with another P, the partitions' keys would be other keys: refused as workers are.
  await store.router.checkPartitions();
  const open = (name: string): Queue => {
    const q = new Queue(name, { connection: client, prefix: settings.bullPrefix });
    q.on('error', () => {});
    return q;
  };
  const routerQueue = open(topology.aggregate);
  const partQueues = store.partitions.map((_, p) => open(topology.partition(p)));
  const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
  try {
    const counts = async (q: Queue): Promise<JobCounts> => {
      const c = await q.getJobCounts(...STATES);
      return { wait: c.wait ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    };
    const [routed, routings, routerJobs, skipped, shared, letters] = await Promise.all([
      store.router.gate(),
      store.router.routedCount(),
      counts(routerQueue),
      store.router.skipped(),
      store.shared.stats(),
      dlq.list(0, DEAD_LETTERS_READ - 1),
    ]);
    const byQueue = new Map<string, number>();
    for (const entry of letters) byQueue.set(entry.queue, (byQueue.get(entry.queue) ?? 0) + 1);
    const partition = await Promise.all(
      store.partitions.map(async (s, p): Promise<PartitionStatus> => {
        const [stats, jobs, skippedHere] = await Promise.all([
          s.stats(),
          counts(partQueues[p] as Queue),
          s.skipped(),
        ]);
        return {
          partition: p,
          queue: topology.partition(p),
          gate: stats.gate,
          jobs,
          decisions: stats.decisions,
          pending: stats.pending,
          unwritten: stats.unwritten,
          bills: stats.bills,
          deadLetters: byQueue.get(topology.partition(p)) ?? 0,
          skipped: skippedHere,
        };
      }),
    );
    const sum = (k: 'decisions' | 'pending' | 'unwritten' | 'bills' | 'deadLetters'): number =>
      partition.reduce((n, s) => n + s[k], 0);
    const totalLetters = await dlq.count();
    return {
      partitions: settings.partitions,
      routed,
      routings,
      routerJobs,
      skipped,
      unwrittenAcks: shared.unwritten,
      deadLettersOther: totalLetters - sum('deadLetters'),
      partition,
      totals: {
        decisions: sum('decisions'),
        pending: sum('pending'),
        unwritten: sum('unwritten') + shared.unwritten,
        bills: sum('bills'),
        deadLetters: totalLetters,
      },
    };
  } finally {
    await Promise.all([routerQueue.close(), ...partQueues.map((q) => q.close()), dlq.close()]);
  }
}

/** The status as lines for a terminal. */
export function formatPartitionedStatus(s: PartitionedStatus, issued: number): string {
  const gate = (g: GateState, what: string): string =>
    `${what} ${g.seq} part ${g.part} (${g.done ? 'complete' : 'more parts to come'})`;
  const jobs = (j: JobCounts): string =>
    `${j.wait} waiting, ${j.active} active, ${j.delayed} delayed, ${j.failed} failed`;
  const lines = [
    `inputs enqueued ${issued}; routed up to ${gate(s.routed, 'input')} as routing ${s.routings}; ${s.partitions} partitions`,
    `router queue: ${jobs(s.routerJobs)}; skipped inputs ${s.skipped.length}${s.skipped.length > 0 ? ` (${s.skipped.map((k) => `${k.seq}: ${k.reason}`).join('; ')})` : ''}`,
    ...s.partition.map(
      (p) =>
        `partition ${p.partition}: applied up to ${gate(p.gate, 'routing')}; queue ${jobs(p.jobs)}; decisions ${p.decisions} (${p.pending} not yet emitted), unwritten files ${p.unwritten}, bills ${p.bills}, dead letters ${p.deadLetters}, skipped ${p.skipped.length}`,
    ),
    `total: decisions ${s.totals.decisions} (${s.totals.pending} not yet emitted), outbound files unwritten ${s.totals.unwritten} (${s.unwrittenAcks} acknowledgments), bills ${s.totals.bills}`,
    `dead letters ${s.totals.deadLetters} (${s.deadLettersOther} of ingest or routing)`,
  ];
  return `${lines.join('\n')}\n`;
}
