/** The check both transfer test files make: a decoded event reads as the event sent, text and fields. */
import { expect } from 'vitest';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';

const FIELDS = [
  'eventId',
  'kind',
  'bill',
  'mode',
  'shipmentType',
  'express',
  'entryNumber',
  'carrierScac',
  'brokerId',
  'port',
  'conveyanceRef',
  'consignee',
  'consigneeKey',
  'value',
  'pieces',
  'eda',
  'edaTime',
  'arrivalDate',
  'arrivalTime',
  'disposition',
  'origin',
  'origins',
  'hts',
  'description',
  'unmapped',
  'source',
] as const satisfies ReadonlyArray<keyof ShipmentEvent>;

export function expectSame(decoded: readonly ShipmentEvent[], sent: readonly ShipmentEvent[]): void {
  expect(decoded).toHaveLength(sent.length);
  sent.forEach((ev, i) => {
    const got = decoded[i] as ShipmentEvent;
    expect(JSON.stringify(got)).toBe(JSON.stringify(ev));
    for (const f of FIELDS) expect(got[f], `${ev.eventId} ${f}`).toEqual(ev[f]);
  });
}
