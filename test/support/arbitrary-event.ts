/**
 * Shipment events of every kind for property tests: arbitrary text (beyond ASCII and the BMP) in
 * every text field, each optional field present or absent (absent, not undefined, as the
 * normalizers leave it), so a fast path held to its reference meets every shape an event can have.
 */
import fc from 'fast-check';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

export const arbitraryEvent: fc.Arbitrary<ShipmentEvent> = fc
  .record({
    kind: fc.constantFrom('declared', 'amended', 'deleted', 'status') as fc.Arbitrary<ShipmentEvent['kind']>,
    issuer: text,
    scn: text,
    mode: fc.constantFrom('truck', 'air', 'ocean', 'rail', 'mail') as fc.Arbitrary<ShipmentEvent['mode']>,
    shipmentType: fc.constantFrom('S321', 'ET86', 'other') as fc.Arbitrary<ShipmentEvent['shipmentType']>,
    express: fc.boolean(),
    carrierScac: text,
    entryNumber: optional(text),
    brokerId: optional(text),
    consigneeKey: optional(text),
    value: optional(fc.record({ usdCents: fc.nat(), amount: text, currency: text })),
    eda: optional(text),
    arrivalDate: optional(text),
    arrivalTime: optional(text),
    disposition: optional(text),
    origins: fc.array(text, { maxLength: 3 }),
    hts: fc.array(text, { maxLength: 3 }),
    messageRef: text,
    segmentIndex: fc.nat(),
  })
  .map((r): ShipmentEvent => {
    const e: ShipmentEvent = {
      eventId: `e${r.segmentIndex}`,
      kind: r.kind,
      bill: { issuer: r.issuer, scn: r.scn, key: `${r.issuer}/${r.scn}` },
      mode: r.mode,
      shipmentType: r.shipmentType,
      express: r.express,
      carrierScac: r.carrierScac,
      origins: r.origins,
      hts: r.hts,
      unmapped: [],
      source: {
        file: 'f.x12',
        standard: 'x12',
        sender: 'S',
        interchangeControl: '1',
        groupControl: '1',
        messageRef: r.messageRef,
        messageType: '309',
        segmentIndex: r.segmentIndex,
        byteOffset: r.segmentIndex * 7,
      },
    };
    if (r.entryNumber !== undefined) e.entryNumber = r.entryNumber;
    if (r.brokerId !== undefined) e.brokerId = r.brokerId;
    if (r.consigneeKey !== undefined) e.consigneeKey = r.consigneeKey;
    if (r.value !== undefined) e.value = r.value;
    if (r.eda !== undefined) e.eda = r.eda;
    if (r.arrivalDate !== undefined) e.arrivalDate = r.arrivalDate;
    if (r.arrivalTime !== undefined) e.arrivalTime = r.arrivalTime;
    if (r.disposition !== undefined) e.disposition = r.disposition;
    return e;
  });
