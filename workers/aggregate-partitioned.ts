/**
 * Composition root of the aggregate worker in partitioned mode (issue #15; settings.partitions):
 * one process takes input parts from the aggregate queue and routes them (the router's gate, in
 * arrival order), applying each partition's parts of a routed input right away where the
 * partition is ready (partition-stages.ts applyOrQueue), and takes the partition parts that were
 * queued instead from each partition's queue and applies them, with the parts queued after them,
 * as batches (each partition's own gate). Any number of these processes may run; partitions apply in parallel, each
 * in its own order, and a second process adds throughput as well as a standby.
 */
import { type Job, Queue } from 'bullmq';
import { openRedis } from '../src/adapters/queue/bullmq-connection.js';
import { DeadLetterQueue } from '../src/adapters/queue/dead-letter.js';
import { createPartSource, type PartSource } from '../src/adapters/queue/part-source.js';
import {
  bullQueuePrefix,
  jobIds,
  KEEP_FINISHED,
  PART_RETENTION,
  queueTopology,
  type RetryPolicy,
  retryJobOptions,
} from '../src/adapters/queue/queue-topology.js';
import { tryLease } from '../src/adapters/queue/redis-lock.js';
import { PartitionedRedisStore } from '../src/adapters/store/redis/partitioned-store.js';
import {
  createAggregateProcessor,
  type PartJobResult,
  successorOf,
} from '../src/app/queue/aggregate-processor.js';
import { resolveAggregation } from '../src/app/queue/aggregation-settings.js';
import { applyPartitionPart, type PartitionPartData } from '../src/app/queue/apply-partition-part.js';
import { deadLetterEntry, withFailurePolicy } from '../src/app/queue/dead-lettering.js';
import {
  closingPartOf,
  type EmitJobData,
  type PartJobData,
  parsePartitionPartJob,
} from '../src/app/queue/job-data.js';
import { applyOrQueue, partitionStage, queuedParts, routerStage } from '../src/app/queue/partition-stages.js';
import { silentLogger } from '../src/config/logger.js';
import type { AggregateWorkerOptions } from './aggregate-options.js';
import { logQueueErrors, quitQuietly, type RunningWorker, startBullWorker } from './worker-runtime.js';

/**
 * Adds partition parts to their partitions' queues (job id by position: adding one again is a
 * no-op), one addBulk per partition, all sent at once.
 */
export async function addPartitionParts(
  partQueues: ReadonlyArray<Queue<PartitionPartData>>,
  parts: readonly PartitionPartData[],
  retry: RetryPolicy,
): Promise<void> {
  const partOptions = { ...retryJobOptions(retry), ...PART_RETENTION };
  const byPartition = new Map<number, PartitionPartData[]>();
  for (const part of parts)
    byPartition.set(part.partition, [...(byPartition.get(part.partition) ?? []), part]);
  await Promise.all(
    [...byPartition].map(([p, list]) => {
      const queue = partQueues[p];
      if (queue === undefined) throw new Error(`no queue for partition ${p}`);
      return queue.addBulk(
        list.map((data) => ({
          name: 'part',
          data,
          opts: { jobId: jobIds.part(data.seq, data.part), ...partOptions },
        })),
      );
    }),
  );
}

