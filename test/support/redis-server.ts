/**
 * A real redis-server for tests: 127.0.0.1 only, a free port, a temp dir, no persistence.
 * Start it in beforeAll and stop it in afterAll, or let useRedisServer do both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { loopbackRedisArgs } from '../../src/testkit/redis-args.js';
import { redisServerBinary } from './binaries.js';
import { type ChildServer, ServerStartError, startChildServer } from './child-server.js';
import { freePort } from './free-port.js';

export interface RedisTestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startRedisServer(
  options: { startTimeoutMs?: number; attempts?: number } = {},
): Promise<RedisTestServer> {
  const binary = redisServerBinary();
  const dir = await mkdtemp(join(tmpdir(), 's321-redis-'));
  const attempts = options.attempts ?? 5;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    const args = [...loopbackRedisArgs(port, dir), '--loglevel', 'notice'];
    let server: ChildServer;
    try {
      server = await startChildServer(
        'redis-server',
        binary,
        args,
        /Ready to accept connections/,
        options.startTimeoutMs ?? 15_000,
      );
    } catch (err) {
      lastError = err;
      if (err instanceof ServerStartError && err.portInUse) continue;
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      host: '127.0.0.1',
      port,
      url: `redis://127.0.0.1:${port}`,
      dir,
      output: server.output,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('redis-server did not start');
}

/** A test file's own redis-server and one client on it (see useRedisServer). */
export interface RedisForTests {
  readonly server: RedisTestServer;
  readonly client: Redis;
}

/**
 * Call at the top of a test file: starts a redis-server and a client on it before the file's tests
 * and closes both after them. The returned object gives them inside tests.
 */
export function useRedisServer(clientOptions: { maxRetriesPerRequest: number | null }): RedisForTests {
  let server: RedisTestServer | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, clientOptions);
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('redis-server not started (call useRedisServer at the top of the file)');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get client() {
      return started(client);
    },
  };
}
