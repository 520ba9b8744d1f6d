/**
 * `s321 worker ingest|aggregate|emit` against a real redis-server: the first SIGTERM stops the
 * worker (exit 0) promptly; with Redis gone before the signal, it exits 1 at once saying why, instead
 * of waiting for a Redis that does not come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { startCli } from './support/cli-process.js';

let redis: RedisTestServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe('worker processes and SIGTERM', () => {
  it.each(['ingest', 'aggregate', 'emit'])('worker %s exits 0 on the first SIGTERM', async (kind) => {
    const w = startCli(['worker', kind, '--redis-url', redis.url, '--queue', `sig-${kind}`]);
    await w.waitForStderr(new RegExp(`s321 worker ${kind}: queue sig-${kind}`), 20_000);
    w.child.kill('SIGTERM');
    const { code, waitedMs } = await w.exited(15_000);
    expect(code).toBe(0);
    expect(waitedMs).toBeLessThan(10_000);
    expect(w.stderr()).toContain(`s321 worker ${kind}: SIGTERM: finishing the jobs in hand`);
  });

  it('worker aggregate whose Redis went away exits 1 on the first SIGTERM, saying why', async () => {
    const own = await startRedisServer();
    try {
      const w = startCli(['worker', 'aggregate', '--redis-url', own.url, '--queue', 'sig-gone']);
      await w.waitForStderr(/s321 worker aggregate: queue sig-gone/, 20_000);
      await own.stop();
      w.child.kill('SIGTERM');
      const { code, waitedMs } = await w.exited(15_000);
      expect(code).toBe(1);
      expect(waitedMs).toBeLessThan(10_000);
      expect(w.stderr()).toMatch(
        /s321 worker aggregate: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*; jobs in hand are left to be run again/,
      );
    } finally {
      await own.stop().catch(() => undefined);
    }
  });
});
