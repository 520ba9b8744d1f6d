/**
 * A real redis-server for tests: 127.0.0.1 only, a free port, a temp dir, no persistence.
 * Start it in beforeAll and stop it in afterAll.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
