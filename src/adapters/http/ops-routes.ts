/**
 * The operations endpoints every s321 HTTP server carries (`s321 serve`, `s321 api`), mounted on the
 * HTTP shell's fastify instance (./http-server.ts) and so behind its bearer-token auth:
 *   GET /healthz       the process is up and serving (no dependency is asked)
 *   GET /readyz        every readiness check passes (store / Redis reachable, the workers' queues
 *                      answer), each bounded in time; 503 naming the ones that failed otherwise
 *   GET /metrics       Prometheus exposition of this process's registry (src/adapters/metrics)
 *   /admin/queues      the BullMQ queue dashboard (bull-board), when queues are given
 * `/healthz` and `/readyz` are meant as the shell's `openPaths` (probes carry no token; they answer
 * with no data beyond ok / which check failed); the metrics and the dashboard need the token
 * whenever the server has one.
 */
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { PrometheusMetrics } from '../metrics/prometheus.js';

export interface ReadinessCheck {
  /** Shown in /readyz's answer: 'redis', 'queue:s321-interchanges', 'store', … */
  name: string;
  /** Resolves when ready; rejects (or times out) when not. */
  check: () => Promise<void>;
}

export interface OpsRoutesOptions {
  metrics: PrometheusMetrics;
  ready: readonly ReadinessCheck[];
  /** The queues the dashboard shows; none: no dashboard. */
  queues?: readonly Queue[];
  /** Time one readiness check may take before it counts as failed (default 2000 ms). */
  readyTimeoutMs?: number;
}

/** Probes that need no token: what the shell's `openPaths` should list. */
export const OPEN_OPS_PATHS = ['/healthz', '/readyz'] as const;
export const DASHBOARD_PATH = '/admin/queues';

async function within(ms: number, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Counts every request the server answers (s321_http_requests_total, …_duration_seconds) under its
 * route pattern (bounded label values; an unknown path counts as 'unmatched'). Call it before the
 * routes are registered, so every route has the hook.
 */
export function instrumentHttp(app: FastifyInstance, metrics: PrometheusMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}

export async function registerOpsRoutes(app: FastifyInstance, options: OpsRoutesOptions): Promise<void> {
  const timeoutMs = options.readyTimeoutMs ?? 2_000;
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      options.ready.map(async (c) => {
        try {
          await within(timeoutMs, c.check());
          return [c.name, 'ok'] as const;
        } catch (err) {
          return [c.name, err instanceof Error ? err.message : String(err)] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.metrics();
    return reply.header('content-type', options.metrics.contentType).send(text);
  });

  if (options.queues !== undefined && options.queues.length > 0) {
    // bull-board (~30 MB with its UI) is loaded only by a server that shows the dashboard.
    const { createBullBoard } = await import('@bull-board/api');
    const { BullMQAdapter } = await import('@bull-board/api/bullMQAdapter');
    const { FastifyAdapter } = await import('@bull-board/fastify');
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: options.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 's321 queues' } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  }
}
