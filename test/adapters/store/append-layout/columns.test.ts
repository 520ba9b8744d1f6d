/**
 * WholeNumberColumn keeps a person-day's total cents and accepted-seq mark in 4 bytes a row, and
 * every value exactly: the rare ones a Uint32 cannot hold live in a side map.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WholeNumberColumn } from '../../../../src/adapters/store/sqlite/append-layout/columns.js';

describe('WholeNumberColumn', () => {
  it('reads back every value set, small or not, and 0 for a row never set', () => {
    const col = new WholeNumberColumn(4);
    const values = [
      0,
      1,
      80_000,
      2 ** 32 - 2,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 40 + 3,
      -5,
      12.5,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const [i, v] of values.entries()) col.set(i + 1, v);
    for (const [i, v] of values.entries()) expect(col.get(i + 1)).toBe(v);
    expect(col.get(200_000)).toBe(0);
    // 4 bytes a row: the columns of 200k rows are a quarter of Float64's 1.6 MB.
    const big = new WholeNumberColumn(200_000);
    expect(big.bytes).toBeLessThanOrEqual(4 * (200_000 + 65_536));
  });

  it('a row moving between the two stores keeps only its latest value', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 40 }),
            fc.oneof(
              fc.nat({ max: 2 ** 32 - 1 }),
              fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
              fc.double({ noNaN: true }),
            ),
          ),
          { maxLength: 200 },
        ),
        (writes) => {
          const col = new WholeNumberColumn(8);
          const model = new Map<number, number>();
          for (const [row, v] of writes) {
            col.set(row, v);
            model.set(row, v);
          }
          // === : a -0 written reads back as 0 (a Uint32 has no sign), the same number.
          for (let row = 1; row <= 40; row++) expect(col.get(row) === (model.get(row) ?? 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
