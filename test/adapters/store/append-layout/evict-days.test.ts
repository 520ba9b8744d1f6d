/**
 * Eviction of the hot state's old days, at the level of the typed arrays: which rows it hands over
 * and in what order (the cold indexes are written in key order from it), what it keeps, that the
 * next day's rows fill the memory the evicted day had, and the radix sort by tag it orders them with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROWS_PER_CHUNK, U32Column } from '../../../../src/adapters/store/sqlite/append-layout/columns.js';
import {
  dayOrdinal,
  type EvictionSink,
  evictDaysBefore,
  NO_DAY,
  sortByTag,
} from '../../../../src/adapters/store/sqlite/append-layout/hot-state.js';
import { emptyHotState } from '../../../../src/adapters/store/sqlite/append-layout/load-hot-state.js';
import { keyHash52 } from '../../../../src/adapters/store/sqlite/key-hash.js';

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
