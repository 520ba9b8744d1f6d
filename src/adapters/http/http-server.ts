/**
 * The HTTP server shell every s321 HTTP surface mounts on (issue #16): `s321 api` (SQLite store) and
 * `s321 serve` (queue mode: API, metrics, health, queue dashboard).
 *
 * Exported shape (kept stable; other branches build on it):
 *
 *   const server = createHttpServer({
 *     host?: string,            // default '127.0.0.1'
 *     port?: number,            // default 8321; 0 = any free port
 *     token?: string,           // bearer token; REQUIRED when host is not loopback (else ConfigError)
 *     bodyLimitBytes?: number,  // default 1 MiB; larger bodies get 413
 *     logger?: Logger,          // pino (config/logger.ts createLogger); default one named 's321-http'
 *     openPaths?: string[],     // exact paths served without the token (e.g. '/healthz', '/readyz')
 *   });
 *   server.app        // the FastifyInstance: register routes / plugins on it before listen()
 *   await server.listen()   // → { url: 'http://127.0.0.1:8321', port: 8321 }
 *   await server.close()    // graceful: stops accepting, finishes requests in flight (503 to new ones)
 *
 *   registerApiRoutes(server.app, port: ApiPort)   // ./api-routes.ts: /v1/precheck, /v1/person-days,
 *                                                  // /v1/bills/:bill, /v1/openapi.json
 *   // ApiPort is src/ports/api.ts; over a store it is built by src/app/api-service.ts:
 *   //   createApiService(store (SQLite or Redis), { aggregation: AggregationConfig, rates?: RateTable })
 *   resolveHttpToken({ tokenFile?, env? })         // the token from a file or $S321_API_TOKEN
 *
 * Auth: with a token, every request but `openPaths` needs `Authorization: Bearer <token>` (401
 * otherwise, compared in constant time over SHA-256 digests so neither length nor prefix leaks);
 * without one the server binds loopback only. The token is never logged: the logger redacts
 * `authorization` (config/redact.ts) and the request serializer logs no headers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { ConfigError } from '../../config/config-error.js';
import { createLogger, type Logger } from '../../config/logger.js';

export interface HttpServerOptions {
  host?: string;
  port?: number;
  token?: string;
  bodyLimitBytes?: number;
  logger?: Logger;
  openPaths?: readonly string[];
}

export interface HttpServer {
  readonly app: FastifyInstance;
  readonly host: string;
  /** Binds host:port; resolves with the address actually bound (port 0 picks a free one). */
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8321;
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** The environment variable `resolveHttpToken` reads when no token file is named. */
export const HTTP_TOKEN_ENV = 'S321_API_TOKEN';

/** 127.0.0.0/8, ::1 and `localhost`: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Checks the bind settings: a token must be usable (no whitespace, at least 16 characters) and is
 * required off loopback. Every problem at once, as the config loader reports them.
 */
export function checkHttpOptions(options: HttpServerOptions): void {
  const problems: Array<{ path: string; message: string }> = [];
  const host = options.host ?? DEFAULT_HTTP_HOST;
  if (host.trim() === '') problems.push({ path: 'http.host', message: 'empty host' });
  const port = options.port ?? DEFAULT_HTTP_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push({ path: 'http.port', message: 'expected a port 0-65535' });
  if (options.token !== undefined && (options.token.length < 16 || /\s/.test(options.token)))
    problems.push({
      path: 'http.token',
      message: 'a bearer token must be at least 16 characters without whitespace',
    });
  if (options.token === undefined && !isLoopbackHost(host))
    problems.push({
      path: 'http.token',
      message: `binding ${host} (not loopback) needs a bearer token (--token-file or $${HTTP_TOKEN_ENV}); without one the server binds 127.0.0.1 only`,
    });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!Number.isInteger(limit) || limit < 1)
    problems.push({ path: 'http.bodyLimitBytes', message: 'expected a positive integer' });
  if (problems.length > 0) throw new ConfigError('http server', problems);
}

/** The token from `tokenFile` (trimmed; the file holds only it), else `$S321_API_TOKEN`, else none. */
export async function resolveHttpToken(
  options: { tokenFile?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<string | undefined> {
  if (options.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(options.tokenFile, 'utf8');
    } catch (err) {
      throw new ConfigError('http server', [
        {
          path: 'http.tokenFile',
          message: `cannot read ${options.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        },
      ]);
    }
    const token = text.trim();
    if (token === '')
      throw new ConfigError('http server', [
        { path: 'http.tokenFile', message: `${options.tokenFile} is empty` },
      ]);
    return token;
  }
  const fromEnv = (options.env ?? process.env)[HTTP_TOKEN_ENV];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time: both sides are hashed to 32 bytes first, so the comparison never depends on length. */
function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = digest(match?.[1] ?? '');
  return timingSafeEqual(given, expected) && match !== null;
}

export function createHttpServer(options: HttpServerOptions = {}): HttpServer {
  checkHttpOptions(options);
  const host = options.host ?? DEFAULT_HTTP_HOST;
  const port = options.port ?? DEFAULT_HTTP_PORT;
  const logger = options.logger ?? createLogger({ name: 's321-http' });
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; typed as the base so the instance is the plain FastifyInstance.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // A closing server answers 503 to new requests and ends idle keep-alive sockets, so close()
    // returns once the requests in flight are answered.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Query strings are parsed by node:querystring (repeated keys become arrays; zod refuses them).
    routerOptions: { ignoreTrailingSlash: true },
  });

  // Requests in flight when close() is called end their connection with their answer: a keep-alive
  // socket that was busy then would otherwise hold close() until its idle timeout (72 s).
  let closing = false;
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  if (options.token !== undefined) {
    const expected = digest(options.token);
    const open = new Set(options.openPaths ?? []);
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? '';
      if (open.has(path)) return;
      if (!bearerMatches(request.headers.authorization, expected)) {
        reply.header('www-authenticate', 'Bearer realm="s321"');
        await reply.code(401).send({ error: 'unauthorized', message: 'a valid bearer token is required' });
      }
    });
  }

  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?', 1)[0]}` });
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      void reply.code(status).send({ error: 'internal', message: 'the request failed; see the server log' });
      return;
    }
    void reply.code(status).send({ error: err.code ?? 'bad-request', message: err.message });
  });

  return {
    app,
    host,
    async listen() {
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      const urlHost = isIP(host) === 6 ? `[${host}]` : host;
      return { url: `http://${urlHost}:${bound}`, port: bound };
    },
    async close() {
      closing = true;
      await app.close();
    },
  };
}
