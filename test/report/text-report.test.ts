/**
 * `s321 report`'s text output, run as the CLI on a real replay (the release2 fixture day plus a
 * manifest with an id-keyed consignee over $800): consignees by name and address — an id-keyed one
 * with its qualifier and id, never the store's `id|24|…` / `na|…` keys — and under each exceeded
 * person-day its bills with mode, value and the codes sent, as the HTML and CSV reports show them;
 * each day's totals; `--json` rows carry the same. A day replayed under a forced profile is judged
 * under that profile, as in the HTML report.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';
import { type ManifestBill, truck309 } from './manifest.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

const acme: ManifestBill[] = [
  {
    scn: 'ACMETEXT001',
    name: 'ACME IMPORTS LLC',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '500.00',
    id: ['24', '105541071'],
  },
  {
    scn: 'ACMETEXT002',
    name: 'ACME IMPORTS LLC',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '450.25',
    id: ['24', '105541071'],
  },
];

describe('s321 report (text)', () => {
  const dir = mkdtempSync(join(tmpdir(), 's321-text-report-'));
  const input = join(dir, 'in');
  mkdirSync(input);
  for (const f of readdirSync(FIXTURE_DAY)) copyFileSync(join(FIXTURE_DAY, f), join(input, f));
  writeFileSync(join(input, '07-id-keyed.edi'), truck309(701, '2025-06-10', acme));
  const db = join(dir, 's.db');
  const replay = run('replay', input, '--db', db, '--out', join(dir, 'out'), ...FIXTURE_REPLAY_OPTIONS);

  it('names consignees by name and address, never by store key', () => {
    expect(replay.status).toBe(2); // the fixture day holds a bad message and a bad shipment on purpose
    const r = run('report', '--db', db);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\b(id|na)\|/);
    expect(r.stdout).toContain(
      '2025-06-10        950.25 USD     2 bill(s)  EXCEEDED  ACME IMPORTS LLC (qualifier 24 id 105541071), 1 HARBOR WAY, BOSTON, MA 02210, US\n',
    );
    expect(r.stdout).toContain(
      '2025-06-10         50.00 USD     1 bill(s)            SAM LEE, 9 ELM AVENUE, ALBANY, NY 12207, US\n',
    );
  });

  it('shows each bill of an exceeded person-day with mode, value and the codes sent', () => {
    const lines = run('report', '--db', db, '--exceeded').stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('ACME IMPORTS LLC'));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '            threshold 800.00 USD (release2)',
      '                  500.00 USD  truck  ACME/ACMETEXT001  sent 95 truck-x12-350 to ACME',
      '                  450.25 USD  truck  ACME/ACMETEXT002  sent 95 truck-x12-350 to ACME',
    ]);
    const robert = lines.findIndex((l) => l.includes('ROBERT ROE, 400 MAIN STREET SUITE 10'));
    expect(lines[robert + 2]).toBe(
      '                  500.00 USD  truck  LTRK/LTRK25061001  sent SN517 truck-cusres to LTRK',
    );
    // --exceeded: no person-day under the threshold, no totals, no ineligible lines.
    expect(lines.some((l) => l.includes('SAM LEE') || l.includes('TOTAL') || l.includes('INELIGIBLE'))).toBe(
      false,
    );
  });

  it('ends each day with its totals', () => {
    expect(run('report', '--db', db).stdout).toContain(
      '2025-06-10  TOTAL  6 person-day(s), 3,700.26 USD, 4 exceeded\n',
    );
  });

  it('--json rows carry the consignee label and the exceeded bills in detail', () => {
    const rows = run('report', '--db', db, '--json', '--exceeded')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const row = rows.find((r) => r.consigneeKey === 'id|24|105541071');
    expect(row).toMatchObject({
      totalCents: 95025,
      exceeded: true,
      thresholdCents: 80000,
      profile: 'release2',
      billKeys: ['ACME/ACMETEXT001', 'ACME/ACMETEXT002'],
      consignee: {
        name: 'ACME IMPORTS LLC',
        address: '1 HARBOR WAY, BOSTON, MA 02210, US',
        idQualifier: '24',
        id: '105541071',
      },
    });
    expect(row.billDetails.map((b: { bill: string; cents: number }) => [b.bill, b.cents])).toEqual([
      ['ACME/ACMETEXT001', 50000],
      ['ACME/ACMETEXT002', 45025],
    ]);
  });

  it('judges a day under the profile its bills were decided under', () => {
    const late = mkdtempSync(join(tmpdir(), 's321-text-profile-'));
    mkdirSync(join(late, 'in'));
    writeFileSync(join(late, 'in', 'late.edi'), truck309(801, '2025-09-15', acme));
    const lateDb = join(late, 's.db');
    run(
      'replay',
      join(late, 'in'),
      '--db',
      lateDb,
      '--out',
      join(late, 'out'),
      '--now',
      '2025-09-15T18:00',
      '--rules',
      'release2',
    );
    const r = run('report', '--db', lateDb);
    expect(r.stdout).toContain('2025-09-15        950.25 USD     2 bill(s)  EXCEEDED  ACME IMPORTS LLC');
    expect(r.stdout).toContain('            threshold 800.00 USD (release2)');
  });
});
