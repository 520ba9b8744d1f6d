/** The SQLite bill row encoding: every BillRecord comes back exactly (absent fields stay absent). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBillRow, encodeBillData } from '../../../src/adapters/store/sqlite/bill-row.js';
import type { BillRecord } from '../../../src/core/aggregate/state.js';
import { billArb, sampleBill } from './support/bill-arbitrary.js';

const columnsOf = (b: BillRecord) => ({
  key: b.key,
  ck: b.consigneeKey ?? null,
  day: b.day ?? null,
  counted: b.counted ? 1 : 0,
  accepted_seq: b.acceptedSeq,
});

describe('bill row encoding', () => {
  it('round-trips every record exactly', () => {
    fc.assert(
      fc.property(billArb, (bill) => {
        expect(decodeBillRow(columnsOf(bill), encodeBillData(bill))).toStrictEqual(bill);
      }),
      { numRuns: 500 },
    );
  });

  it('reads rows written by schema 1 (the record as a JSON object)', () => {
    fc.assert(
      fc.property(billArb, (bill) => {
        expect(decodeBillRow(columnsOf(bill), JSON.stringify(bill))).toStrictEqual(bill);
      }),
      { numRuns: 100 },
    );
  });

  it('is smaller than the object form', () => {
    expect(encodeBillData(sampleBill).length).toBeLessThan(JSON.stringify(sampleBill).length / 2);
  });
});
