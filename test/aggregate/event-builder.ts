import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';

let counter = 0;

export interface EventSpec {
  bill: string;
  consignee?: string;
  cents?: number;
  day?: string;
  kind?: ShipmentEvent['kind'];
  mode?: ShipmentEvent['mode'];
  type?: ShipmentEvent['shipmentType'];
  express?: boolean;
  origin?: string;
  hts?: string[];
  broker?: string;
  entry?: string;
  standard?: 'x12' | 'edifact';
  arrival?: string;
  carrier?: string;
  /** Conveyance reference (M10-06 / TDT): a flight designator on an air manifest. */
  conveyance?: string;
}

/** A shipment event with sensible defaults (truck S321, X12, carrier ABCD, 2025-06-10). */
export function ev(spec: EventSpec): ShipmentEvent {
  counter += 1;
  const [issuer, scn] = spec.bill.includes('/')
    ? (spec.bill.split('/') as [string, string])
    : ['ABCD', spec.bill];
  const kind = spec.kind ?? 'declared';
  const carrying = kind === 'declared' || kind === 'amended';
  const e: ShipmentEvent = {
    eventId: `e${counter}`,
    kind,
    bill: { issuer, scn, key: `${issuer}/${scn}` },
    mode: spec.mode ?? 'truck',
    shipmentType: spec.type ?? 'S321',
    express: spec.express ?? false,
    carrierScac: spec.carrier ?? issuer,
    origins: spec.origin === undefined ? [] : [spec.origin],
    hts: spec.hts ?? [],
    unmapped: [],
    source: {
      file: 'test.edi',
      standard: spec.standard ?? 'x12',
      sender: 'SENDER',
      interchangeControl: '000000001',
      groupControl: '1',
      messageRef: '0001',
      messageType: kind === 'status' ? '350' : '309',
      segmentIndex: counter,
      byteOffset: counter * 10,
    },
  };
  if (carrying) {
    e.consigneeKey = spec.consignee ?? 'NA:JANE DOE|1 MAIN ST|BOSTON|MA|02110|US';
    e.value = { usdCents: spec.cents ?? 0, amount: ((spec.cents ?? 0) / 100).toFixed(2), currency: 'USD' };
    e.eda = spec.day ?? '2025-06-10';
  }
  if (spec.origin !== undefined) e.origin = spec.origin;
  if (spec.conveyance !== undefined) e.conveyanceRef = spec.conveyance;
  if (spec.broker !== undefined) e.brokerId = spec.broker;
  if (spec.entry !== undefined) e.entryNumber = spec.entry;
  if (spec.arrival !== undefined) {
    e.arrivalDate = spec.arrival;
    e.arrivalTime = '10:00';
    e.disposition = '1C';
  }
  return e;
}
