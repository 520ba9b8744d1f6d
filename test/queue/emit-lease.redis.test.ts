/**
 * The emit lease after kill -9 (real redis-server on 127.0.0.1): a holder renews its short lease
 * while it lives, a killed holder's lease lapses within its time to live, and the emitter that
 * waits for it logs the stall (naming the holder) and then takes over. Before, the lease lived
 * 300 s with no heartbeat and nothing was logged while acknowledgments and outbound files waited.
 * Also: the Redis endpoint policy (a password-less Redis is warned about, a remote one refused).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRedisEndpoint, InsecureRedisError } from '../../src/adapters/queue/redis-endpoint-policy.js';
import { leaseHolder, tryLease } from '../../src/adapters/queue/redis-lock.js';
import { useRedisServer } from '../support/redis-server.js';

const redis = useRedisServer({ maxRetriesPerRequest: null });
const CLI = resolve('dist/src/cli/main.js');
const scratch = mkdtempSync(join(tmpdir(), 's321-emit-lease-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('emit lease', () => {
  it('is renewed while held and lapses within its time to live once its holder stops', async () => {
    const key = 'test:lease-heartbeat';
    const held = await tryLease(redis.client, key, 600, { heartbeatMs: 200 });
    expect(held).toBeDefined();
    await sleep(1500); // 2.5 times the time to live
    expect(await tryLease(redis.client, key, 600)).toBeUndefined();
    expect((await leaseHolder(redis.client, key))?.holder).toMatch(new RegExp(`pid ${process.pid}$`));
    await held?.release();
    const next = await tryLease(redis.client, key, 600);
    expect(next).toBeDefined();
    // No heartbeat (a killed holder): free again after the time to live.
    await sleep(800);
    expect(await tryLease(redis.client, key, 600)).toBeDefined();
  });

  it('after kill -9 of the emitter holding it, a restarted emitter logs the stall and takes over within the lease time', async () => {
    const out = join(scratch, 'out', 'outbound');
    const args = [
      CLI,
      'worker',
      'emit',
      '--redis-url',
      redis.server.url,
      '--queue',
      'lease-test',
      '--out',
      out,
    ];
    // The first emitter dies (SIGKILL) while it holds the lease, as `s321 serve` did under kill -9.
    const first = spawnSync(process.execPath, args, {
      env: { ...process.env, S321_FAULT: 'emit-lease-held:kill' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(first.signal).toBe('SIGKILL');
    const started = Date.now();
    const second = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    second.stdout.on('data', (d) => {
      log += String(d);
    });
    second.stderr.on('data', (d) => {
      log += String(d);
    });
    try {
      const deadline = started + 40_000;
      while (!/outbound emitted/.test(log) && Date.now() < deadline) await sleep(100);
      expect(log).toMatch(/emit stalled/);
      expect(log).toMatch(/outbound emitted/);
      expect(Date.now() - started).toBeLessThan(25_000); // the default lease is 15 s
    } finally {
      second.kill('SIGKILL');
    }
  }, 60_000);
});

describe('Redis endpoint policy', () => {
  it('loopback without a password: a warning; another host without one: refused unless allowed; without TLS: a warning', () => {
    expect(checkRedisEndpoint({ url: 'redis://127.0.0.1:6379' }).warnings.join('\n')).toMatch(/no password/);
    expect(checkRedisEndpoint({ url: 'redis://localhost:6379', password: 'x' }).warnings).toEqual([]);
    expect(() => checkRedisEndpoint({ url: 'redis://10.1.2.3:6379' })).toThrow(InsecureRedisError);
    const allowed = checkRedisEndpoint({ url: 'redis://10.1.2.3:6379' }, true).warnings.join('\n');
    expect(allowed).toMatch(/no password/);
    expect(allowed).toMatch(/without TLS/);
    expect(checkRedisEndpoint({ url: 'redis://:pw@redis.internal:6379' }).warnings.join('\n')).toMatch(
      /without TLS/,
    );
    expect(checkRedisEndpoint({ url: 'rediss://redis.internal:6380', password: 'pw' }).warnings).toEqual([]);
  });

  it('the CLI refuses a remote Redis without a password at once (exit 2, one line), and warns about a local one', () => {
    const refused = spawnSync(
      process.execPath,
      [CLI, 'worker', 'emit', '--redis-url', 'redis://10.1.2.3:6379'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^s321: Redis at redis:\/\/10\.1\.2\.3:6379 is not on this machine and has no password: refused/m,
    );
    const local = spawnSync(
      process.execPath,
      [
        CLI,
        'enqueue',
        '--partner',
        'P',
        '--redis-url',
        redis.server.url,
        'fixtures/replay/release3-day/02-arrival-350.edi',
      ],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(local.stderr).toMatch(/WARNING: Redis at redis:\/\/127\.0\.0\.1:\d+ has no password/);
  });
});
