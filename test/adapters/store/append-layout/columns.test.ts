/**
 * WholeNumberColumn keeps a person-day's total cents and accepted-seq mark in 4 bytes a row, and
 * every value exactly: the rare ones a Uint32 cannot hold live in a side map. Chunks a column drops
 * are kept as spares and reused, zeroed, by the next chunk any column of the hot state needs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ROWS_PER_CHUNK,
  SpareChunks,
  U16Column,
  U32Column,
  WholeNumberColumn,
} from '../../../../src/adapters/store/sqlite/append-layout/columns.js';

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

describe('dropped chunks', () => {
  it('are reused, zeroed, by the next chunk a column of the same spares needs; none is made while one is spare', () => {
    const spares = new SpareChunks();
    const a = new U32Column(1, spares);
    const b = new U32Column(1, spares);
    const days = new U16Column(1, spares);
    for (let row = 1; row < 3 * ROWS_PER_CHUNK; row += 7) {
      a.set(row, row);
      days.set(row, 20_252);
    }
    expect(a.bytes).toBe(3 * 4 * ROWS_PER_CHUNK);
    const before = a.bytes + b.bytes + days.bytes + spares.bytes;
    a.dropChunks((chunk) => chunk === 2);
    days.dropChunks((chunk) => chunk === 2);
    expect(spares.u32).toHaveLength(2);
    expect(spares.u16).toHaveLength(2);
    for (let row = 1; row < 2 * ROWS_PER_CHUNK; row += 7) expect(a.get(row)).toBe(0);
    const keptRow = 1 + 7 * Math.ceil((2 * ROWS_PER_CHUNK - 1) / 7); // the first row set in chunk 2
    expect(a.get(keptRow)).toBe(keptRow);
    // Rows of later chunks (another column's, too) take the spares: no new chunk, and zeroed.
    b.set(5 * ROWS_PER_CHUNK + 3, 9);
    a.set(4 * ROWS_PER_CHUNK, 1);
    days.set(7 * ROWS_PER_CHUNK, 20_253);
    expect(spares.u32).toHaveLength(0);
    expect(spares.u16).toHaveLength(1);
    expect(a.bytes + b.bytes + days.bytes + spares.bytes).toBe(before);
    for (let row = 5 * ROWS_PER_CHUNK; row < 6 * ROWS_PER_CHUNK; row++)
      expect(b.get(row)).toBe(row === 5 * ROWS_PER_CHUNK + 3 ? 9 : 0);
    for (let row = 4 * ROWS_PER_CHUNK + 1; row < 5 * ROWS_PER_CHUNK; row++) expect(a.get(row)).toBe(0);
    for (let row = 7 * ROWS_PER_CHUNK + 1; row < 8 * ROWS_PER_CHUNK; row++) expect(days.get(row)).toBe(0);
    // With no spare left, a new chunk is made.
    b.set(9 * ROWS_PER_CHUNK, 1);
    expect(a.bytes + b.bytes + days.bytes + spares.bytes).toBe(before + 4 * ROWS_PER_CHUNK);
  });
});