export async function startPartitionedAggregateWorker(
  options: AggregateWorkerOptions,
): Promise<RunningWorker> {
  const { settings } = options;
  const partitions = settings.partitions;
  if (partitions === undefined || partitions === 0)
    throw new Error('startPartitionedAggregateWorker: no partitions configured');
  const logger = options.logger ?? silentLogger;
  const topology = queueTopology(settings.queueName);
  const connection = openRedis(settings.redis, 's321-aggregate');
  const { config, configId } = resolveAggregation(options.aggregation);
  const store = new PartitionedRedisStore({
    client: connection,
    namespace: settings.storeNamespace,
    partitions,
    configId,
  });
  // Fails fast (exit 1 with its message) when the store was created with another count.
  await store.router.claimPartitions();
  const queue = <D>(name: string) =>
    logQueueErrors(new Queue<D>(name, { connection, prefix: bullQueuePrefix(settings, name) }), name, logger);
  const emitQueue = queue<EmitJobData>(topology.emit);
  const routeQueue = queue<PartJobData>(topology.aggregate);
  const partQueues = Array.from({ length: partitions }, (_, p) =>
    queue<PartitionPartData>(topology.partition(p)),
  );
  const deadLetters = new DeadLetterQueue(
    topology.deadLetter,
    connection,
    bullQueuePrefix(settings, topology.deadLetter),
  );
  logQueueErrors(deadLetters.queue, topology.deadLetter, logger);
  const partOptions = { ...retryJobOptions(settings.retry), ...PART_RETENTION };

  const addParts = (parts: PartitionPartData[]): Promise<void> =>
    addPartitionParts(partQueues, parts, settings.retry);

  const counters = { pulled: 0, requeued: 0, helped: 0, direct: 0 };
  const partSources = partQueues.map((q) => createPartSource(connection, q));
  const triggerEmit = async (p: number, seq: number, part: number): Promise<void> => {
    await emitQueue.add(
      'emit',
      { seq, part },
      {
        jobId: jobIds.emitAfterPartition(p, seq, part),
        ...retryJobOptions(settings.retry),
        ...KEEP_FINISHED,
      },
    );
  };
  // Applies partition `source`'s next part for an arrival waiting on it (partition-stages.ts).
  const helpSource = async (source: number): Promise<boolean> => {
    const from = store.partition(source);
    const next = successorOf(await from.gate());
    const lease = await tryLease(connection, from.keys.claim(next.seq, next.part), 3_000);
    if (lease === undefined) return false;
    try {
      const pulled = await (partSources[source] as PartSource).read(next.seq, next.part);
      if (pulled === undefined) return false;
      const data = parsePartitionPartJob(pulled.data);
      if (data.partition !== source || data.seq !== next.seq || data.part !== next.part) return false;
      const batching = queuedParts(partSources[source] as PartSource, source);
      const result = await applyPartitionPart(store, data, config, { queued: batching.queued });
      if (result.status === 'not-ready' || result.status === 'awaiting-handoff') return false;
      if (result.status === 'applied') {
        counters.helped += 1;
        if (result.outcome.decisions.length > 0) await triggerEmit(source, data.seq, data.part);
        await batching.applied(result.following);
      }
      await (partSources[source] as PartSource).remove(pulled.jobId);
      return true;
    } finally {
      await lease.release().catch(() => undefined);
    }
  };
  const waitMs = options.waitMs !== undefined ? { waitMs: options.waitMs } : {};
  const routing = createAggregateProcessor<PartJobData>({
    stage: routerStage(
      store,
      applyOrQueue({
        store,
        config,
        addParts,
        batching: (p) => queuedParts(partSources[p] as PartSource, p),
        triggerEmit,
        stats: counters,
        logger,
      }),
    ),
    logger,
    parts: createPartSource(connection, routeQueue),
    claim: (seq, part, ms) => tryLease(connection, store.router.keys.claim(seq, part), ms),
    stats: counters,
    ...waitMs,
  });
  const applying = Array.from({ length: partitions }, (_, p) =>
    createAggregateProcessor<PartitionPartData>({
      stage: partitionStage(store, p, config, helpSource, partSources[p] as PartSource),
      logger,
      parts: partSources[p] as PartSource,
      claim: (seq, part, ms) => tryLease(connection, store.partition(p).keys.claim(seq, part), ms),
      stats: counters,
      ...waitMs,
      triggerEmit: (seq, part) => triggerEmit(p, seq, part),
    }),
  );

  const deadLetter = async (job: Job, reason: string, seq?: number, part?: number, name?: string) =>
    deadLetters.add(
      deadLetterEntry(
        job,
        {
          kind: 'failed',
          attemptsMade: job.attemptsMade,
          reason,
          ...(seq !== undefined && part !== undefined ? { seq, part } : {}),
          ...(name !== undefined ? { name } : {}),
        },
        new Date(),
      ),
    );
  // An input part that fails for good: dead-lettered, and its position closed with an empty part,
  // which is routed like any (every partition gets an empty part), so the inputs after it apply.
  const onRouteFinal = async (job: Job<PartJobData>, reason: string): Promise<void> => {
    const d = job.data as Partial<PartJobData>;
    await deadLetter(job, reason, d.seq, d.part, typeof d.name === 'string' ? d.name : undefined);
    const closing = closingPartOf(d, reason);
    if (closing === undefined) {
      logger.error(
        { jobId: job.id },
        'part without a readable position dead-lettered: its sequence needs operator action',
      );
      return;
    }
    await routeQueue.add('part', closing, {
      jobId: jobIds.closing(closing.seq, closing.part),
      ...partOptions,
    });
  };
  // A partition part that fails for good: the same, in its partition (a closed arrival leaves its
  // bill out of this partition; the dead letter holds its events).
  const onPartFinal =
    (p: number) =>
    async (job: Job<PartitionPartData>, reason: string): Promise<void> => {
      const d = job.data as Partial<PartitionPartData>;
      await deadLetter(job, reason, d.seq, d.part, typeof d.name === 'string' ? d.name : undefined);
      if (typeof d.seq !== 'number' || typeof d.part !== 'number' || typeof d.last !== 'boolean') return;
      const closing: PartitionPartData = {
        partition: p,
        seq: d.seq,
        part: d.part,
        last: d.last,
        name: d.name ?? '',
        interchanges: [],
        reason: `dead-lettered part: ${reason}`,
      };
      await (partQueues[p] as Queue<PartitionPartData>).add('part', closing, {
        jobId: jobIds.closing(closing.seq, closing.part),
        ...partOptions,
      });
    };

  const noCleanup = async () => {};
  const workers: RunningWorker[] = [
    startBullWorker<PartJobData, PartJobResult>(
      topology.aggregate,
      withFailurePolicy(routing, logger),
      settings,
      connection,
      logger,
      onRouteFinal,
      noCleanup,
    ),
    ...applying.map((processor, p) =>
      startBullWorker<PartitionPartData, PartJobResult>(
        topology.partition(p),
        withFailurePolicy(processor, logger),
        settings,
        connection,
        logger,
        onPartFinal(p),
        noCleanup,
      ),
    ),
  ];
  let closing: Promise<void> | undefined;
  return {
    worker: (workers[0] as RunningWorker).worker,
    stats: () => {
      const t = { batches: 0, rounds: 0, loadMs: 0, computeMs: 0, commitMs: 0, waitMs: 0, memberLists: 0 };
      for (const s of store.partitions)
        for (const k of Object.keys(t) as Array<keyof typeof t>) t[k] += s.timings[k];
      return { ...t, ...counters };
    },
    close: () => {
      closing ??= (async () => {
        await Promise.all(workers.map((w) => w.close()));
        await store.close();
        await emitQueue.close();
        await routeQueue.close();
        await Promise.all(partQueues.map((q) => q.close()));
        await deadLetters.close();
        await quitQuietly(connection);
      })();
      return closing;
    },
  };
}
