/** Arbitrary bill records for the encoding round-trip properties (absent optional fields left out). */
import fc from 'fast-check';
import type { BillRecord } from '../../../../src/core/aggregate/state.js';

const text = fc.string({ minLength: 1, maxLength: 12 });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export const billArb: fc.Arbitrary<BillRecord> = fc
  .record({
    key: text,
    issuer: text,
    scn: text,
    mode: fc.constantFrom('truck', 'air', 'ocean', 'rail', 'mail') as fc.Arbitrary<BillRecord['mode']>,
    shipmentType: fc.constantFrom('S321', 'ET86', 'OTHER') as fc.Arbitrary<BillRecord['shipmentType']>,
    express: fc.boolean(),
    standard: fc.constantFrom('x12', 'edifact') as fc.Arbitrary<BillRecord['standard']>,
    carrierScac: text,
    brokerId: opt(text),
    entryNumber: opt(text),
    port: opt(text),
    pieces: opt(fc.nat()),
    consigneeKey: opt(text),
    eda: opt(text),
    arrivalDate: opt(text),
    arrivalTime: opt(text),
    lastDisposition: opt(text),
    day: opt(text),
    cents: fc.maxSafeNat(),
    origin: opt(text),
    hts: fc.array(text, { maxLength: 3 }),
    counted: fc.boolean(),
    deleted: fc.boolean(),
    acceptedSeq: fc.nat(),
    versionHash: text,
    lastEventId: text,
    notified: fc.array(text, { maxLength: 3 }),
    profile: opt(fc.constantFrom('release1', 'release2', 'release3')) as fc.Arbitrary<BillRecord['profile']>,
    standing: opt(
      // A plain object (fc.record builds them without a prototype; decoded ones have one).
      fc
        .record({ role: fc.constantFrom('crossing', 'earlier'), withhold: fc.boolean() })
        .map((r) => ({ ...r })),
    ) as fc.Arbitrary<BillRecord['standing']>,
  })
  .map(
    (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as BillRecord,
  );

/** A bill as the bench traffic produces them (for size comparisons). */
export const sampleBill: BillRecord = {
  key: 'OCNB/OCNB0000435062',
  issuer: 'OCNB',
  scn: 'OCNB0000435062',
  mode: 'ocean',
  shipmentType: 'S321',
  express: false,
  standard: 'x12',
  carrierScac: 'OCNB',
  cents: 4366,
  hts: ['2106909998'],
  counted: true,
  deleted: false,
  acceptedSeq: 1,
  versionHash: '0123456789abcdef0123456789abcdef',
  lastEventId: '8cd256099be6ebb1ae4808b2697097f3',
  notified: [],
  port: '2704',
  pieces: 1,
  consigneeKey: 'na|KAREN MARTIN|2669 1ST DR|LAS VEGAS|NV|89102|US',
  eda: '2025-06-10',
  origin: 'IT',
  day: '2025-06-10',
  profile: 'release2',
};
