/**
 * `s321 precheck` and `s321 api` as a user runs them (the compiled dist/): a CSV in bulk-upload
 * columns and a JSON file checked against a SQLite file a replay wrote (exit 0 / 3 / 2, the file's
 * bytes unchanged), and the API process: it serves over real HTTP beside the file, refuses a
 * non-loopback bind without a token before opening anything, checks the token, exits 0 on SIGTERM.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDay, storeBytes } from '../http/support/api-fixture.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

const HEADER = 'Bill,Consignee,Address,City,State,Zip,Country,Value,Currency,Day,Mode\n';

describe('s321 precheck', () => {
  let dir = '';
  let db = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's321-cli-precheck-'));
    db = await replayDay(dir);
  });

  it('a CSV in bulk-upload columns: one line per shipment, exit 3 when one would be notified; nothing written', () => {
    const csv = join(dir, 'shipments.csv');
    writeFileSync(
      csv,
      `${HEADER}ACME/NEW1,Jane Doe,12 Elm St.,Boston,MA,02110,US,300.00,usd,2025-06-10,truck\n` +
        `ACME/NEW2,"Roe, Richard",12 Elm St.,Boston,MA,02110,US,20.00,USD,2025-06-10,TRUCK\n`,
    );
    const before = storeBytes(db);
    const r = run('precheck', csv, '--db', db);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^ {3}1 {2}2025-06-10 {2}ACME\/NEW1 +300\.00 +550\.00 -> +850\.00 USD {2}\(release2, over 800\.00\) {2}EXCEEDS +na\|JANE DOE\|12 ELM ST\|BOSTON\|MA\|02110\|US$/,
    );
    expect(lines[1]).toBe(
      '        would notify: ACME/API003:truck-x12-350:95 ACME/API004:truck-x12-350:95 ACME/NEW1:truck-x12-350:95',
    );
    expect(lines[2]).toMatch(/^ {3}2 .* 0\.00 -> +20\.00 USD .* ok +na\|ROE RICHARD\|12 ELM ST/);
    expect(storeBytes(db)).toBe(before);
  });

  it('exit 0 when none would be notified; --json prints the API answer', () => {
    const json = join(dir, 'shipments.json');
    writeFileSync(
      json,
      JSON.stringify([
        {
          bill: 'ACME/NEW3',
          consignee: {
            name: 'Jane Doe',
            street: '12 Elm St',
            city: 'Boston',
            state: 'MA',
            postal: '02110',
            country: 'US',
          },
          day: '2025-06-10',
          value: '10',
          mode: 'truck',
        },
      ]),
    );
    const r = run('precheck', json, '--db', db, '--json');
    expect(r.status).toBe(0);
    const body = JSON.parse(r.stdout) as {
      answers: Array<{ currentTotalCents: number; totalAfterCents: number }>;
    };
    expect(body.answers[0]).toMatchObject({ currentTotalCents: 55000, totalAfterCents: 56000 });
  });

  it('refuses, with exit 2 and every problem by line, a bad row, an unknown column, a missing database', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${HEADER}ACME/NEW4,Jane Doe,1 St,Boston,MA,02110,US,12.5.0,USD,2025-02-30,boat\n`);
    const r = run('precheck', bad, '--db', db);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad} line 2: value: expected a decimal amount`);
    expect(r.stderr).toContain(`${bad} line 2: day: expected a calendar day YYYY-MM-DD`);
    expect(r.stderr).toContain(`${bad} line 2: mode:`);
    const unknown = join(dir, 'unknown.csv');
    writeFileSync(unknown, 'bill,colour\nACME/X,red\n');
    const u = run('precheck', unknown, '--db', db);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('unknown column "colour"');
    const eur = join(dir, 'eur.csv');
    writeFileSync(eur, `${HEADER}ACME/NEW5,Jane Doe,1 St,Boston,MA,02110,US,12.50,EUR,2025-06-10,truck\n`);
    const e = run('precheck', eur, '--db', db);
    expect(e.status).toBe(2);
    expect(e.stderr).toContain("shipment 1.currency: currency 'EUR' is not in the rate table");
    const missing = run('precheck', eur, '--db', join(dir, 'nope.db'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.db');
  });
});

describe('s321 api', () => {
  let dir = '';
  let db = '';
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's321-cli-api-'));
    db = await replayDay(dir);
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });

  /** Starts `s321 api` and waits for the address it prints. */
  async function startApi(
    ...args: string[]
  ): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
    const child = spawn(
      process.execPath,
      [CLI, 'api', '--db', db, '--port', '0', '--log-level', 'silent', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed: ${stderr}`)), 30_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const m = /s321 api: (http:\/\/\S+)/.exec(stderr);
        if (m?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    return { child, url, exited };
  }

  it('serves the API on 127.0.0.1 over the replayed file and exits 0 on SIGTERM', async () => {
    const { child, url, exited } = await startApi();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/v1/person-days?exceeded=true`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ consigneeKey: string; totalCents: number }> };
    expect(body.items.map((i) => [i.consigneeKey, i.totalCents])).toEqual([['id|24|105541071', 95025]]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('a non-loopback address without a token is refused before anything is opened (exit 2)', () => {
    const r = spawnSync(process.execPath, [CLI, 'api', '--db', join(dir, 'none.db'), '--host', '0.0.0.0'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, S321_API_TOKEN: '' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('binding 0.0.0.0 (not loopback) needs a bearer token');
    expect(r.stderr).not.toContain('none.db');
  });

  it('with --token-file every request needs the token (401 without or wrong), the token is not printed', async () => {
    const tokenFile = join(dir, 'token');
    const token = 'cli-token-0123456789abcdef';
    writeFileSync(tokenFile, `${token}\n`);
    const { child, url, exited } = await startApi('--token-file', tokenFile);
    expect((await fetch(`${url}/v1/person-days`)).status).toBe(401);
    expect(
      (await fetch(`${url}/v1/person-days`, { headers: { authorization: 'Bearer wrong-token-0123456789' } }))
        .status,
    ).toBe(401);
    expect(
      (await fetch(`${url}/v1/person-days`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
