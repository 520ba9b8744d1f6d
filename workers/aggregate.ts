/**
 * Composition root of the aggregate worker (`s321 worker aggregate`): parts of ingested inputs →
 * gated applyInOrder on the Redis decision store → emit triggers. Any number of these may run on any
 * number of machines; the store's ordered gate makes them apply parts one at a time in arrival order.
 */
import { type Job, Queue } from 'bullmq';
import { openRedis } from '../src/adapters/queue/bullmq-connection.js';
import { DeadLetterQueue } from '../src/adapters/queue/dead-letter.js';
import { createPartSource } from '../src/adapters/queue/part-source.js';
import {
  bullQueuePrefix,
  jobIds,
  KEEP_FINISHED,
  PART_RETENTION,
  queueTopology,
  retryJobOptions,
} from '../src/adapters/queue/queue-topology.js';
import { tryLease } from '../src/adapters/queue/redis-lock.js';
import { RedisDecisionStore } from '../src/adapters/store/redis/redis-store.js';
import {
  createAggregateProcessor,
  type PartJobResult,
  storeStage,
} from '../src/app/queue/aggregate-processor.js';
import { resolveAggregation } from '../src/app/queue/aggregation-settings.js';
import { deadLetterEntry, withFailurePolicy } from '../src/app/queue/dead-lettering.js';
import { closingPartOf, type EmitJobData, type PartJobData } from '../src/app/queue/job-data.js';
import { silentLogger } from '../src/config/logger.js';
import type { AggregateWorkerOptions } from './aggregate-options.js';
import { startPartitionedAggregateWorker } from './aggregate-partitioned.js';
import {
  logQueueErrors,
  quitQuietly,
  type RunningWorker,
  settlePartitions,
  startBullWorker,
} from './worker-runtime.js';

export type { AggregateWorkerOptions };

export async function startAggregateWorker(options: AggregateWorkerOptions): Promise<RunningWorker> {
  const logger = options.logger ?? silentLogger;
  // The store's count (recorded, or recorded now for a new namespace: the setting, else the
  // default); a setting that differs from the recorded count is refused (exit 1).
  const settings = await settlePartitions(options.settings, logger, 's321-aggregate');
  if (settings.partitions > 0) return startPartitionedAggregateWorker({ ...options, settings, logger });
  const topology = queueTopology(settings.queueName);
  const connection = openRedis(settings.redis, 's321-aggregate');
  const { config, configId } = resolveAggregation(options.aggregation);
  const store = new RedisDecisionStore({ client: connection, namespace: settings.storeNamespace, configId });
  const emitQueue = logQueueErrors(
    new Queue<EmitJobData>(topology.emit, { connection, prefix: bullQueuePrefix(settings, topology.emit) }),
    topology.emit,
    logger,
  );
  const partQueue = logQueueErrors(
    new Queue<PartJobData>(topology.aggregate, {
      connection,
      prefix: bullQueuePrefix(settings, topology.aggregate),
    }),
    topology.aggregate,
    logger,
  );
  const deadLetters = new DeadLetterQueue(
    topology.deadLetter,
    connection,
    bullQueuePrefix(settings, topology.deadLetter),
  );
  logQueueErrors(deadLetters.queue, topology.deadLetter, logger);

  const counters = { pulled: 0, requeued: 0 };
  const processor = createAggregateProcessor({
    stage: storeStage(store, config),
    logger,
    parts: createPartSource(connection, partQueue),
    claim: (seq, part, ms) => tryLease(connection, store.keys.claim(seq, part), ms),
    stats: counters,
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
    ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
    triggerEmit: async (seq, part) => {
      await emitQueue.add(
        'emit',
        { seq, part },
        { jobId: jobIds.emitAfter(seq, part), ...retryJobOptions(settings.retry), ...KEEP_FINISHED },
      );
    },
  });

  // A part that fails for good: its events go to the dead-letter queue and its position is closed
  // with an empty part (same `last`), so the parts and inputs after it still apply.
  const onFinal = async (job: Job<PartJobData>, reason: string): Promise<void> => {
    const data = job.data as Partial<PartJobData>;
    const closing = closingPartOf(data, reason);
    await deadLetters.add(
      deadLetterEntry(
        job,
        {
          kind: 'failed',
          attemptsMade: job.attemptsMade,
          reason,
          ...(closing !== undefined ? { seq: closing.seq, part: closing.part } : {}),
          ...(typeof data.name === 'string' ? { name: data.name } : {}),
        },
        new Date(),
      ),
    );
    if (closing === undefined) {
      logger.error(
        { jobId: job.id },
        'part without a readable position dead-lettered: its sequence needs `s321 queue skip`',
      );
      return;
    }
    await partQueue.add('part', closing, {
      jobId: jobIds.closing(closing.seq, closing.part),
      ...retryJobOptions(settings.retry),
      ...PART_RETENTION,
    });
  };

  return startBullWorker<PartJobData, PartJobResult>(
    topology.aggregate,
    withFailurePolicy(processor, logger),
    settings,
    connection,
    logger,
    onFinal,
    async () => {
      await store.close();
      await emitQueue.close();
      await partQueue.close();
      await deadLetters.close();
      await quitQuietly(connection);
    },
    () => ({ ...store.timings, ...counters }),
  );
}
