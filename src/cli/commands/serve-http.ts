/**
 * `s321 serve`'s HTTP listener, on the HTTP shell (src/adapters/http/http-server.ts: loopback by
 * default, bearer token required elsewhere): the API over the Redis store (registerApiRoutes over
 * createApiService, as `s321 api` over SQLite), the operations endpoints (/healthz, /readyz,
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
import { queueTopology } from '../../adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../adapters/store/redis/redis-store.js';
import { createApiService } from '../../app/api-service.js';
import { resolveAggregation } from '../../app/queue/aggregation-settings.js';
import type { QueueRuntime } from '../../app/queue/runtime-config.js';
import type { ServiceConfig } from '../../config/load-config.js';
import type { Logger } from '../../config/logger.js';
import { nonNegativeInt } from '../option-parsers.js';

export interface ServeHttpOptions {
  host: string;
  port: number;
  /** Resolved and checked before serve starts anything (checkHttpOptions). */
  token?: string;
  /** The API routes over the Redis store (serve: yes; a lone worker: no). Default true. */
  api?: boolean;
  /** The queue dashboard at /admin/queues (serve: yes; a lone worker: no). Default true. */
  dashboard?: boolean;
}

export interface HttpCliOptions {
  httpHost?: string;
  httpPort?: number;
  tokenFile?: string;
}

/** The listener's options, shared by `serve` and `worker`. */
export function addHttpOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--http-host <host>', `HTTP listener (${what}) address (default: config http.host, 127.0.0.1)`)
    .option(
      '--http-port <port>',
      'HTTP listener port, 0 for any free one (default: config http.port; neither: no HTTP listener)',
      nonNegativeInt,
    )
    .option(
      '--token-file <file>',
      'bearer token of the HTTP listener (default: config http.tokenFile, $S321_API_TOKEN); required off loopback',
    );
}

/**
 * The listener's settings from the flags and the config, checked (a non-loopback host without a
 * token throws ConfigError: exit 2) before the command starts anything; undefined: no listener.
 */
export async function resolveHttpSettings(
  opts: HttpCliOptions,
  service: ServiceConfig | undefined,
): Promise<ServeHttpOptions | undefined> {
  const port = opts.httpPort ?? service?.http.port;
  if (port === undefined) return undefined;
  const tokenFile = opts.tokenFile ?? service?.http.tokenFile;
  const token = await resolveHttpToken(tokenFile !== undefined ? { tokenFile } : {});
  const settings: ServeHttpOptions = {
    host: opts.httpHost ?? service?.http.host ?? DEFAULT_HTTP_HOST,
    port,
    ...(token !== undefined ? { token } : {}),
  };
  checkHttpOptions(settings);
  return settings;
}

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
  const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace, configId });
  const snapshot = queueSnapshotReader(client, settings);
  metrics.watchQueues(() => snapshot.read());
  const topology = queueTopology(settings.queueName);
  const queues = [topology.ingest, topology.aggregate, topology.emit, topology.deadLetter].map(
    (name) => new Queue(name, { connection: client, prefix: settings.bullPrefix }),
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
  if (options.api ?? true)
    registerApiRoutes(
      server.app,
      createApiService(store, {
        aggregation: config,
        ...(settings.rates !== undefined ? { rates: settings.rates } : {}),
      }),
    );
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
      await client.quit().catch(() => client.disconnect());
    },
  };
}
