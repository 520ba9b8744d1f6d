/**
 * The split-shipment pass reads only the parties that share a blocking-key hash with another
 * (split-candidates.ts) and groups them by their real keys. It must build the blocks the grouping of
 * every party built — same blocks, same order, so the same groups with their pairs in the same order
 * — which an oracle here computes from all the parties in memory: address blocks by (day, folded
 * address), then name blocks by (day, folded name) cut into street and city + postal sub-blocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { partyRowValues } from '../../src/adapters/store/sqlite/party-row.js';
import { SqliteReportQueries } from '../../src/adapters/store/sqlite/report-queries.js';
import {
  blockingKeyHashes,
  sharedKeys,
  splitCandidates,
} from '../../src/adapters/store/sqlite/split-candidates.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import {
  type ConsigneeIdentity,
  consigneeKey,
  type PartyDay,
  splitSuspects,
} from '../../src/core/consignee/index.js';

describe('blocking key hashes', () => {
  it('are equal for equal keys and blank where the block skips the row', () => {
    const a = blockingKeyHashes('2025-06-10', 'JOHN SMITH', '1 MAIN ST|ALBANY|NY|12207|US');
    // Same name and street, other city: same street key, other place key, other address key.
    const b = blockingKeyHashes('2025-06-10', 'JOHN SMITH', '1 MAIN ST|TROY|NY|12207|US');
    expect(b.street).toBe(a.street);
    expect(b.place).not.toBe(a.place);
    expect(b.address).not.toBe(a.address);
    // Same city and postal code, other street and state: same place key.
    const c = blockingKeyHashes('2025-06-10', 'JOHN SMITH', '3 OAK AVE|ALBANY|VT|12207|US');
    expect(c.place).toBe(a.place);
    expect(c.street).not.toBe(a.street);
    // Another day shares nothing.
    const d = blockingKeyHashes('2025-06-11', 'JOHN SMITH', '1 MAIN ST|ALBANY|NY|12207|US');
    expect([d.address, d.street, d.place]).not.toContain(a.address);
    expect(d.street).not.toBe(a.street);
    expect(d.place).not.toBe(a.place);
    // A blank street, postal code or name is in no block of that kind (0).
    expect(blockingKeyHashes('2025-06-10', 'JOHN SMITH', '|ALBANY|NY|12207|US').street).toBe(0);
    expect(blockingKeyHashes('2025-06-10', 'JOHN SMITH', '1 MAIN ST|ALBANY|NY||US').place).toBe(0);
    const noName = blockingKeyHashes('2025-06-10', '', '1 MAIN ST|ALBANY|NY|12207|US');
    expect([noName.street, noName.place]).toEqual([0, 0]);
    expect(noName.address).toBe(a.address);
    // Where one field ends and the next begins counts: name "AB" + street "C" is not "A" + "BC".
    expect(blockingKeyHashes('2025-06-10', 'AB', 'C|X|Y|1|US').street).not.toBe(
      blockingKeyHashes('2025-06-10', 'A', 'BC|X|Y|1|US').street,
    );
  });

  it('sharedKeys: the distinct values held more than once, sorted, never 0', () => {
    expect([...sharedKeys(Uint32Array.of(3, 1, 3, 0, 0, 2, 2, 2, 7))]).toEqual([2, 3]);
    expect([...sharedKeys(Uint32Array.of(5, 4, 9))]).toEqual([]);
    expect([...sharedKeys(new Uint32Array(0))]).toEqual([]);
  });
});

const DAYS = ['2025-06-10', '2025-06-11'];
const NAMES = ['JOHN SMITH', 'J SMITH', 'SMITH JOHN', 'JON SMITH', 'MARY JONES', 'MARY JONES', ''];
const STREETS = ['1 MAIN ST', '1 MAIN ST APT 2', '1 MAIM ST', '3 MAIN ST', '9 OAK AVE', ''];
const PLACES: Array<[string, string]> = [
  ['ALBANY', '12207'],
  ['ALBANY', '12208'],
  ['ALBNY', '12207'],
  ['TROY', '12180'],
  ['TROY', ''],
];

/** A small deterministic generator, so the fixture is the same in every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)] as T;
}

interface Row extends PartyDay {
  nameKey: string;
  addressKey: string;
}

/** The blocks of the grouping over every party (what report-queries.ts did before the candidates). */
function oracleBlocks(rows: readonly Row[]): PartyDay[][] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const strip = (b: Row[]): PartyDay[] => b.map(({ nameKey: _n, addressKey: _a, ...m }) => m);
  const runs = (key: (r: Row) => string): Row[][] => {
    const sorted = rows
      .filter((r) => key(r) !== '')
      .sort((a, b) => cmp(a.day, b.day) || cmp(key(a), key(b)) || cmp(a.consigneeKey, b.consigneeKey));
    const out: Row[][] = [];
    for (const r of sorted) {
      const last = out.at(-1);
      if (last !== undefined && last[0]?.day === r.day && key(last[0]) === key(r)) last.push(r);
      else out.push([r]);
    }
    return out.filter((b) => b.length > 1);
  };
  const blocks: PartyDay[][] = runs((r) => r.addressKey).map(strip);
  for (const block of runs((r) => r.nameKey)) {
    if (block.length === 2) {
      blocks.push(strip(block));
      continue;
    }
    const byStreet = new Map<string, Row[]>();
    const byPlace = new Map<string, Row[]>();
    for (const m of block) {
      const [street = '', city = '', , postal = ''] = m.addressKey.split('|');
      if (street !== '') byStreet.set(street, [...(byStreet.get(street) ?? []), m]);
      if (postal !== '') byPlace.set(`${city}|${postal}`, [...(byPlace.get(`${city}|${postal}`) ?? []), m]);
    }
    for (const b of [...byStreet.values(), ...byPlace.values()]) if (b.length > 1) blocks.push(strip(b));
  }
  return blocks;
}

