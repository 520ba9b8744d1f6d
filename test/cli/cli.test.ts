/**
 * The command line as a user runs it (the compiled dist/ that `npm test` builds first): exit codes,
 * JSON lines on stdout, summaries on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
const corpus = join(import.meta.dirname, '../../../shared/corpus');

describe('s321 CLI', () => {
  it('inspect --json: one object per file with counts, delimiters and positioned issues; exit 2 when any file is not ok', () => {
    const r = run(
      'inspect',
      '--json',
      join(corpus, 'x12/staedi-214-ellipsis-terminator.edi'),
      join(corpus, 'malformed/staedi-999-bad-se-count.edi'),
    );
    expect(r.status).toBe(2);
    const [good, bad] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(good).toMatchObject({
      standard: 'x12',
      interchanges: 1,
      messages: 1,
      ok: true,
      delimiters: { segment: '\u2026', element: '*' },
    });
    expect(bad.ok).toBe(false);
    expect(bad.issues[0]).toMatchObject({
      code: 'X12_SE_COUNT',
      severity: 'error',
      segmentIndex: expect.any(Number),
    });
  });

  it('inspect --strict turns tolerated layout into errors', () => {
    const file = join(corpus, 'x12/staedi-210-wrapped-80col.edi');
    expect(run('inspect', '--json', file).status).toBe(0);
    expect(run('inspect', '--json', '--strict', file).status).toBe(2);
  });

  it('parse --json prints one shipment event per line and exits 0 when everything parsed', () => {
    const r = run('parse', '--json', 'fixtures/x12/309/truck-s321/input.edi');
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.bill.key)).toEqual([
      'ACME/ACME25091501',
      'ACME/ACME25091502',
      'ACME/ACME25091503',
    ]);
    expect(r.stderr).toMatch(/files 1, interchanges 1, shipments 3, rejected 0/);
  });

  it('parse exits 2 and names the rejected shipment with its position', () => {
    const r = run('parse', 'fixtures/x12/309/bad-shipments/input.edi');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /NORMALIZE_UNKNOWN_CURRENCY \[309\/bad-shipments\/input.edi|NORMALIZE_UNKNOWN_CURRENCY \[input.edi/,
    );
    expect(r.stderr).toMatch(/icn 000000107/);
  });

  it('replay then report: exceeded person-days with their bills', () => {
    const out = mkdtempSync(join(tmpdir(), 's321-cli-'));
    const replay = run(
      'replay',
      FIXTURE_DAY,
      '--db',
      join(out, 's.db'),
      '--out',
      out,
      ...FIXTURE_REPLAY_OPTIONS,
    );
    expect(replay.status).toBe(2); // the set holds a bad message and a bad shipment on purpose
    const report = run('report', '--db', join(out, 's.db'), '--exceeded', '--json');
    expect(report.status).toBe(0);
    const rows = report.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.day, r.totalCents, r.bills])).toEqual([
      ['2025-06-10', 80001, 5],
      ['2025-06-10', 95000, 1],
      ['2025-06-10', 85000, 2],
    ]);
  });
});
