/**
 * Split-shipment detection end to end (rules.md §3: report, do not merge): a real replay into a real
 * SQLite file through the built CLI, then `s321 report`. JOHN SMITH, J SMITH and SMITH JOHN at one
 * address with $500 each on one day are one suspect group of $1500 and stay three $500 person-days.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ManifestBill, truck309 } from './manifest.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

const at = { street: '12 MAIN STREET', city: 'BOSTON', state: 'MA', postal: '02110' };
const bills: ManifestBill[] = [
  { scn: 'ACMESPLIT001', name: 'JOHN SMITH', ...at, value: '500.00' },
  { scn: 'ACMESPLIT002', name: 'J SMITH', ...at, value: '500.00' },
  { scn: 'ACMESPLIT003', name: 'SMITH JOHN', ...at, value: '500.00' },
  // Same name, the address with a unit added: an address variant.
  {
    scn: 'ACMESPLIT004',
    name: 'MARY MAJOR',
    street: '7 ELM ROAD',
    city: 'SALEM',
    state: 'MA',
    postal: '01970',
    value: '450.00',
  },
  {
    scn: 'ACMESPLIT005',
    name: 'MARY MAJOR',
    street: '7 ELM ROAD APT 2',
    city: 'SALEM',
    state: 'MA',
    postal: '01970',
    value: '400.00',
  },
  // Another person at the first address: not a name variant, not a suspect.
  { scn: 'ACMESPLIT006', name: 'ALICE JONES', ...at, value: '100.00' },
];

describe('split-shipment suspects', () => {
  let dir = '';
  let db = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 's321-split-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'manifest.edi'), truck309(501, '2025-06-10', bills));
    db = join(dir, 's.db');
    const replay = run(
      'replay',
      join(dir, 'in'),
      '--db',
      db,
      '--out',
      join(dir, 'out'),
      '--now',
      '2025-06-10T18:00',
    );
    expect(replay.stderr).toMatch(/split-shipment suspects: 2 group\(s\) audited/);
    expect(replay.status).toBe(0);
  });

  it('reports the group with its pairs, evidence and combined total, and keeps three $500 person-days', () => {
    const report = run('report', '--db', db, '--json');
    expect(report.status).toBe(0);
    const rows = report.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const personDays = rows.filter((r) => r.kind === undefined);
    // Not merged: every name variant keeps its own person-day of $500, none exceeded.
    const smiths = personDays.filter((r) => / SMITH|SMITH /.test(r.consigneeKey));
    expect(smiths.map((r) => [r.totalCents, r.exceeded])).toEqual([
      [50000, false],
      [50000, false],
      [50000, false],
    ]);
    const suspects = rows.filter((r) => r.kind === 'split-suspect');
    expect(suspects).toHaveLength(2);
    const smith = suspects.find((s) => s.members.length === 3);
    expect(smith).toMatchObject({
      day: '2025-06-10',
      combinedCents: 150000,
      combinedExceeds: true,
      thresholdCents: 80000,
    });
    expect(smith.members.map((m: { name: string }) => m.name).sort()).toEqual([
      'J SMITH',
      'JOHN SMITH',
      'SMITH JOHN',
    ]);
    expect(smith.members.every((m: { totalCents: number }) => m.totalCents === 50000)).toBe(true);
    expect(smith.pairs.map((p: { reason: string }) => p.reason).sort()).toEqual([
      'name-initials',
      'name-initials',
      'name-word-order',
    ]);
    const mary = suspects.find((s) => s.members.length === 2);
    expect(mary).toMatchObject({
      combinedCents: 85000,
      combinedExceeds: true,
      pairs: [{ reason: 'address-street-variant' }],
    });
    expect(JSON.stringify(suspects)).not.toContain('ALICE');
  });

  it('the text report names them and says they are not merged', () => {
    const text = run('report', '--db', db).stdout;
    expect(text).toMatch(
      /2025-06-10 {2}SPLIT-SUSPECT {2}3 near-identical consignees, combined 1,500.00 USD \(not merged\)/,
    );
    expect(text).toMatch(
      /evidence: JOHN SMITH \/ SMITH JOHN: name-word-order|evidence: SMITH JOHN \/ JOHN SMITH: name-word-order/,
    );
  });

  it('writes each group to the audit once (table and audit.jsonl), again only when its total changes', () => {
    const audit = readFileSync(join(dir, 'out', 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const near = audit.filter((a) => a.kind === 'near-identical-consignee');
    expect(near.map((a) => a.totalCents).sort()).toEqual([150000, 85000]);
    expect(near.find((a) => a.totalCents === 150000).members).toHaveLength(3);
    // A second replay of the same input adds nothing: the groups are unchanged.
    const again = run(
      'replay',
      join(dir, 'in'),
      '--db',
      db,
      '--out',
      join(dir, 'out'),
      '--now',
      '2025-06-10T18:00',
    );
    expect(again.stderr).not.toMatch(/split-shipment suspects/);
    const conn = new Database(db, { readonly: true });
    const stored = conn
      .prepare("SELECT json FROM audit WHERE json_extract(json, '$.kind') = 'near-identical-consignee'")
      .all();
    conn.close();
    expect(stored).toHaveLength(2);
  });
});