describe('split candidates over a SQLite store', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('give the groups, pairs and pair order of grouping every party, and read only the candidates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-split-cand-'));
    dirs.push(dir);
    const path = join(dir, 's.db');
    await new SqliteDecisionStore(path).close(); // the store's schema, empty
    const db = new Database(path);
    const r = lcg(42);
    const rows: Row[] = [];
    const putDay = db.prepare(
      'INSERT INTO person_days (id, h, day, ck, total, bills, ever_exceeded) VALUES (?, ?, ?, ?, ?, 1, 0)',
    );
    const putParty = db.prepare(
      `INSERT INTO person_day_parties (pd, name, street, city, state, postal, country, id_qualifier, id, name_key, address_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const seen = new Set<string>();
    db.transaction(() => {
      for (let i = 0; i < 600; i++) {
        const [city, postal] = pick(PLACES, r);
        const party: ConsigneeIdentity = {
          name: pick(NAMES, r),
          street: pick(STREETS, r),
          city,
          state: r() < 0.5 ? 'NY' : 'VT',
          postal,
          country: 'US',
          ...(r() < 0.2 ? { idQualifier: '24', id: String(Math.floor(r() * 5)) } : {}),
        };
        const day = pick(DAYS, r);
        const ck = consigneeKey(party);
        if (seen.has(`${day}|${ck}`)) continue; // one person-day per (day, key)
        seen.add(`${day}|${ck}`);
        const id = rows.length + 1;
        const total = 1000 + Math.floor(r() * 90000);
        const values = partyRowValues(party, ck);
        putDay.run(id, id, day, ck, total);
        putParty.run(id, ...values);
        rows.push({
          day,
          consigneeKey: ck,
          totalCents: total,
          bills: 1,
          party,
          nameKey: values[8],
          addressKey: values[9],
        });
      }
    })();
    expect(rows.length).toBeGreaterThan(200);

    const queries = new SqliteReportQueries(db);
    const expectedBlocks = oracleBlocks(rows);
    const expected = splitSuspects(expectedBlocks);
    const got = splitSuspects(queries.splitCandidateBlocks());
    expect(expected.length).toBeGreaterThan(10);
    expect(JSON.stringify(got)).toBe(JSON.stringify(expected));

    // Only rows that can be in a block are read back: every member of an oracle block is a
    // candidate, and the candidates are few beyond them (only hash collisions could add any).
    const candidates = splitCandidates(db, 'person_day_parties');
    const sharing = (key: (x: Row) => string | undefined): Set<string> => {
      const count = new Map<string, number>();
      for (const x of rows) {
        const k = key(x);
        if (k !== undefined) count.set(`${x.day}|${k}`, (count.get(`${x.day}|${k}`) ?? 0) + 1);
      }
      const out = new Set<string>();
      for (const x of rows) {
        const k = key(x);
        if (k !== undefined && (count.get(`${x.day}|${k}`) ?? 0) > 1) out.add(`${x.day}|${x.consigneeKey}`);
      }
      return out;
    };
    const field = (x: Row, i: number): string => x.addressKey.split('|')[i] ?? '';
    const byStreet = sharing((x) =>
      x.nameKey !== '' && field(x, 0) !== '' ? `${x.nameKey}|${field(x, 0)}` : undefined,
    );
    const byPlace = sharing((x) =>
      x.nameKey !== '' && field(x, 3) !== '' ? `${x.nameKey}|${field(x, 1)}|${field(x, 3)}` : undefined,
    );
    const keyOf = (pd: number): string => `${rows[pd - 1]?.day}|${rows[pd - 1]?.consigneeKey}`;
    expect(new Set(candidates.address.map(keyOf))).toEqual(sharing((x) => x.addressKey));
    expect(new Set(candidates.name.map(keyOf))).toEqual(new Set([...byStreet, ...byPlace]));
    expect(candidates.name.length).toBeLessThan(rows.length);

    // One day only: that day's groups.
    const oneDay = splitSuspects(queries.splitCandidateBlocks(DAYS[1]));
    expect(JSON.stringify(oneDay)).toBe(JSON.stringify(expected.filter((g) => g.day === DAYS[1])));
    db.close();
  });
});
