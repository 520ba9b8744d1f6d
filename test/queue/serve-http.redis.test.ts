/**
 * `s321 serve --http-port` as an OS process on a real redis-server: the HTTP listener (the HTTP
 * shell, bound to 127.0.0.1, here with a bearer token as it must have off loopback) serves
 *  - /healthz and /readyz to probes without the token; /readyz says ready while Redis, the four
 *    queues and the in-process workers answer, and 503 naming Redis once Redis is gone;
 *  - /metrics only with the token, counting the traffic serve took in (shipments by mode,
 *    decisions by code and channel, queue jobs, gate lag 0 once applied, emit backlog 0);
 *  - the bull-board dashboard at /admin/queues only with the token, showing the queues;
 *  - the API over the Redis store (/v1/person-days) with the token.
 * A non-loopback --http-host without a token is refused before anything starts (exit 2).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildProject, PROJECT_ROOT } from './support/build.js';

const TOKEN = `tok-${randomBytes(16).toString('hex')}`;
const QUEUE = `serve-http-${randomBytes(4).toString('hex')}`;
const DAY = join(PROJECT_ROOT, 'fixtures/replay/release2-day');

let redis: RedisTestServer;
let build: string;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  redis = await startRedisServer();
  build = buildProject('serve-http', ['src/cli/main.js', 'src/cli/commands/serve-http.js']);
}, 300_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
  }
  await redis?.stop();
});

async function until(what: string, timeoutMs: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- serve output ---\n${output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const files = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

function env(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('S321_')));
}

function config(root: string): string {
  const path = join(root, 's321.json');
  writeFileSync(
    path,
    JSON.stringify({
      dataDir: join(root, 'data'),
      redis: { url: redis.url, queueName: QUEUE, partitions: 0 },
      inbox: { pollIntervalMs: 100, stablePolls: 1 },
      currency: { rateTablePath: join(PROJECT_ROOT, 'config/currency-rates.json') },
      inbound: { dialects: ['QUICKAIR=s321-companion'] },
      log: { level: 'warn' },
    }),
  );
  return path;
}

describe('s321 serve --http-port', () => {
  it('refuses a non-loopback host without a token before starting anything', () => {
    const root = mkdtempSync(join(tmpdir(), 's321-serve-http-refused-'));
    const r = spawnSync(
      process.execPath,
      [
        join(build, 'src/cli/main.js'),
        'serve',
        '--config',
        config(root),
        '--http-host',
        '0.0.0.0',
        '--http-port',
        '0',
      ],
      { encoding: 'utf8', env: env(), timeout: 30_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/binding 0\.0\.0\.0 \(not loopback\) needs a bearer token/);
    expect(files(join(root, 'data'))).toEqual([]); // no inbox made, nothing started
  });

  it('a lone worker (s321 worker --http-port) serves probes and its metrics, no API or dashboard', async () => {
    const worker = spawn(
      process.execPath,
      [
        join(build, 'src/cli/main.js'),
        'worker',
        'aggregate',
        '--redis-url',
        redis.url,
        '--queue',
        `${QUEUE}-w`,
        '--http-port',
        '0',
      ],
      { env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    worker.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/http http:\/\/127\.0\.0\.1:\d+/.test(err)) {
        if (Date.now() > deadline || worker.exitCode !== null)
          throw new Error(`worker did not listen:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const base = /http (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1] as string;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^s321_gate_lag_inputs\{role="worker-aggregate"\} 0$/m);
      expect(metrics).toMatch(/^s321_process_resident_memory_bytes\{role="worker-aggregate"\} \d+/m);
      expect((await fetch(`${base}/admin/queues`)).status).toBe(404);
      expect((await fetch(`${base}/v1/person-days`)).status).toBe(404);
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('probes, metrics after traffic, dashboard and API behind the token; readyz fails with Redis gone', async () => {
    const root = mkdtempSync(join(tmpdir(), 's321-serve-http-'));
    const tokenFile = join(root, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const serve = spawn(
      process.execPath,
      [
        join(build, 'src/cli/main.js'),
        'serve',
        '--config',
        config(root),
        '--http-port',
        '0',
        '--token-file',
        tokenFile,
        '--now',
        '2025-06-10T18:00',
      ],
      { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = serve;
    output = '';
    serve.stdout?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    serve.stderr?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    await until('serve to listen', 30_000, () => /http http:\/\/127\.0\.0\.1:\d+/.test(output));
    const base = /http (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

    // Probes need no token.
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    const readyBody = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(readyBody.status).toBe('ready');
    expect(Object.keys(readyBody.checks).sort()).toEqual(
      [
        `queue:${QUEUE}`,
        `queue:${QUEUE}-aggregate`,
        `queue:${QUEUE}-dead-letter`,
        `queue:${QUEUE}-emit`,
        'redis',
        'workers',
      ].sort(),
    );

    // Everything else needs it.
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/admin/queues')).status).toBe(401);
    expect((await get('/admin/queues/api/queues')).status).toBe(401);
    expect((await get('/v1/person-days')).status).toBe(401);
    const board = await get('/admin/queues', auth);
    expect(board.status).toBe(200);
    expect(board.headers.get('content-type')).toMatch(/text\/html/);
    const boardQueues = (await (await get('/admin/queues/api/queues', auth)).json()) as {
      queues: Array<{ name: string }>;
    };
    expect(boardQueues.queues.map((q) => q.name).sort()).toEqual(
      [QUEUE, `${QUEUE}-aggregate`, `${QUEUE}-dead-letter`, `${QUEUE}-emit`].sort(),
    );

    // Traffic: the truck and air manifests of the certification day (the person-day crosses $800).
    const inbox = join(root, 'data', 'inbox');
    for (const f of ['01-truck-manifest.edi', '03-air-express-manifest.edi']) {
      writeFileSync(join(inbox, `${f}.part`), readFileSync(join(DAY, f)));
      renameSync(join(inbox, `${f}.part`), join(inbox, f));
    }
    let metrics = '';
    await until('the decisions counted and emitted', 60_000, async () => {
      metrics = await (await get('/metrics', auth)).text();
      return (
        /^s321_emit_backlog\{kind="decisions",role="serve"\} 0$/m.test(metrics) &&
        /^s321_gate_lag_inputs\{role="serve"\} 0$/m.test(metrics) &&
        /^s321_decisions_total\{/m.test(metrics) &&
        files(join(root, 'data', 'outbound')).length > 0
      );
    }).catch((err: Error) => {
      throw new Error(
        `${err.message}\n--- last /metrics (s321_) ---\n${metrics
          .split('\n')
          .filter(
            (l) => l.startsWith('s321_') && !l.startsWith('s321_process') && !l.startsWith('s321_nodejs'),
          )
          .join('\n')}\n${files(join(root, 'data')).join(' ')}`,
      );
    });
    expect(metrics).toMatch(/^s321_shipments_total\{mode="truck",role="serve"\} 5$/m);
    expect(metrics).toMatch(/^s321_shipments_total\{mode="air",role="serve"\} 1$/m);
    expect(metrics).toMatch(/^s321_decisions_total\{code="95",channel="truck-x12-350",role="serve"\} 4$/m);
    expect(metrics).toMatch(/^s321_decisions_total\{code="2M",channel="air-camir-fsn",role="serve"\} 1$/m);
    expect(metrics).toMatch(
      /^s321_decisions_total\{code="INELIGIBLE-ORIGIN",channel="report",role="serve"\} 1$/m,
    );
    expect(metrics).toMatch(
      new RegExp(`^s321_queue_jobs\\{queue="${QUEUE}",state="completed",role="serve"\\} 2$`, 'm'),
    );
    expect(metrics).toMatch(/^s321_queue_read_ok\{role="serve"\} 1$/m);
    expect(metrics).toMatch(/^s321_process_cpu_seconds_total\{role="serve"\} /m);

    // The API over the Redis store.
    const days = await get('/v1/person-days?day=2025-06-10&exceeded=true', auth);
    expect(days.status).toBe(200);
    const page = (await days.json()) as { items: Array<{ totalCents: number }> };
    expect(page.items.map((i) => i.totalCents)).toEqual([80001]);

    // Redis gone: not ready, naming Redis; the process itself still answers.
    await redis.stop();
    const notReady = await get('/readyz');
    expect(notReady.status).toBe(503);
    const notReadyBody = (await notReady.json()) as { status: string; checks: Record<string, string> };
    expect(notReadyBody.status).toBe('not-ready');
    expect(notReadyBody.checks.redis).not.toBe('ok');
    expect((await get('/healthz')).status).toBe(200);
    expect(output).not.toContain(TOKEN);

    serve.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 60_000)),
    ]);
    expect(code).not.toBe('hung');
  }, 240_000);
});
