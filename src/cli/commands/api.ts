/**
 * `s321 api --db FILE`: the HTTP API (docs/api.md) over the SQLite store a replay writes. The store
 * is opened read-only and takes no store lock, so the API runs beside a replay: each request reads
 * one snapshot (a read transaction), and a pre-check's view is rebuilt when the replay has committed
 * since the last one. Binds 127.0.0.1:8321 by default; any other address needs a bearer token
 * (--token-file, else $S321_API_TOKEN). /healthz, /readyz (the database reads) and /metrics beside
 * the API (src/adapters/http/ops-routes.ts). SIGTERM/SIGINT: requests in flight are answered, then exit 0.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { registerApiRoutes } from '../../adapters/http/api-routes.js';
import {
  createHttpServer,
  DEFAULT_HTTP_HOST,
  DEFAULT_HTTP_PORT,
  resolveHttpToken,
} from '../../adapters/http/http-server.js';
import { OPEN_OPS_PATHS } from '../../adapters/http/ops-routes.js';
import { createLogger } from '../../config/logger.js';
import { nonNegativeInt } from '../option-parsers.js';
import { addStoreApiOptions, openStoreApi, type StoreApiOptions } from './api-options.js';

interface ApiCliOptions extends StoreApiOptions {
  host: string;
  port: number;
  tokenFile?: string;
  bodyLimit: number;
  logLevel: 'info';
}

export function registerApi(program: Command): void {
  addStoreApiOptions(
    program
      .command('api')
      .description('HTTP API over a SQLite store: pre-check shipments, person-days, bills (docs/api.md)'),
  )
    .option(
      '--host <address>',
      'address to bind (not loopback: a bearer token is required)',
      DEFAULT_HTTP_HOST,
    )
    .option('--port <n>', 'port to bind (0: any free port)', nonNegativeInt, DEFAULT_HTTP_PORT)
    .option('--token-file <file>', 'file holding the bearer token (else $S321_API_TOKEN)')
    .option('--body-limit <bytes>', 'largest request body accepted', nonNegativeInt, 1024 * 1024)
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: ApiCliOptions) => {
      const token = await resolveHttpToken(opts.tokenFile !== undefined ? { tokenFile: opts.tokenFile } : {});
      const logger = createLogger({ name: 's321-api', level: opts.logLevel });
      // Bind settings are checked before the store is opened: a refused start touches nothing.
      const server = createHttpServer({
        host: opts.host,
        port: opts.port,
        bodyLimitBytes: opts.bodyLimit,
        logger,
        // Probes need no token; /metrics and the API do whenever there is one.
        openPaths: [...OPEN_OPS_PATHS],
        ...(token !== undefined ? { token } : {}),
      });
      const { api, store } = await openStoreApi(opts);
      // Loaded when the API runs, not when any s321 command starts (prom-client, the ops routes).
      const { PrometheusMetrics } = await import('../../adapters/metrics/prometheus.js');
      const { instrumentHttp, registerOpsRoutes } = await import('../../adapters/http/ops-routes.js');
      const metrics = new PrometheusMetrics({ role: 'api' });
      instrumentHttp(server.app, metrics);
      registerApiRoutes(server.app, api);
      // Ready: the database file is still there and reads.
      await registerOpsRoutes(server.app, {
        metrics,
        ready: [
          {
            name: 'store',
            check: async () => {
              if (!existsSync(opts.db)) throw new Error(`${opts.db} is gone`);
              store.ping();
            },
          },
        ],
      });
      let stopping: Promise<void> | undefined;
      const stop = (signal: string): void => {
        if (stopping !== undefined) {
          process.stderr.write(`s321 api: ${signal} again: exiting without waiting\n`);
          process.exit(1);
        }
        process.stderr.write(`s321 api: ${signal}: answering the requests in flight, then exiting\n`);
        stopping = server.close().then(() => store.close());
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      try {
        const { url } = await server.listen();
        process.stderr.write(
          `s321 api: ${url} over ${opts.db}${token !== undefined ? ' (bearer token required)' : ''}\n`,
        );
      } catch (err) {
        await store.close();
        throw err;
      }
    });
}
