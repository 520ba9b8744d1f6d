/**
 * `s321 api`'s operations endpoints, as a user runs it (the compiled dist/) over a SQLite file the
 * fixture day's replay wrote: /healthz and /readyz without the token, /metrics only with it, counting
 * the API requests answered by route pattern; /readyz turns 503 naming the store once the database
 * file is gone, while /healthz stays 200.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';

const CLI = 'dist/src/cli/main.js';
const TOKEN = `tok-${randomBytes(16).toString('hex')}`;
let child: ChildProcess | undefined;
afterAll(() => {
  if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

describe('s321 api: /healthz, /readyz, /metrics', () => {
  it('probes open, metrics behind the token and counting requests; not ready once the database is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-api-ops-'));
    const db = join(dir, 's.db');
    const replay = spawnSync(
      process.execPath,
      [CLI, 'replay', FIXTURE_DAY, '--db', db, '--out', join(dir, 'out'), ...FIXTURE_REPLAY_OPTIONS],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(replay.status).toBe(2); // the day holds rejections on purpose
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, TOKEN);
    const api = spawn(process.execPath, [CLI, 'api', '--db', db, '--port', '0', '--token-file', tokenFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = api;
    let stderr = '';
    api.stderr?.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const exited = new Promise<number | null>((r) => api.once('exit', (code) => r(code)));
    const deadline = Date.now() + 30_000;
    while (!/s321 api: http:\/\/127\.0\.0\.1:\d+/.test(stderr)) {
      if (Date.now() > deadline || api.exitCode !== null) throw new Error(`api did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const base = /s321 api: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1] as string;
    const auth = { authorization: `Bearer ${TOKEN}` };
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
    expect((await get('/metrics')).status).toBe(401);

    for (let i = 0; i < 3; i++) expect((await get('/v1/person-days?day=2025-06-10', auth)).status).toBe(200);
    expect((await get('/v1/bills/NOPE%2FNOPE', auth)).status).toBe(404);
    const metrics = await (await get('/metrics', auth)).text();
    expect(metrics).toMatch(
      /^s321_http_requests_total\{route="\/v1\/person-days",method="GET",status="200",role="api"\} 3$/m,
    );
    expect(metrics).toMatch(
      /^s321_http_requests_total\{route="\/v1\/bills\/\*",method="GET",status="404",role="api"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^s321_http_requests_total\{route="\/metrics",method="GET",status="401",role="api"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^s321_http_request_duration_seconds_count\{role="api",route="\/v1\/person-days",method="GET"\} 3$/m,
    );

    renameSync(db, `${db}.moved`);
    const gone = await get('/readyz');
    expect(gone.status).toBe(503);
    expect(((await gone.json()) as { checks: { store: string } }).checks.store).toMatch(/is gone/);
    expect((await get('/healthz')).status).toBe(200);
    expect(stderr).not.toContain(TOKEN);

    api.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
