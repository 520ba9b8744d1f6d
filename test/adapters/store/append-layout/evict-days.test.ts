/**
 * Eviction of the hot state's old days, at the level of the typed arrays: which rows it hands over
 * and in what order (the cold indexes are written in key order from it), what it keeps, that the
 * next day's rows fill the memory the evicted day had, and the radix sort by tag it orders them with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROWS_PER_CHUNK, U32Column } from '../../../../src/adapters/store/sqlite/append-layout/columns.js';
import { RowHashIndex } from '../../../../src/adapters/store/sqlite/append-layout/hash-index.js';
import {
  type BillHotState,
  dayOrdinal,
  type EvictionSink,
  evictRows,
  NO_DAY,
  type PersonDayHotState,
  rowidAtRank,
  sortByTag,
} from '../../../../src/adapters/store/sqlite/append-layout/hot-state.js';
import { emptyHotState } from '../../../../src/adapters/store/sqlite/append-layout/load-hot-state.js';
import { keyHash52 } from '../../../../src/adapters/store/sqlite/key-hash.js';

/**
 * Day eviction as the store asks it (append-state.ts evictBefore, with no row-cap bounds): the rows of
 * days before `before` (a dayOrdinal) and the bills of no day below rowid `noDayBelow`.
 */
function evictDaysBefore(
  personDays: PersonDayHotState,
  bills: BillHotState,
  before: number,
  noDayBelow: number,
  sink: EvictionSink,
): { personDays: number; bills: number } {
  const rule = { coldBefore: before, personDaysFrom: 0, billsFrom: 0, noDayFrom: noDayBelow };
  const evicted = evictRows(personDays, bills, rule, sink);
  return { personDays: evicted.personDays, bills: evicted.bills };
}

