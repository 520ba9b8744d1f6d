/** The Redis store's bill value: every BillRecord comes back exactly, and earlier values still read. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBillValue, encodeBillValue } from '../../../src/adapters/store/redis/bill-value.js';
import { billArb, sampleBill } from './support/bill-arbitrary.js';

describe('Redis bill value', () => {
  it('round-trips every record exactly', () => {
    fc.assert(
      fc.property(billArb, (bill) => {
        expect(decodeBillValue(bill.key, encodeBillValue(bill))).toStrictEqual(bill);
      }),
      { numRuns: 500 },
    );
  });

  it('reads values written as JSON objects (stores written before packing)', () => {
    fc.assert(
      fc.property(billArb, (bill) => {
        expect(decodeBillValue(bill.key, JSON.stringify(bill))).toStrictEqual(bill);
      }),
      { numRuns: 100 },
    );
  });

  it('is under 60% of the object form (282 against 517 characters for a typical bill)', () => {
    expect(encodeBillValue(sampleBill).length).toBeLessThan(JSON.stringify(sampleBill).length * 0.6);
  });
});
