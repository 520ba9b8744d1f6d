/**
 * `s321 serve`'s HTTP listener, on the HTTP shell (src/adapters/http/http-server.ts: loopback by
 * default, bearer token required elsewhere): the API over the Redis store (registerApiRoutes over
 * createApiService, as `s321 api` over SQLite; a partitioned store through PartitionedApiReads),
 * the operations endpoints (/healthz, /readyz,
 * /metrics) and the queue dashboard at /admin/queues. /healthz and /readyz answer without the
 * token (probes); everything else needs it when the server has one.
 * Ready means: Redis answers, each of the four queues answers, and the in-process workers run.
 * `s321 worker --http-port` serves the same without the API and the dashboard.
 */
import { Queue } from 'bullmq';
import type { Command } from 'commander';
import type { RunningWorker } from '../../../workers/worker-runtime.js';
import { registerApiRoutes } from '../../adapters/http/api-routes.js';
import {
  checkHttpOptions,
  createHttpServer,
  DEFAULT_HTTP_HOST,
  resolveHttpToken,
} from '../../adapters/http/http-server.js';
import {
  instrumentHttp,
  OPEN_OPS_PATHS,
  type ReadinessCheck,
  registerOpsRoutes,
} from '../../adapters/http/ops-routes.js';
import type { PrometheusMetrics } from '../../adapters/metrics/prometheus.js';
import { openRedis } from '../../adapters/queue/bullmq-connection.js';
import { queueSnapshotReader } from '../../adapters/queue/queue-snapshot.js';
import { bullQueuePrefix, queueTopology } from '../../adapters/queue/queue-topology.js';
import { PartitionedApiReads } from '../../adapters/store/redis/partitioned-api-reads.js';
import { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import { RedisDecisionStore } from '../../adapters/store/redis/redis-store.js';
import { existingPartitions, resolveStorePartitions } from '../../adapters/store/redis/store-partitions.js';
import { createApiService } from '../../app/api-service.js';
import { resolveAggregation } from '../../app/queue/aggregation-settings.js';
import type { QueueRuntime } from '../../app/queue/runtime-config.js';
import type { Logger } from '../../config/logger.js';
import type { ServeHttpOptions } from './http-options.js';

export interface ServeHttp {
  url: string;
  close(): Promise<void>;
}

export async function startServeHttp(
  options: ServeHttpOptions,
  runtime: QueueRuntime,
  metrics: PrometheusMetrics,
  workers: readonly RunningWorker[],
  logger: Logger,
): Promise<ServeHttp> {
  const token = options.token;
  const server = createHttpServer({
    host: options.host,
    port: options.port,
    ...(token !== undefined ? { token } : {}),
    logger: logger.child({ component: 'http' }),
    openPaths: [...OPEN_OPS_PATHS],
  });
  const { settings } = runtime;
  const client = openRedis(settings.redis, 's321-http');
  const { config, configId } = resolveAggregation(runtime.aggregation);
  const snapshot = queueSnapshotReader(client, settings);
  metrics.watchQueues(() => snapshot.read());
  const topology = queueTopology(settings.queueName);
  const queues = [topology.ingest, topology.aggregate, topology.emit, topology.deadLetter].map(
    (name) => new Queue(name, { connection: client, prefix: bullQueuePrefix(settings, name) }),
  );
  for (const q of queues) q.on('error', () => {}); // a failing call answers for itself (readyz, API)
  const ready: ReadinessCheck[] = [
    {
      name: 'redis',
      check: async () => {
        if ((await client.ping()) !== 'PONG') throw new Error('Redis did not answer PONG');
      },
    },
    ...queues.map((q) => ({
      name: `queue:${q.name}`,
      check: async () => {
        await q.getJobCounts('wait');
      },
    })),
    {
      name: 'workers',
      check: async () => {
        const stopped = workers.filter((w) => !w.worker.isRunning()).map((w) => w.worker.name);
        if (stopped.length > 0) throw new Error(`not running: ${stopped.join(', ')}`);
      },
    },
  ];
  instrumentHttp(server.app, metrics);
  // A partitioned store's state is in its partitions and the router's bill index: the API reads
  // them through PartitionedApiReads (listings, bills, pre-checks split by partition).
  const partitions = existingPartitions(
    await resolveStorePartitions(client, settings.storeNamespace, settings.partitions),
  );
  const namespace = settings.storeNamespace;
  const stores =
    partitions > 0
      ? new PartitionedRedisStore({ client, namespace, configId, partitions })
      : new RedisDecisionStore({ client, namespace, configId });
  if (options.api ?? true) {
    registerApiRoutes(
      server.app,
      createApiService(stores instanceof PartitionedRedisStore ? new PartitionedApiReads(stores) : stores, {
        aggregation: config,
        ...(settings.rates !== undefined ? { rates: settings.rates } : {}),
      }),
    );
  }
  await registerOpsRoutes(server.app, {
    metrics,
    ready,
    ...((options.dashboard ?? true) ? { queues } : {}),
  });
  const { url } = await server.listen();
  return {
    url,
    async close() {
      await server.close();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      await snapshot.close().catch(() => undefined);
      await stores.close().catch(() => undefined);
      await client.quit().catch(() => client.disconnect());
    },
  };
}
