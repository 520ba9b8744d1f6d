/**
 * The column format of the events' crossing (src/app/event-transfer.ts, docs/transfer-columns.md):
 * over generated events of every shape (each optional field present or absent, text beyond ASCII
 * and the BMP, empty strings, lone surrogates) and over the inputs in fixtures/, a decoded batch
 * reads field by field as the events that were encoded, and JSON.stringify of each event is the
 * original's JSON text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from '../../src/app/event-transfer.js';
import { loadRateTable } from '../../src/app/normalizers.js';
import {
  hasVersion,
  PRECOMPUTED_VERSION_HASH,
  versionHashOf,
} from '../../src/core/aggregate/version-hash.js';
import type { Party, ShipmentEvent, SourcePosition } from '../../src/core/model/shipment-event.js';
import { arbitraryEvent } from '../support/arbitrary-event.js';
import { expectSame } from './support/expect-same-events.js';
import { interchangesOf } from './support/interchanges-of.js';

const text = fc.string({ unit: 'binary', maxLength: 12 });
/** Lone surrogates and the empty string too, which UTF-8 alone would not keep. */
const anyText = fc.oneof(text, fc.constantFrom('', '\ud800', 'a\udc00b', '😀', 'Ñ'));
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const arbitraryParty: fc.Arbitrary<Party> = fc
  .record({
    role: anyText,
    name: anyText,
    street: anyText,
    city: anyText,
    state: anyText,
    postal: anyText,
    country: anyText,
    idQualifier: optional(anyText),
    id: optional(anyText),
  })
  .map((r) => {
    const p: Party = {
      role: r.role,
      name: r.name,
      street: r.street,
      city: r.city,
      state: r.state,
      postal: r.postal,
      country: r.country,
    };
    if (r.idQualifier !== undefined) p.idQualifier = r.idQualifier;
    if (r.id !== undefined) p.id = r.id;
    return p;
  });

/** The fields arbitraryEvent leaves out, each present or absent. */
const extras = fc.record({
  eventId: anyText,
  port: optional(anyText),
  conveyanceRef: optional(anyText),
  consignee: optional(arbitraryParty),
  pieces: optional(fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))),
  bigCents: fc.boolean(),
  edaTime: optional(anyText),
  origin: optional(anyText),
  description: optional(anyText),
  unmapped: fc.array(anyText, { maxLength: 3 }),
  file: anyText,
  standard: fc.constantFrom('x12', 'edifact') as fc.Arbitrary<SourcePosition['standard']>,
  usage: optional(fc.constantFrom('P', 'T') as fc.Arbitrary<'P' | 'T'>),
  byteOffset: fc.oneof(fc.nat(), fc.constant(2 ** 40)),
});

/** An event of any shape, its keys in the normalizers' order (the order toJSON gives). */
const fullEvent: fc.Arbitrary<ShipmentEvent> = fc.tuple(arbitraryEvent, extras).map(([a, x]) => {
  const e: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) e[key] = value;
  };
  put('eventId', x.eventId);
  put('kind', a.kind);
  put('bill', a.bill);
  put('mode', a.mode);
  put('shipmentType', a.shipmentType);
  put('express', a.express);
  put('entryNumber', a.entryNumber);
  put('carrierScac', a.carrierScac);
  put('brokerId', a.brokerId);
  put('port', x.port);
  put('conveyanceRef', x.conveyanceRef);
  put('consignee', x.consignee);
  put('consigneeKey', a.consigneeKey);
  put(
    'value',
    a.value === undefined || !x.bigCents ? a.value : { ...a.value, usdCents: Number.MAX_SAFE_INTEGER },
  );
  put('pieces', x.pieces);
  put('eda', a.eda);
  put('edaTime', x.edaTime);
  put('arrivalDate', a.arrivalDate);
  put('arrivalTime', a.arrivalTime);
  put('disposition', a.disposition);
  put('origin', x.origin);
  put('origins', a.origins);
  put('hts', a.hts);
  put('description', x.description);
  put('unmapped', x.unmapped);
  const source: Record<string, unknown> = {
    file: x.file,
    standard: x.standard,
    sender: a.source.sender,
    interchangeControl: a.source.interchangeControl,
    groupControl: a.source.groupControl,
    messageRef: a.source.messageRef,
    messageType: a.source.messageType,
    segmentIndex: a.source.segmentIndex,
    byteOffset: x.byteOffset,
  };
  if (x.usage !== undefined) source.usage = x.usage;
  e.source = source;
  return e as unknown as ShipmentEvent;
});

describe('events crossing threads as columns', () => {
  it('any batch of events of any shape reads and serializes as sent, version hashes included', () => {
    fc.assert(
      fc.property(fc.array(fullEvent, { maxLength: 25 }), (sent) => {
        const received = decodeEvents(encodeEvents(sent));
        expectSame(received, sent);
        for (const [i, got] of received.entries()) {
          const ev = sent[i] as ShipmentEvent;
          const hint = (got as { [PRECOMPUTED_VERSION_HASH]?: string })[PRECOMPUTED_VERSION_HASH];
          expect(hint).toBe(hasVersion(ev.kind) ? versionHashOf(ev) : undefined);
          expect(Object.keys(got.consignee ?? {})).toEqual(Object.keys(ev.consignee ?? {}));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a batch repeating the same values (the string table stores them once) reads as sent', () => {
    fc.assert(
      fc.property(fullEvent, fc.integer({ min: 1, max: 40 }), (one, copies) => {
        const sent = Array.from({ length: copies }, (_, i) => ({
          ...one,
          eventId: `${one.eventId}#${i}`,
          source: { ...one.source, segmentIndex: i },
        }));
        expectSame(decodeEvents(encodeEvents(sent)), sent);
      }),
      { numRuns: 50 },
    );
  });

  it('a batch handed over inside a larger buffer, at any offset, decodes the same', () => {
    fc.assert(
      fc.property(fc.array(fullEvent, { maxLength: 5 }), fc.nat({ max: 15 }), (sent, offset) => {
        const bytes = encodeEvents(sent);
        const larger = new Uint8Array(offset + bytes.length + 3);
        larger.set(bytes, offset);
        expectSame(decodeEvents(larger.subarray(offset, offset + bytes.length)), sent);
      }),
      { numRuns: 50 },
    );
  });

  it('an empty batch decodes to no events', () => {
    expect(decodeEvents(encodeEvents([]))).toEqual([]);
  });

  it('bytes that are not a column batch are refused, not read as events', () => {
    const bytes = encodeEvents([]);
    expect(() => decodeEvents(new Uint8Array(8))).toThrow(/not a column batch/);
    expect(() => decodeEvents(bytes.subarray(0, bytes.length - 1))).toThrow(/header says/);
  });

  it('the fixtures (X12 309/350, CUSCAR/CUSRES, replay, golden inputs): every event reads as sent', async () => {
    const rates = await loadRateTable('config/currency-rates.json');
    let events = 0;
    for (const dir of ['fixtures/x12', 'fixtures/edifact', 'fixtures/golden']) {
      for (const sent of await interchangesOf(dir, rates)) {
        expectSame(decodeEvents(encodeEvents(sent)), sent);
        events += sent.length;
      }
    }
    expect(events).toBeGreaterThan(0);
  });
});
