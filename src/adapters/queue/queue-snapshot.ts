/**
 * What the queue gauges show, read from Redis: jobs per queue and state (BullMQ's counts), how far
 * the gate trails the inputs enqueued, the emit backlog and the dead letters — the figures `s321
 * queue status` prints, for a metrics scrape. Bounded: a few commands per queue, each time-limited
 * by the connection's own command timeout.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PartitionSnapshot, QueueSnapshot } from '../metrics/prometheus.js';
import type { GateState } from '../store/redis/ordered-gate.js';
import { PartitionedRedisStore } from '../store/redis/partitioned-store.js';
import { RedisDecisionStore } from '../store/redis/redis-store.js';
import { existingPartitions, resolveStorePartitions } from '../store/redis/store-partitions.js';
import { arrivalSequenceKey } from './producer-job.js';
import { bullQueuePrefix, queueTopology } from './queue-topology.js';

const STATES = ['wait', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
/** A partition part job not finished yet (a failed one is dead-lettered and closed). */
const UNFINISHED = ['wait', 'active', 'delayed', 'prioritized'] as const;

export interface QueueSnapshotReader {
  read(): Promise<QueueSnapshot>;
  close(): Promise<void>;
}

export function queueSnapshotReader(
  client: Redis,
  settings: {
    queueName: string;
    bullPrefix: string;
    storeNamespace: string;
    redis: { cluster?: readonly string[] };
    /** The operator's partition count (the store's is read at each scrape, store-partitions.ts). */
    partitions?: number;
  },
): QueueSnapshotReader {
  const topology = queueTopology(settings.queueName);
  const queues = [topology.ingest, topology.aggregate, topology.emit, topology.deadLetter].map((name) => {
    const q = new Queue(name, { connection: client, prefix: bullQueuePrefix(settings, name) });
    // A failed read rejects read(), which the scrape reports (s321_queue_read_ok 0); the queue's
    // own error events would only repeat it on the console.
    q.on('error', () => {});
    return q;
  });
  const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
  let partitioned: { store: PartitionedRedisStore; queues: Queue[] } | undefined;
  /**
   * The gate and emit backlog `s321 queue status` shows: with partitions, the router's gate (how far
   * inputs were routed) and the backlog of the namespace's store (acknowledgments) plus every
   * partition's (decisions), and each partition's own figures; without, the one gate's.
   */
  const storeStats = async (): Promise<{
    gate: GateState;
    pending: number;
    unwritten: number;
    partitions?: PartitionSnapshot[];
  }> => {
    const count = existingPartitions(
      await resolveStorePartitions(client, settings.storeNamespace, settings.partitions),
    );
    if (count === 0) return store.stats();
    partitioned ??= {
      store: new PartitionedRedisStore({ client, namespace: settings.storeNamespace, partitions: count }),
      queues: Array.from({ length: count }, (_, p) => {
        const name = topology.partition(p);
        const q = new Queue(name, { connection: client, prefix: bullQueuePrefix(settings, name) });
        q.on('error', () => {});
        return q;
      }),
    };
    const { store: parted, queues: partQueues } = partitioned;
    const [gate, routed, all, queued] = await Promise.all([
      parted.router.gate(),
      parted.router.routedCount(),
      Promise.all([store, ...parted.partitions].map((s) => s.stats())),
      Promise.all(partQueues.map((q) => q.getJobCounts(...UNFINISHED))),
    ]);
    return {
      gate,
      pending: all.reduce((n, s) => n + s.pending, 0),
      unwritten: all.reduce((n, s) => n + s.unwritten, 0),
      partitions: parted.partitions.map((_, p) => {
        const own = all[p + 1] as (typeof all)[number];
        // Routing r is applied once the gate closed it (or moved past it).
        const applied = own.gate.done ? own.gate.seq : own.gate.seq - 1;
        return {
          partition: p,
          gateLagRoutings: Math.max(0, routed - Math.max(0, applied)),
          partsQueued: Object.values(queued[p] ?? {}).reduce((n, c) => n + c, 0),
          pendingDecisions: own.pending,
        };
      }),
    };
  };
  return {
    async read(): Promise<QueueSnapshot> {
      const [counts, stats, issued] = await Promise.all([
        Promise.all(queues.map((q) => q.getJobCounts(...STATES))),
        storeStats(),
        client.get(arrivalSequenceKey(bullQueuePrefix(settings, settings.queueName), settings.queueName)),
      ]);
      const jobs: QueueSnapshot['jobs'] = {};
      queues.forEach((q, i) => {
        jobs[q.name] = counts[i] ?? {};
      });
      const applied = stats.gate.done ? stats.gate.seq : stats.gate.seq - 1;
      const dead = jobs[topology.deadLetter] ?? {};
      return {
        jobs,
        gateLagInputs: Math.max(0, Number(issued ?? 0) - Math.max(0, applied)),
        pendingDecisions: stats.pending,
        unwrittenFiles: stats.unwritten,
        // As `s321 queue status` counts them (DeadLetterQueue.count): entries not yet handled.
        deadLetters: (dead.wait ?? 0) + (dead.delayed ?? 0) + (dead.prioritized ?? 0),
        ...('partitions' in stats && stats.partitions !== undefined ? { partitions: stats.partitions } : {}),
      };
    },
    async close(): Promise<void> {
      await Promise.all(queues.map((q) => q.close()));
      await Promise.all(partitioned?.queues.map((q) => q.close()) ?? []);
      await partitioned?.store.close();
    },
  };
}
