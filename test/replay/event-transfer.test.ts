/**
 * The events' crossing between the replay's threads (src/app/event-transfer.ts): a decoded event
 * reads, field by field, as the ShipmentEvent that was encoded, and JSON.stringify of it is the
 * original's JSON text, on the certification inputs and on generated traffic of every format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from '../../src/app/event-transfer.js';
import { loadRateTable } from '../../src/app/normalizers.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { expectSame } from './support/expect-same-events.js';
import { generatedInterchanges, interchangesOf } from './support/interchanges-of.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-event-transfer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('events crossing threads as bytes', () => {
  it('certification inputs: every event reads and serializes as sent', async () => {
    const rates = await loadRateTable('config/currency-rates.json');
    const interchanges = await interchangesOf('fixtures/replay', rates);
    expect(interchanges.length).toBeGreaterThan(0);
    for (const events of interchanges) expectSame(decodeEvents(encodeEvents(events)), events);
  });

  it('generated traffic (X12 and EDIFACT, all modes, status lines, deletions): same events', async () => {
    const interchanges = await generatedInterchanges(join(scratch, 'traffic'), 11, 3000);
    const events = interchanges.flat();
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['declared', 'amended', 'deleted', 'status']));
    expect(new Set(events.map((e) => e.source.standard))).toEqual(new Set(['x12', 'edifact']));
    for (const sent of interchanges) expectSame(decodeEvents(encodeEvents(sent)), sent);
  });

  it('text beyond ASCII in the cold part, and sources that differ within a message, keep their bytes', () => {
    const base: ShipmentEvent = {
      eventId: 'e1',
      kind: 'declared',
      bill: { issuer: 'ABCD', scn: 'ABCD1', key: 'ABCD/ABCD1' },
      mode: 'truck',
      shipmentType: 'S321',
      express: false,
      carrierScac: 'ABCD',
      consignee: {
        role: 'UC',
        name: 'JOSÉ NUÑEZ 日本 😀',
        street: 'CALLE Ñ 1',
        city: 'SAN JOSÉ',
        state: 'CA',
        postal: '95110',
        country: 'US',
      },
      consigneeKey: 'na|JOSE NUNEZ|CALLE N 1|SAN JOSE|CA|95110|US',
      value: { usdCents: 1234, amount: '12.34', currency: 'USD' },
      eda: '2025-06-10',
      edaTime: '10:00',
      origins: ['CN', ''],
      hts: ['6110303059'],
      description: 'ÇA VA — “QUOTED” \\ "ESCAPED"',
      unmapped: ['N9*ZZ'],
      source: {
        file: 'fé.x12',
        standard: 'x12',
        sender: 'S',
        interchangeControl: '1',
        groupControl: '1',
        messageRef: '0001',
        messageType: '309',
        segmentIndex: 3,
        byteOffset: 100,
        usage: 'P',
      },
    };
    const second: ShipmentEvent = {
      ...base,
      eventId: 'e2',
      consignee: { ...(base.consignee as NonNullable<ShipmentEvent['consignee']>), name: 'ÅSA' },
      source: { ...base.source, segmentIndex: 9, byteOffset: 400 },
    };
    const otherMessage: ShipmentEvent = {
      eventId: 'e3',
      kind: 'status',
      bill: base.bill,
      mode: 'truck',
      shipmentType: 'other',
      express: false,
      carrierScac: 'ABCD',
      arrivalDate: '2025-06-11',
      arrivalTime: '08:00',
      disposition: '1J',
      origins: [],
      hts: [],
      unmapped: [],
      source: { ...base.source, messageRef: '0002', messageType: '350', segmentIndex: 20, byteOffset: 900 },
    };
    const sent = [base, second, otherMessage, base];
    expectSame(decodeEvents(encodeEvents(sent)), sent);
    // Sources equal but for their key set or key order are not shared: each reads back as sent.
    const { usage, ...noUsage } = base.source;
    const reordered = { usage, ...noUsage };
    const keyed = [
      { ...base, eventId: 'k1', source: noUsage },
      { ...base, eventId: 'k2', source: { ...noUsage, segmentIndex: 4 } },
      { ...base, eventId: 'k3', source: { ...base.source, segmentIndex: 5 } },
      { ...base, eventId: 'k4', source: { ...reordered, segmentIndex: 6 } },
      { ...base, eventId: 'k5', source: { ...base.source, segmentIndex: 7 } },
      { ...base, eventId: 'k6', source: { ...base.source, extra: 'x' } as ShipmentEvent['source'] },
      { ...base, eventId: 'k7', source: { ...base.source, segmentIndex: 8 } },
    ];
    const received = decodeEvents(encodeEvents(keyed));
    expectSame(received, keyed);
    for (const [i, got] of received.entries())
      expect(Object.keys(got.source)).toEqual(Object.keys((keyed[i] as ShipmentEvent).source));
  });

  it('consignees of every shape read as sent: optional ids present or not, keys in another order, none', () => {
    const party = {
      role: 'UC',
      name: 'ANA',
      street: '1 MAIN ST',
      city: 'BOSTON',
      state: 'MA',
      postal: '02110',
      country: 'US',
    };
    const shapes: Array<ShipmentEvent['consignee']> = [
      party,
      { ...party, id: '123' },
      { ...party, idQualifier: '24', id: '123' },
      { ...party, idQualifier: '24' },
      // Keys in an order the array form does not keep: crosses as its object.
      { name: 'ANA', role: 'UC', street: '', city: '', state: '', postal: '', country: 'US' },
      { ...party, id: '123', idQualifier: '24' },
      // A value that is not text (not a valid Party, but what was sent is what is read).
      { ...party, postal: 2110 as unknown as string },
      // Keys the array form has no place for, at the end or among its own; a required one missing.
      { ...party, id: '123', note: 'x' } as ShipmentEvent['consignee'],
      { ...party, extra: 'x', idQualifier: '24', id: '123' } as ShipmentEvent['consignee'],
      { role: 'UC', name: 'ANA', street: '', city: '', state: '', postal: '' } as ShipmentEvent['consignee'],
      { ...party, idQualifier: '24', id: '123', zip: '1' } as ShipmentEvent['consignee'],
      undefined,
    ];
    // Keys in the normalizers' order (what toJSON reproduces).
    const sent = shapes.map(
      (consignee, i): ShipmentEvent => ({
        eventId: `c${i}`,
        kind: 'declared',
        bill: { issuer: 'ABCD', scn: `S${i}`, key: `ABCD/S${i}` },
        mode: 'truck',
        shipmentType: 'S321',
        express: false,
        carrierScac: 'ABCD',
        ...(consignee === undefined ? {} : { consignee }),
        origins: [],
        hts: [],
        ...(i % 2 === 0 ? { description: `D${i}` } : {}),
        unmapped: [],
        source: {
          file: 'f.x12',
          standard: 'x12',
          sender: 'S',
          interchangeControl: '1',
          groupControl: '1',
          messageRef: '1',
          messageType: '309',
          segmentIndex: i,
          byteOffset: i * 10,
        },
      }),
    );
    const received = decodeEvents(encodeEvents(sent));
    expectSame(received, sent);
    for (const [i, got] of received.entries())
      expect(Object.keys(got.consignee ?? {})).toEqual(Object.keys(shapes[i] ?? {}));
  });
});
