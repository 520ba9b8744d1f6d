/**
 * Composition root of the emit worker (`s321 worker emit`): pending decisions on the Redis store →
 * outbound files, with the embedded mode's emitter (passed in as `emit`), which also writes the
 * acknowledgments the ingest workers recorded (every recorded, unwritten file). Run it where the outbound
 * folder is; several may run, one emits at a time (a lease), and the store refuses to record a
 * decision twice, so no notification goes out twice.
 */
import { Queue } from 'bullmq';
import { openRedis } from '../src/adapters/queue/bullmq-connection.js';
import { bullQueuePrefix, KEEP_FINISHED, queueTopology } from '../src/adapters/queue/queue-topology.js';
import { leaseHolder, tryLease } from '../src/adapters/queue/redis-lock.js';
import { PartitionedRedisStore } from '../src/adapters/store/redis/partitioned-store.js';
import { RedisDecisionStore } from '../src/adapters/store/redis/redis-store.js';
import { withFailurePolicy } from '../src/app/queue/dead-lettering.js';
import { createEmitProcessor, type EmitJobResult } from '../src/app/queue/emit-processor.js';
import type { EmitJobData } from '../src/app/queue/job-data.js';
import type { WorkerSettings } from '../src/app/queue/worker-settings.js';
import { type AdapterLogger, silentLogger } from '../src/config/logger.js';
import type { DecisionStore } from '../src/ports/decision-store.js';
import {
  logQueueErrors,
  quitQuietly,
  type RunningWorker,
  settlePartitions,
  startBullWorker,
} from './worker-runtime.js';

/** Writes every pending decision of `store` as outbound files; returns how many files. */
export type EmitOutbound = (store: DecisionStore) => Promise<{ files: number }>;

export const DEFAULT_EMIT_LEASE_MS = 15_000;

export interface EmitWorkerOptions {
  settings: WorkerSettings;
  emit: EmitOutbound;
  /**
   * The emit lease's time to live (default 15 s), renewed every third of it while held: how long a
   * killed emitter's lease holds the others back.
   */
  leaseMs?: number;
  logger?: AdapterLogger;
}

export async function startEmitWorker(options: EmitWorkerOptions): Promise<RunningWorker> {
  const logger = options.logger ?? silentLogger;
  // Which partitions hold decisions: the store's count, as the aggregate workers settle it.
  const settings = await settlePartitions(options.settings, logger, 's321-emit');
  const topology = queueTopology(settings.queueName);
  const connection = openRedis(settings.redis, 's321-emit');
  const store = new RedisDecisionStore({ client: connection, namespace: settings.storeNamespace });
  const partitioned =
    settings.partitions === 0
      ? undefined
      : new PartitionedRedisStore({
          client: connection,
          namespace: settings.storeNamespace,
          partitions: settings.partitions,
        });
  const leaseKey = `${store.keys.prefix}emit-lease`;
  const leaseMs = options.leaseMs ?? DEFAULT_EMIT_LEASE_MS;
  const processor = createEmitProcessor({
    tryLease: () =>
      tryLease(connection, leaseKey, leaseMs, {
        heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)),
        onLost: () =>
          logger.warn({ leaseKey }, 'emit lease lost while emitting (Redis unreachable or expired)'),
      }),
    leaseHolder: () => leaseHolder(connection, leaseKey),
    emit: async () => {
      // Partitioned: the acknowledgments (shared store), then each partition's decisions.
      let files = (await options.emit(store)).files;
      for (let p = 0; p < (partitioned?.count ?? 0); p++)
        files += (await options.emit((partitioned as PartitionedRedisStore).emitView(p))).files;
      return { files };
    },
    logger,
  });
  const running = startBullWorker<EmitJobData, EmitJobResult>(
    topology.emit,
    // As for the other workers: failures are logged (they were silent here), a Redis connection
    // fault uses up no try.
    withFailurePolicy(processor, logger),
    settings,
    connection,
    logger,
    undefined,
    async () => {
      await store.close();
      await partitioned?.close();
      await quitQuietly(connection);
    },
  );
  // One run at start: decisions committed while no emitter ran, and files a crash left recorded
  // but unwritten, go out now rather than at the next commit.
  const kick = logQueueErrors(
    new Queue<EmitJobData>(topology.emit, { connection, prefix: bullQueuePrefix(settings, topology.emit) }),
    topology.emit,
    logger,
  );
  await kick.add(
    'emit',
    {},
    { jobId: `emit-start-${Date.now().toString(36)}-${process.pid}`, ...KEEP_FINISHED },
  );
  await kick.close();
  return running;
}
