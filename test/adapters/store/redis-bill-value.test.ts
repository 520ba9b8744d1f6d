/** The Redis store's bill value: every BillRecord comes back exactly, and earlier values still read. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packBill } from '../../../src/adapters/store/packed-bill.js';
import {
  decodeBillValue,
  encodeBillValue,
  encodeBillValueV2,
} from '../../../src/adapters/store/redis/bill-value.js';
import type { BillRecord } from '../../../src/core/aggregate/state.js';
import { billArb, sampleBill } from './support/bill-arbitrary.js';

/** Version 1 of the value (before the fields the key or another field holds were left out). */
function versionOne(b: BillRecord): string {
  return JSON.stringify([
    b.consigneeKey ?? null,
    b.day ?? null,
    b.counted ? 1 : 0,
    b.acceptedSeq,
    ...packBill(b),
  ]);
}

/** Bills shaped like real ones, so the shortcuts (key = issuer/scn, carrier = issuer, ...) apply or just miss. */
const shapedBillArb = fc
  .record({
    bill: billArb,
    issuer: fc.constantFrom('OCNB', '176', 'A/B'),
    scn: fc.constantFrom('OCNB0000435062', '12345678/H1', ''),
    carrierIsIssuer: fc.boolean(),
    edaIsDay: fc.boolean(),
    hash: fc.oneof(
      fc.stringMatching(/^[0-9a-f]{32}$/),
      fc.constantFrom('', '~x', '=y', 'ABCDEF0123456789abcdef0123456789'),
    ),
    event: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.constantFrom('', '0123')),
    keyMatches: fc.boolean(),
  })
  .map(({ bill, issuer, scn, carrierIsIssuer, edaIsDay, hash, event, keyMatches }): BillRecord => {
    const b: BillRecord = {
      ...bill,
      key: keyMatches ? `${issuer}/${scn}` : `${issuer}-${scn}`,
      issuer,
      scn,
      versionHash: hash,
      lastEventId: event,
    };
    if (carrierIsIssuer) b.carrierScac = issuer;
    if (edaIsDay && b.day !== undefined) b.eda = b.day;
    return b;
  });

/** Strings that the text form (version 3) must escape or could mistake for its own marks. */
const hostile = fc.constantFrom(
  '',
  '\t',
  ',',
  '\\',
  '\\z',
  '\\d',
  '=',
  '=x',
  '0',
  'a,b\tc\\',
  '\u0000z',
  '~',
  ' ',
);
const hostileBillArb = fc
  .record({
    bill: billArb,
    a: hostile,
    b: hostile,
    c: hostile,
    d: hostile,
    list: fc.array(hostile, { maxLength: 3 }),
  })
  .map(({ bill, a, b, c, d, list }): BillRecord => {
    const out: BillRecord = { ...bill, issuer: a, scn: b, carrierScac: c, consigneeKey: d, day: a, eda: b };
    out.hts = list;
    out.notified = [...list].reverse();
    out.versionHash = c;
    out.lastEventId = d;
    out.origin = a;
    out.brokerId = b;
    out.profile = c as NonNullable<BillRecord['profile']>;
    out.standing = { role: d as 'crossing', withhold: true };
    return out;
  });

describe('Redis bill value', () => {
  it("round-trips records whose strings hold the text form's separators, escapes and marks", () => {
    fc.assert(
      fc.property(hostileBillArb, fc.boolean(), (bill, keyed) => {
        const b = keyed ? { ...bill, key: `${bill.issuer}/${bill.scn}` } : bill;
        expect(decodeBillValue(b.key, encodeBillValue(b))).toStrictEqual(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads version 2 values (the JSON array the store wrote before the text form)', () => {
    fc.assert(
      fc.property(fc.oneof(billArb, shapedBillArb, hostileBillArb), (bill) => {
        expect(decodeBillValue(bill.key, encodeBillValueV2(bill))).toStrictEqual(bill);
      }),
      { numRuns: 500 },
    );
  });

  it('is at most 80% of version 2 for a typical bill (the JSON syntax left out)', () => {
    expect(encodeBillValue(sampleBill).length).toBeLessThanOrEqual(
      encodeBillValueV2(sampleBill).length * 0.8,
    );
  });

  it('round-trips every record exactly', () => {
    fc.assert(
      fc.property(billArb, (bill) => {
        expect(decodeBillValue(bill.key, encodeBillValue(bill))).toStrictEqual(bill);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips bills shaped like real ones exactly (what the key or another field holds is left out)', () => {
    fc.assert(
      fc.property(shapedBillArb, (bill) => {
        expect(decodeBillValue(bill.key, encodeBillValue(bill))).toStrictEqual(bill);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads version 1 values (the packed array without leaving anything out)', () => {
    fc.assert(
      fc.property(fc.oneof(billArb, shapedBillArb), (bill) => {
        expect(decodeBillValue(bill.key, versionOne(bill))).toStrictEqual(bill);
      }),
      { numRuns: 300 },
    );
  });

  it('is under 75% of version 1 for a typical bill (206 against 292 characters)', () => {
    expect(encodeBillValue(sampleBill).length).toBeLessThan(versionOne(sampleBill).length * 0.75);
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
