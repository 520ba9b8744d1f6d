/**
 * Retention end to end through the built CLI on real files and a real SQLite file
 * (docs/retention.md): a replay across days, a second replay whose store prunes at open (counts in
 * its summary), a late manifest for a pruned day rejected with PIPELINE_DAY_PRUNED and quarantined
 * (not counted), `s321 prune` and `s321 report` on the pruned store.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ManifestBill, truck309 } from '../report/manifest.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

const person = (scn: string, name: string, value: string): ManifestBill => ({
  scn,
  name,
  street: '12 MAIN STREET',
  city: 'BOSTON',
  state: 'MA',
  postal: '02110',
  value,
});

describe('retention in a replay', () => {
  it('prunes at open, counts it, and rejects a late manifest for a pruned day', () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-retain-replay-'));
    const db = join(dir, 'state.db');
    const out = join(dir, 'out');
    const first = join(dir, 'in1');
    mkdirSync(first);
    writeFileSync(
      join(first, 'day01.edi'),
      truck309(101, '2025-06-01', [
        person('ACMEOLD0001', 'JOHN SMITH', '500.00'),
        person('ACMEOLD0002', 'JOHN SMITH', '400.00'),
      ]),
    );
    writeFileSync(
      join(first, 'day12.edi'),
      truck309(112, '2025-06-12', [person('ACMENEW0001', 'ANN LEE', '300.00')]),
    );
    const args = ['--db', db, '--out', out, '--now', '2025-06-30T12:00', '--retention-days', '5', '--json'];
    const r1 = run('replay', first, ...args);
    expect(r1.stderr).not.toContain('retention: pruned');
    const s1 = JSON.parse(r1.stdout) as { decisions: number; pruned?: unknown; prunedEvents: number };
    expect(s1.decisions).toBeGreaterThan(0); // 06-01 exceeded: $900 for JOHN SMITH
    expect(s1.pruned).toBeUndefined();

    // A week later: the store opens with 06-12 the latest day held, so 06-01 (before 06-07) is
    // pruned; a late amendment of JOHN SMITH's bill for 06-01 is then rejected, not counted.
    const second = join(dir, 'in2');
    mkdirSync(second);
    writeFileSync(
      join(second, 'late01.edi'),
      truck309(201, '2025-06-01', [person('ACMEOLD0002', 'JOHN SMITH', '10.00')]),
    );
    writeFileSync(
      join(second, 'day13.edi'),
      truck309(213, '2025-06-13', [person('ACMENEW0002', 'ANN LEE', '600.00')]),
    );
    const r2 = run('replay', second, ...args);
    const s2 = JSON.parse(r2.stdout) as {
      pruned: { watermark: string; personDays: number; bills: number; decisions: number };
      prunedEvents: number;
      quarantined: string[];
      rejections: Array<{ file: string; code: string; message: string }>;
      decisions: number;
    };
    expect(r2.status).toBe(2); // something given was refused
    expect(s2.pruned).toMatchObject({ watermark: '2025-06-07', personDays: 1, bills: 2 });
    // The 06-01 decisions were emitted (written to outbound/) by the first run: pruned with the day.
    expect(s2.pruned.decisions).toBe(s1.decisions);
    expect(r2.stderr).toContain('retention: pruned before 2025-06-07');
    expect(s2.prunedEvents).toBe(1);
    expect(s2.rejections).toEqual([
      expect.objectContaining({ file: 'late01.edi', code: 'PIPELINE_DAY_PRUNED' }),
    ]);
    expect(s2.quarantined).toEqual(['late01.edi']);
    const reasonFile = readdirSync(join(out, 'quarantine')).find((f) => f.endsWith('.reason.json')) as string;
    const reason = JSON.parse(readFileSync(join(out, 'quarantine', reasonFile), 'utf8')) as {
      issues: Array<{ code: string; interchangeControl: string; segmentIndex: number }>;
    };
    expect(reason.issues).toEqual([
      expect.objectContaining({
        code: 'PIPELINE_DAY_PRUNED',
        interchangeControl: '000000201',
        segmentIndex: 5,
      }),
    ]);
    // ANN LEE's 06-12 + 06-13 are separate days: $600 alone does not exceed; nothing decided.
    expect(s2.decisions).toBe(0);

    // The report reads the pruned store: only the days kept.
    const report = run('report', '--db', db, '--json');
    expect(report.status).toBe(0);
    const days = report.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { day: string; totalCents: number }).day);
    expect(days).toEqual(['2025-06-12', '2025-06-13']);
    expect(run('report', '--db', db).stdout).toContain(
      'retention: days before 2025-06-07 were pruned from this store',
    );

    // `s321 prune` with a shorter window prunes 06-12 now and reports the totals.
    const prune = run('prune', '--db', db, '--retention-days', '0', '--today', '2025-06-30');
    expect(prune.stdout).toContain('retention: nothing to prune');
    const pruneNow = run('prune', '--db', db, '--retention-days', '1', '--today', '2025-06-30', '--json');
    expect(pruneNow.status).toBe(0);
    const p = JSON.parse(pruneNow.stdout) as {
      pruned: { watermark: string; personDays: number };
      totals: { prunes: number; personDays: number };
    };
    expect(p.pruned).toMatchObject({ watermark: '2025-06-12', personDays: 0 });
    const pruneAgain = run('prune', '--db', db, '--retention-days', '0', '--today', '2025-06-30', '--json');
    expect(
      (JSON.parse(pruneAgain.stdout) as { totals: { prunes: number; watermark: string } }).totals,
    ).toMatchObject({
      prunes: 2,
      watermark: '2025-06-12',
    });
  });
});