describe('sortByTag', () => {
  it('orders rowids by tag, rows of equal tags in their given order (as a stable comparator sort)', () => {
    fc.assert(
      fc.property(
        // Few distinct tags, so equal tags are common; tags over the whole 32-bit range.
        fc.array(fc.constantFrom(0, 1, 0xffff, 0x10000, 0x1234abcd, 0xfffffffe, 0xffffffff), {
          maxLength: 300,
        }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 300 }),
        (fewTags, anyTags) => {
          const tagsOfRows = [...fewTags, ...anyTags];
          const tag = new U32Column();
          const rows = new Uint32Array(tagsOfRows.length);
          // Rowids given in descending order, so "their given order" is not ascending rowids.
          for (const [i, t] of tagsOfRows.entries()) {
            const row = 3 * (tagsOfRows.length - i) + 1;
            rows[i] = row;
            tag.set(row, t);
          }
          const want = [...rows].sort((a, b) => tag.get(a) - tag.get(b));
          sortByTag(rows, tag);
          expect([...rows]).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('evictDaysBefore', () => {
  /** A hot state of `days` days: each person-day with 1–3 member bills, bills of no day, one moved bill. */
  function hotState(days: string[], perDay: number) {
    const hot = emptyHotState(1, 1);
    const { personDays: pds, bills, members: chains } = hot;
    let pdRow = 0;
    let billRow = 0;
    const pdOf = new Map<number, string>();
    const addDay = (day: string): void => {
      for (let i = 0; i < perDay; i++) {
        const pd = ++pdRow;
        pdOf.set(pd, day);
        pds.index.insert(keyHash52(`${day}/CK${i}`), pd);
        pds.day.set(pd, dayOrdinal(day));
        for (let m = 0; m <= i % 3; m++) {
          const b = ++billRow;
          bills.index.insert(keyHash52(`B${b}`), b);
          bills.day.set(b, dayOrdinal(day));
          chains.link(pd, b);
        }
        if (i % 50 === 0) {
          // A status before any declaration: a bill of no day.
          const b = ++billRow;
          bills.index.insert(keyHash52(`B${b}`), b);
          bills.day.set(b, NO_DAY);
        }
      }
    };
    for (const day of days) addDay(day);
    const bytes = (): number => pds.bytes + bills.bytes + hot.spares.bytes;
    return { pds, bills, chains, pdOf, billRows: billRow, addDay, bytes, lastBill: () => billRow };
  }

  it('hands over every row of the old days once, person-days and bills in tag order and members by person-day, and keeps the rest', () => {
    const days = ['2025-06-10', '2025-06-11', '2025-06-12'];
    const { pds, bills, chains, pdOf, billRows } = hotState(days, 3_000);
    const noDayBelow = Math.floor(billRows / 2);
    const pdTags = new Map<number, number>();
    const billTags = new Map<number, number>();
    pds.index.forEachRow((r) => pdTags.set(r, pds.index.rowTag.get(r)));
    bills.index.forEachRow((r) => billTags.set(r, bills.index.rowTag.get(r)));
    const membersBefore = new Map<number, number[]>();
    for (const pd of pdOf.keys()) membersBefore.set(pd, chains.members(pd));
    const billDay = new Map<number, number>();
    for (let b = 1; b <= billRows; b++) billDay.set(b, bills.day.get(b));

    const got = { personDays: [] as number[][], members: [] as number[][], bills: [] as number[][] };
    const sink: EvictionSink = {
      member: (pd, bill) => got.members.push([pd, bill]),
      personDay: (tag, row) => got.personDays.push([tag, row]),
      bill: (tag, row) => got.bills.push([tag, row]),
    };
    const before = dayOrdinal('2025-06-12');
    const counts = evictDaysBefore(pds, bills, before, noDayBelow, sink);

    const oldPds = [...pdOf].filter(([, d]) => d < '2025-06-12').map(([pd]) => pd);
    const byTagThenRow = (a: number[], b: number[]) =>
      (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number);
    expect(got.personDays).toEqual(oldPds.map((pd) => [pdTags.get(pd) as number, pd]).sort(byTagThenRow));
    expect(got.members).toEqual(oldPds.flatMap((pd) => (membersBefore.get(pd) ?? []).map((b) => [pd, b])));
    const oldBills = [...billDay]
      .filter(([b, d]) => (d !== NO_DAY && d < before) || (d === NO_DAY && b < noDayBelow))
      .map(([b]) => b);
    expect(got.bills).toEqual(oldBills.map((b) => [billTags.get(b) as number, b]).sort(byTagThenRow));
    expect(counts).toEqual({ personDays: oldPds.length, bills: oldBills.length });

    // Evicted rows are not held; the kept ones are found and keep their members.
    for (const pd of oldPds) expect(pds.isHeld(pd)).toBe(false);
    for (const b of oldBills) expect(bills.day.get(b)).toBe(0);
    for (const [pd, day] of pdOf) {
      if (day !== '2025-06-12') continue;
      expect(pds.isHeld(pd)).toBe(true);
      expect(chains.members(pd)).toEqual(membersBefore.get(pd));
      const tag = pdTags.get(pd) as number;
      expect(pds.index.find(tag, (r) => r === pd)).toBe(pd);
    }
    expect(pds.index.size).toBe(pdOf.size - oldPds.length);
    expect(bills.index.size).toBe(billRows - oldBills.length);
  });

  it('the next day as large as the one evicted fills the memory that day had: no new chunk, no new table', () => {
    // Days of 2.5 chunks of person-days, each day's rows in chunks of their own but the edges.
    const perDay = Math.floor(2.5 * ROWS_PER_CHUNK);
    const sink: EvictionSink = { member: () => undefined, personDay: () => undefined, bill: () => undefined };
    const state = hotState(['2025-06-10'], perDay);
    const { pds, bills } = state;
    state.addDay('2025-06-11');
    const pdTable = pds.index.capacity;
    const billTable = bills.index.capacity;
    const oneDayBefore = state.bytes();
    evictDaysBefore(pds, bills, dayOrdinal('2025-06-11'), state.lastBill() + 1, sink);
    // What the evicted day's rows held is kept for the next day's (it was garbage until a GC).
    expect(state.bytes()).toBe(oneDayBefore);
    state.addDay('2025-06-12');
    evictDaysBefore(pds, bills, dayOrdinal('2025-06-12'), state.lastBill() + 1, sink);
    const afterSecond = state.bytes();
    state.addDay('2025-06-13');
    // The day of 2025-06-13 took the chunks 2025-06-11 left; the tables grew no further.
    expect(state.bytes()).toBe(afterSecond);
    expect(pds.index.capacity).toBe(pdTable);
    expect(bills.index.capacity).toBe(billTable);
    expect(pds.index.size).toBe(2 * perDay);
    for (const [pd, day] of state.pdOf) expect(pds.isHeld(pd)).toBe(day >= '2025-06-12');
  });
});

describe('rowidAtRank', () => {
  it('is the indexed rowid of that rank in ascending order, or the largest + 1 past the last', () => {
    fc.assert(
      fc.property(
        // Rowids over several column chunks (64Ki rows each), some chunks empty.
        fc.uniqueArray(fc.integer({ min: 1, max: 5 * ROWS_PER_CHUNK }), { minLength: 1, maxLength: 400 }),
        fc.nat(),
        (rowids, pick) => {
          const index = new RowHashIndex(16);
          for (const r of rowids) index.insert(keyHash52(`K${r}`), r);
          const sorted = [...rowids].sort((a, b) => a - b);
          const rank = pick % (rowids.length + 1);
          expect(rowidAtRank(index, rank)).toBe(
            rank < sorted.length ? sorted[rank] : (sorted.at(-1) as number) + 1,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('evictRows under the row cap (rowid bounds within a held day)', () => {
  it('evicts person-days below the bound with their members, and bills below it not counted in a held person-day', () => {
    const day = dayOrdinal('2025-06-10');
    const hot = emptyHotState(1, 1);
    const { personDays: pds, bills, members: chains } = hot;
    const pdOfBill = new Map<number, number>();
    let billRow = 0;
    const addBill = (d: number, pd: number): number => {
      const b = ++billRow;
      bills.index.insert(keyHash52(`B${b}`), b);
      bills.day.set(b, d);
      if (pd !== 0) {
        chains.link(pd, b);
        pdOfBill.set(b, pd);
      }
      return b;
    };
    // 600 person-days in insertion order, 1–3 members each, an uncounted bill (status) every 7th
    // and a bill of no day every 11th.
    for (let pd = 1; pd <= 600; pd++) {
      pds.index.insert(keyHash52(`CK${pd}`), pd);
      pds.day.set(pd, day);
      for (let m = 0; m <= pd % 3; m++) addBill(day, pd);
      if (pd % 7 === 0) addBill(day, 0);
      if (pd % 11 === 0) addBill(NO_DAY, 0);
    }
    // An old bill moved into a new person-day: held with it, whatever its rowid.
    chains.unlink(pdOfBill.get(2) as number, 2);
    chains.link(590, 2);
    pdOfBill.set(2, 590);
    const pdFrom = 300;
    const billFrom = Math.floor(billRow / 2);
    const membersBefore = new Map<number, number[]>();
    for (let pd = 1; pd <= 600; pd++) membersBefore.set(pd, chains.members(pd));
    const billDay = new Map<number, number>();
    for (let b = 1; b <= billRow; b++) billDay.set(b, bills.day.get(b));

    const got = { personDays: [] as number[], members: [] as number[][], bills: [] as number[] };
    const sink: EvictionSink = {
      member: (pd, bill) => got.members.push([pd, bill]),
      personDay: (_tag, row) => got.personDays.push(row),
      bill: (_tag, row) => got.bills.push(row),
    };
    const counts = evictRows(
      pds,
      bills,
      { coldBefore: 0, personDaysFrom: pdFrom, billsFrom: billFrom, noDayFrom: billFrom },
      sink,
    );

    const evictedPds = [...membersBefore.keys()].filter((pd) => pd < pdFrom);
    expect([...got.personDays].sort((a, b) => a - b)).toEqual(evictedPds);
    expect(got.members).toEqual(
      evictedPds.flatMap((pd) => (membersBefore.get(pd) ?? []).map((b) => [pd, b])),
    );
    // A bill stays when counted in a kept person-day, or (counted in an evicted one or in none)
    // when at or above the bound.
    const kept = (b: number): boolean => {
      const pd = pdOfBill.get(b) ?? 0;
      return (pd !== 0 && pd >= pdFrom) || b >= billFrom;
    };
    const evictedBills = [...billDay.keys()].filter((b) => !kept(b));
    expect([...got.bills].sort((a, b) => a - b)).toEqual(evictedBills);
    expect(counts).toEqual({
      personDays: evictedPds.length,
      datedPersonDays: evictedPds.length,
      bills: evictedBills.length,
    });
    expect(got.bills).toContain(1); // a member of an evicted person-day, below the bound
    expect(got.bills).not.toContain(2); // below the bound, counted in a kept person-day

    for (let pd = 1; pd <= 600; pd++) {
      expect(pds.isHeld(pd)).toBe(pd >= pdFrom);
      if (pd >= pdFrom) expect(chains.members(pd)).toEqual(membersBefore.get(pd));
    }
    for (const b of billDay.keys()) {
      expect(bills.day.get(b) !== 0, `bill ${b}`).toBe(kept(b));
      // A kept member of an evicted person-day is unchained from it (a bill of a cold person-day).
      const pd = pdOfBill.get(b) ?? 0;
      if (kept(b) && pd !== 0 && pd < pdFrom) expect(bills.next.get(b)).toBe(0);
    }
    expect(pds.index.size).toBe(600 - evictedPds.length);
    expect(bills.index.size).toBe(billRow - evictedBills.length);
  });
});
