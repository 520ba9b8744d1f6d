/**
 * Split-shipment detection over a replayed SQLite store finds every near-identical pair of a day —
 * the oracle compares every pair of the day's consignees with near-identical.ts — while blocking
 * keeps it from comparing every pair: one common name at many addresses (the case that used to put
 * nearly a whole day into one block) with street, unit, typo, postal and city variants among them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { runReplay } from '../../src/app/replay.js';
import { findSplitSuspects } from '../../src/app/report-data.js';
import { type ConsigneeIdentity, compareConsignees, consigneeKey } from '../../src/core/consignee/index.js';
import { type ManifestBill, truck309 } from './manifest.js';

const DAY = '2025-06-10';
const NAMES = ['JOHN SMITH', 'J SMITH', 'SMITH JOHN', 'JON SMITH', 'JOHN A SMITH', 'MARY JONES'];
const STREETS = ['1 MAIN ST', '1 MAIN ST APT 2', '1 MAIM ST', '3 MAIN ST', '9 OAK AVE'];
const PLACES: Array<[city: string, postal: string]> = [
  ['ALBANY', '12207'],
  ['ALBANY', '12208'],
  ['ALBNY', '12207'],
  ['TROY', '12180'],
];

describe('split-shipment blocking', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('finds exactly the near-identical pairs an all-pairs comparison of the day finds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-split-block-'));
    dirs.push(dir);
    // Every combination once (120 consignees on one day, $100 each): the common name sits at many
    // addresses, so a block by name alone holds most of the day.
    const bills: ManifestBill[] = [];
    for (const name of NAMES)
      for (const street of STREETS)
        for (const [city, postal] of PLACES)
          bills.push({
            scn: `SB${String(bills.length).padStart(4, '0')}`,
            name,
            street,
            city,
            state: 'NY',
            postal,
            value: '100.00',
          });
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'day.edi'), truck309(701, DAY, bills));
    const db = join(dir, 's.db');
    await runReplay({
      inputs: [join(dir, 'in')],
      dbPath: db,
      outDir: join(dir, 'out'),
      now: `${DAY}T18:00`,
      acks: false,
    });

    const parties = new Map<string, ConsigneeIdentity>();
    for (const b of bills) {
      const party = {
        name: b.name,
        street: b.street,
        city: b.city,
        state: b.state,
        postal: b.postal,
        country: 'US',
      };
      parties.set(consigneeKey(party), party);
    }
    const keys = [...parties.keys()].sort();
    const expected: string[] = [];
    for (let i = 0; i < keys.length; i++)
      for (let j = i + 1; j < keys.length; j++) {
        const cmp = compareConsignees(
          parties.get(keys[i] as string) as ConsigneeIdentity,
          parties.get(keys[j] as string) as ConsigneeIdentity,
        );
        if (cmp.relation === 'near') expected.push(`${keys[i]} ~ ${keys[j]} ${cmp.reason}`);
      }

    const store = new SqliteDecisionStore(db, { readOnly: true });
    try {
      const found = findSplitSuspects(store.reportQueries(), DAY)
        .flatMap((g) => g.pairs.map((p) => `${p.a} ~ ${p.b} ${p.reason}`))
        .sort();
      expect(expected.length).toBeGreaterThan(50); // the day really is full of variants
      expect(new Set(expected.map((e) => e.split(' ').at(-1)))).toEqual(
        new Set([
          'name-word-order',
          'name-subset',
          'name-initials',
          'name-typo',
          'address-street-variant',
          'address-postal-variant',
        ]),
      );
      expect(found).toEqual(expected.sort());
    } finally {
      await store.close();
    }
  });
});
