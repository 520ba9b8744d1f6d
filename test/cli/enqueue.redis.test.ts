/** `s321 enqueue` and `s321 queue status` against a real redis-server on 127.0.0.1. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';

let redis: RedisTestServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('s321 enqueue', () => {
  it('enqueues files in sorted order with gap-free sequence numbers; a repeat is a duplicate', () => {
    const q = ['--redis-url', redis.url, '--queue', 'cli-test'];
    const first = cli(
      'enqueue',
      '--partner',
      'ACME',
      '--json',
      ...q,
      'fixtures/replay/release2-day/01-truck-manifest.edi',
      'fixtures/replay/release2-day/03-air-express-manifest.edi',
    );
    expect(first.status).toBe(0);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.sequence, l.duplicate])).toEqual([
      [1, false],
      [2, false],
    ]);
    const again = cli(
      'enqueue',
      '--partner',
      'ACME',
      '--json',
      ...q,
      'fixtures/replay/release2-day/01-truck-manifest.edi',
    );
    expect(JSON.parse(again.stdout.trim())).toMatchObject({ sequence: 1, duplicate: true });
  });

  it('refuses a file over the size limit with a clear error and exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-enq-'));
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        dataDir: dir,
        redis: { url: redis.url, queueName: 'cli-limit' },
        limits: { maxQueuePayloadBytes: 100 },
      }),
    );
    const r = cli(
      'enqueue',
      '--partner',
      'ACME',
      '--config',
      config,
      'fixtures/replay/release2-day/01-truck-manifest.edi',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refused .*01-truck-manifest.edi: INTAKE_TOO_LARGE/);
  });
});
