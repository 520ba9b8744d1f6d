/**
 * The typed-array hash index of the append layout: exact answers through growth, through hashes
 * that share a probe run or are equal (52-bit collisions, resolved by the verify callback), and a
 * rebuilt index answers like the one that was built incrementally.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowHashIndex } from '../../../../src/adapters/store/sqlite/append-layout/hash-index.js';
import {
  BillHotState,
  MemberChains,
  PersonDayHotState,
} from '../../../../src/adapters/store/sqlite/append-layout/hot-state.js';
import { keyHash52 } from '../../../../src/adapters/store/sqlite/key-hash.js';

describe('RowHashIndex', () => {
  it('finds every row after growing from the smallest table, and misses absent keys without a read', () => {
    const index = new RowHashIndex(1);
    const keys = Array.from({ length: 20_000 }, (_, i) => `CARR/${i}`);
    for (const [i, k] of keys.entries()) index.insert(keyHash52(k), i + 1);
    expect(index.size).toBe(20_000);
    expect(index.capacity).toBeGreaterThanOrEqual(20_000 / 0.7);
    let reads = 0;
    const rowIs = (k: string) => (row: number) => {
      reads++;
      return keys[row - 1] === k;
    };
    for (const [i, k] of keys.entries()) expect(index.find(keyHash52(k), rowIs(k))).toBe(i + 1);
    expect(reads).toBe(20_000); // one confirming read per hit: no 32-bit tag collided here
    reads = 0;
    for (let i = 20_000; i < 21_000; i++)
      expect(index.find(keyHash52(`CARR/${i}`), rowIs(`CARR/${i}`))).toBe(0);
    expect(reads).toBe(0);
  });

  it('tells rows with the same 52-bit hash apart through verify, before and after growth', () => {
    const index = new RowHashIndex(1);
    const real = new Map<number, string>(); // rowid → key the row holds
    const h = 2 ** 52 - 1; // every "key" below shares this hash
    for (let row = 1; row <= 3000; row++) {
      // Interleave: colliding rows and ordinary ones, so growth re-places runs of both.
      if (row % 3 === 0) {
        real.set(row, `same-hash-${row}`);
        index.insert(h, row);
      } else {
        real.set(row, `k${row}`);
        index.insert(keyHash52(`k${row}`), row);
      }
    }
    for (let row = 3; row <= 3000; row += 3) {
      const key = `same-hash-${row}`;
      expect(index.find(h, (r) => real.get(r) === key)).toBe(row);
    }
    expect(index.find(h, () => false)).toBe(0);
    expect(index.find(keyHash52('k1'), (r) => real.get(r) === 'k1')).toBe(1);
  });

  it('keeps hashes whose low 32 bits (the tag it holds) are equal apart through verify', () => {
    const index = new RowHashIndex(1);
    const hashOf = (row: number) => (row - 1) * 2 ** 32 + 12345;
    for (let row = 1; row <= 5000; row++) index.insert(hashOf(row), row);
    for (let row = 1; row <= 5000; row += 7) expect(index.find(hashOf(row), (r) => r === row)).toBe(row);
    expect(index.find(5000 * 2 ** 32 + 12345, () => false)).toBe(0);
  });

  it('rebuilt in rowid order, answers what the incremental index answers (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 400 }), (keys) => {
        const built = new RowHashIndex(1);
        for (const [i, k] of keys.entries()) built.insert(keyHash52(k), i + 1);
        const rebuilt = new RowHashIndex(keys.length);
        // The rebuild reads each row's stored 52-bit hash (the `h` column), in rowid order.
        for (const [i, k] of keys.entries()) rebuilt.insert(keyHash52(k), i + 1);
        const verify = (row: number, k: string): boolean => keys[row - 1] === k;
        for (const k of keys) {
          const want = keys.indexOf(k) + 1;
          expect(built.find(keyHash52(k), (r) => verify(r, k))).toBe(want);
          expect(rebuilt.find(keyHash52(k), (r) => verify(r, k))).toBe(want);
        }
        expect(built.find(keyHash52('\u0000absent'), (r) => verify(r, '\u0000absent'))).toBe(0);
        expect(rebuilt.capacity).toBeLessThanOrEqual(Math.max(1024, built.capacity));
      }),
      { numRuns: 50 },
    );
  });

  it('retain keeps the rows accepted, in the same table, and forgets the others', () => {
    const index = new RowHashIndex(1);
    const keys = Array.from({ length: 5000 }, (_, i) => `K/${i}`);
    for (const [i, k] of keys.entries()) index.insert(keyHash52(k), i + 1);
    const capacity = index.capacity;
    index.retain((row) => row % 3 === 0);
    expect(index.capacity).toBe(capacity);
    expect(index.size).toBe(Math.floor(5000 / 3));
    for (const [i, k] of keys.entries())
      expect(index.find(keyHash52(k), (r) => keys[r - 1] === k)).toBe((i + 1) % 3 === 0 ? i + 1 : 0);
    index.insert(keyHash52('K/1'), 1); // a dropped row indexed again
    expect(index.find(keyHash52('K/1'), (r) => r === 1)).toBe(1);
  });

  it('refuses what it cannot hold: rowid 0 (the empty slot) and non-integer hashes', () => {
    const index = new RowHashIndex();
    expect(() => index.insert(1, 0)).toThrow(RangeError);
    expect(() => index.insert(0.5, 1)).toThrow(RangeError);
    expect(() => index.insert(2 ** 53, 1)).toThrow(RangeError);
  });
});

describe('MemberChains', () => {
  it('links, unlinks from the head, middle and tail, and lists the members', () => {
    const pds = new PersonDayHotState();
    const bills = new BillHotState();
    const chains = new MemberChains(pds, bills);
    for (const b of [1, 2, 3, 4]) chains.link(7, b);
    chains.link(8, 5);
    expect(chains.members(7).sort()).toEqual([1, 2, 3, 4]);
    chains.unlink(7, 4); // head (newest first)
    chains.unlink(7, 2); // middle
    chains.unlink(7, 1); // tail
    expect(chains.members(7)).toEqual([3]);
    expect(chains.members(8)).toEqual([5]);
    expect(bills.personDay.get(2)).toBe(0);
    expect(bills.personDay.get(3)).toBe(7);
    expect(() => chains.unlink(7, 5)).toThrow(/not a member/);
  });
});
