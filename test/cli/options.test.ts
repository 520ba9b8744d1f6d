/**
 * The command line refuses what it cannot use before anything runs: each bad option value, a
 * missing database, a malformed --rates or --partners file, an unwritable --out — with one clear
 * message and exit 2. Also: --version, and `parse` printing a readable line per event.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';
import { runCli } from './support/cli-process.js';

const scratch = () => mkdtempSync(join(tmpdir(), 's321-options-'));
const TRUCK = 'fixtures/x12/309/truck-s321/input.edi';
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('--version and help', () => {
  it('--version prints the package version and exits 0', () => {
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});

describe('option values are validated (exit 2, one clear line, nothing run)', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      '--ingest-heap-mb abc',
      ['replay', TRUCK, '--ingest-heap-mb', 'abc'],
      /option '--ingest-heap-mb <n>' argument 'abc' is invalid/,
    ],
    ['--ingest-heap-mb 0', ['replay', TRUCK, '--ingest-heap-mb', '0'], /argument '0' is invalid/],
    [
      'an impossible --now 2025-02-30T10:00',
      ['replay', TRUCK, '--now', '2025-02-30T10:00'],
      /option '--now <stamp>' argument '2025-02-30T10:00' is invalid\. expected a real date and time/,
    ],
    ['--now without minutes', ['replay', TRUCK, '--now', '2025-06-10'], /argument '2025-06-10' is invalid/],
    [
      'report --day 2025-13-45',
      ['report', '--db', 'x.db', '--day', '2025-13-45'],
      /option '--day <date>' argument '2025-13-45' is invalid\. expected a calendar date YYYY-MM-DD/,
    ],
    [
      'report --day 2025-02-29',
      ['report', '--db', 'x.db', '--day', '2025-02-29'],
      /argument '2025-02-29' is invalid/,
    ],
    [
      'worker --now 2025-06-10T25:00',
      ['worker', 'ingest', '--now', '2025-06-10T25:00'],
      /argument '2025-06-10T25:00' is invalid/,
    ],
    ['worker --concurrency 1.5', ['worker', 'ingest', '--concurrency', '1.5'], /argument '1.5' is invalid/],
    ['worker --log-level loud', ['worker', 'emit', '--log-level', 'loud'], /argument 'loud' is invalid/],
    ['an unknown worker kind', ['worker', 'ingester'], /value 'ingester' is invalid for argument 'kind'/],
    ['serve --requeue-after-ms soon', ['serve', '--requeue-after-ms', 'soon'], /argument 'soon' is invalid/],
    [
      'enqueue --partner "a b"',
      ['enqueue', '--partner', 'a b', 'x.edi'],
      /option '--partner <id>' argument 'a b' is invalid/,
    ],
    ['queue skip 0', ['queue', 'skip', '0', '--reason', 'x'], /value '0' is invalid for argument 'seq'/],
    ['an unknown option', ['report', '--db', 'x.db', '--daay', '2025-01-01'], /unknown option '--daay'/],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const dir = scratch();
    const r = runCli(args, { cwd: process.cwd(), timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 's321.db'))).toBe(false);
  });

  it('a bad value stops replay before it creates the database or the output folder', () => {
    const dir = scratch();
    const r = runCli([
      'replay',
      TRUCK,
      '--db',
      join(dir, 's.db'),
      '--out',
      join(dir, 'out'),
      '--now',
      '2025-02-30T10:00',
    ]);
    expect(r.status).toBe(2);
    expect(existsSync(join(dir, 's.db'))).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('report reads an existing database, read-only', () => {
  it('refuses a missing database (exit 2) and creates none', () => {
    const dir = scratch();
    const db = join(dir, 'typo.db');
    const r = runCli(['report', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`s321: cannot open database ${db}: no such file\n`);
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a SQLite file that is not an s321 state file, and leaves it as it was', () => {
    const dir = scratch();
    const db = join(dir, 'other.db');
    const other = new Database(db);
    other.exec("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('keep me')");
    other.close();
    const before = sha(db);
    const r = runCli(['report', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^s321: cannot read database .*other\.db: not an s321 state file/);
    expect(sha(db)).toBe(before); // no tables were created in it
    const check = new Database(db, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([
      { name: 'notes' },
    ]);
    check.close();
  });

  it('reads a replayed database opened read-only: a file nobody may write is still reported', () => {
    const dir = scratch();
    const db = join(dir, 's.db');
    const replay = runCli([
      'replay',
      FIXTURE_DAY,
      '--db',
      db,
      '--out',
      join(dir, 'out'),
      ...FIXTURE_REPLAY_OPTIONS,
    ]);
    expect(replay.status).toBe(2); // the set holds a bad message and a bad shipment on purpose
    chmodSync(db, 0o444);
    const before = sha(db);
    const r = runCli(['report', '--db', db, '--exceeded', '--json']);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).totalCents),
    ).toEqual([80001, 95000, 85000]);
    expect(sha(db)).toBe(before);
  });
});

describe('messages with their context', () => {
  it('a JSON syntax error in --rates names the file and the position', () => {
    const dir = scratch();
    const rates = join(dir, 'rates.json');
    writeFileSync(rates, '{\n  "EUR": [ { "from": "2025-01-01", "usdPerUnit": "1.1" } ],\n  "GBP": [\n}\n');
    const r = runCli(['parse', '--rates', rates, TRUCK]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`invalid configuration (${rates})`);
    expect(r.stderr).toContain('the currency rate table is not valid JSON at line 4 column 1');
  });

  it('a missing --rates file is named, with the reason in words', () => {
    const r = runCli(['parse', '--rates', '/nonexistent/rates.json', TRUCK]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read the currency rate table (ENOENT): no such file');
  });

  it('a database that cannot be opened is named, with why', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'file'), 'x');
    const db = join(dir, 'file', 's.db'); // under a file, not a folder
    const r = runCli(['report', '--db', db]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`s321: cannot open database ${db}: no such file\n`);
    const asFolder = runCli(['report', '--db', dir]);
    expect(asFolder.stderr).toBe(`s321: cannot open database ${dir}: it is a folder, not a database file\n`);
  });

  it('an --out where nothing can be written is reported as such, before anything runs', () => {
    const dir = scratch();
    const r = runCli(['replay', TRUCK, '--db', join(dir, 's.db'), '--out', '/proc/s321-out']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      's321: cannot write to --out /proc/s321-out: /proc (where it would be created): nothing can be created there\n',
    );
    expect(existsSync(join(dir, 's.db'))).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'a read-only --out (no write permission) is reported as such, not as ENOENT',
    () => {
      const dir = scratch();
      chmodSync(dir, 0o755);
      const readOnly = join(dir, 'ro');
      mkdirSync(readOnly, { mode: 0o555 });
      const writable = join(dir, 'rw');
      mkdirSync(writable);
      chmodSync(writable, 0o777);
      const r = runCli(['replay', TRUCK, '--db', join(writable, 's.db'), '--out', join(readOnly, 'out')], {
        uid: 65534,
        gid: 65534,
      });
      expect(r.stderr).toBe(
        `s321: cannot write to --out ${join(readOnly, 'out')}: ${readOnly} (where it would be created): no permission to write there\n`,
      );
      expect(r.status).toBe(2);
    },
  );
});

describe('parse without --json', () => {
  it('prints one readable line per shipment event on stdout, the summary on stderr', () => {
    const r = runCli(['parse', TRUCK]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^declared {2}ACME\/ACME25091501 {2}truck S321 {2}port \d{4} {2}eda 2025-09-\d\d.* {2}USD \d+\.\d\d {2}.+ {2}\[input\.edi ICN \d{9} segment \d+\]$/,
    );
    expect(r.stderr).toMatch(/files 1, interchanges 1, shipments 3, rejected 0/);
  });
});
