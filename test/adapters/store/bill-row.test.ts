/**
 * The SQLite bill row encoding: every BillRecord comes back exactly (absent fields stay absent),
 * from the data schema 7 writes (issuer, SCN, carrier and cents left to the key and the row) and from
 * the data older schemas wrote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBill } from '../../../src/adapters/store/packed-bill.js';
import { decodeBillRow, encodeBillData } from '../../../src/adapters/store/sqlite/bill-row.js';
import type { BillRecord } from '../../../src/core/aggregate/state.js';
import { billArb, sampleBill } from './support/bill-arbitrary.js';

const columnsOf = (b: BillRecord) => ({
  key: b.key,
  ck: b.consigneeKey ?? null,
  day: b.day ?? null,
  counted: b.counted ? 1 : 0,
  accepted_seq: b.acceptedSeq,
  cents: b.cents,
});

/** Bills as the normalizer keys them (`${issuer}/${scn}`), the carrier often the issuer; issuers may hold '/'. */
const keyedBillArb = fc
  .tuple(billArb, fc.boolean(), fc.constantFrom('', '/', 'A/B'))
  .map(([b, sameCarrier, slash]): BillRecord => {
    const issuer = `${b.issuer}${slash}`;
    return { ...b, issuer, key: `${issuer}/${b.scn}`, carrierScac: sameCarrier ? issuer : b.carrierScac };
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

  it('round-trips bills keyed by issuer and SCN, whose data leaves them out', () => {
    fc.assert(
      fc.property(keyedBillArb, (bill) => {
        expect(decodeBillRow(columnsOf(bill), encodeBillData(bill))).toStrictEqual(bill);
      }),
      { numRuns: 500 },
    );
  });

  it('reads rows written before schema 7 (every packed field in the data)', () => {
    fc.assert(
      fc.property(fc.oneof(billArb, keyedBillArb), (bill) => {
        const { cents: _, ...withoutCentsColumn } = columnsOf(bill);
        expect(decodeBillRow(withoutCentsColumn, JSON.stringify(packBill(bill)))).toStrictEqual(bill);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves out issuer, SCN, carrier, cents and trailing nulls of a bill as the bench traffic has them', () => {
    const data = encodeBillData(sampleBill);
    expect(JSON.parse(data).slice(0, 8)).toEqual([null, null, 'ocean', 'S321', 0, 'x12', null, null]);
    expect(data.length).toBeLessThanOrEqual(JSON.stringify(packBill(sampleBill)).length - 25);
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
