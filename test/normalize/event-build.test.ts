/**
 * Event ids are written without JSON.stringify (event-build.ts, json-utf8.ts) for speed; their
 * definition stays `murmur3x86_128(JSON.stringify([origin, content]))` over UTF-8. These tests hold
 * the fast writers to that definition: on every golden and generated event, and on arbitrary text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTraffic } from '../../bench/traffic/index.js';
import type { MessageHeader, ReaderSink } from '../../src/core/model/reader.js';
import { type Party, type ShipmentEvent, ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { buildEvent, eventFields } from '../../src/core/normalize/event-build.js';
import { eventIdOf, originPrefix } from '../../src/core/normalize/event-id.js';
import { murmur3x86_128, murmur3x86_128Bytes } from '../../src/core/normalize/hash128.js';
import {
  createEdifactNormalizer,
  createX12Normalizer,
  type MessageNormalizer,
} from '../../src/core/normalize/index.js';
import { JsonUtf8Writer } from '../../src/core/normalize/json-utf8.js';
import { ownString } from '../../src/core/normalize/own-string.js';
import { createFileReader } from '../../src/core/pipeline/file-reader.js';
import { context } from './support.js';

type Source = ShipmentEvent['source'];

/** The definition of an event id, with the standard library only. */
function referenceId(event: ShipmentEvent, positionInMessage: number): string {
  const { eventId: _id, source, ...content } = event;
  const origin = [
    source.standard,
    source.sender,
    source.interchangeControl,
    source.groupControl,
    source.messageRef,
    source.messageType,
    positionInMessage,
  ];
  return murmur3x86_128(JSON.stringify([origin, content]));
}

/** Events of a file with the position of each one's first segment inside its message. */
function eventsOf(bytes: Uint8Array, name: string): Array<{ event: ShipmentEvent; position: number }> {
  const ctx = context({ file: name });
  const out: Array<{ event: ShipmentEvent; position: number }> = [];
  function sink<H, S>(
    create: (ic: H, msg: MessageHeader) => MessageNormalizer<S> | undefined,
  ): ReaderSink<never, S> {
    let current: MessageNormalizer<S> | undefined;
    let start = 0;
    return {
      interchangeStart: () => {},
      messageStart: (ic, msg) => {
        current = create(ic as H, msg);
        start = msg.segmentIndex;
      },
      segment: (seg) => current?.segment(seg),
      messageEnd: (_ic, _msg, result) => {
        for (const event of current?.finish(result).events ?? [])
          out.push({ event, position: event.source.segmentIndex - start + 1 });
        current = undefined;
      },
      interchangeEnd: () => {},
      fileIssue: () => {},
    } as ReaderSink<never, S>;
  }
  const reader = createFileReader(
    { fileName: name, strict: false },
    {
      x12: () => sink((ic, msg) => createX12Normalizer(ic as never, msg, ctx)),
      edifact: () => sink((ic, msg) => createEdifactNormalizer(ic as never, msg, ctx)),
      standard: () => {},
      fileIssue: () => {},
    },
  );
  reader.push(bytes);
  reader.end();
  return out;
}

function goldenInputs(): string[] {
  const root = new URL('../../fixtures/', import.meta.url).pathname;
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = `${dir}/${name}`;
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'input.edi') found.push(path);
    }
  };
  for (const area of ['x12/309', 'x12/350', 'edifact/cuscar', 'edifact/cusres']) walk(`${root}${area}`);
  return found;
}

describe('event ids from the fast writer', () => {
  it('equal the definition and the generic writer on every golden event', () => {
    let n = 0;
    for (const path of goldenInputs()) {
      for (const { event, position } of eventsOf(readFileSync(path), path)) {
        const { eventId, ...rest } = event;
        expect(eventId).toBe(referenceId(event, position));
        expect(eventIdOf(rest, position)).toBe(eventId);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it('equal the definition on generated traffic (manifests and status messages)', () => {
    let n = 0;
    for (const file of generateTraffic({ seed: 11, shipments: 1500, statusRate: 0.5 })) {
      for (const { event, position } of eventsOf(file.content, file.fileName)) {
        expect(event.eventId).toBe(referenceId(event, position));
        n++;
      }
    }
    expect(n).toBeGreaterThan(1500);
  });

  /** Any UTF-16 text: lone surrogates, control characters, quotes, backslashes, non-BMP. */
  const text = fc.oneof(
    fc.string(),
    fc.array(fc.integer({ min: 0, max: 0xffff })).map((codes) => String.fromCharCode(...codes)),
    fc.constantFrom('"', '\\', '\u0000\u001f', '\u2028', '\ud83d\ude00', '\ud800', 'É', 'a'.repeat(40)),
  );
  const optional = fc.option(text, { nil: undefined });

  it('equal the definition for arbitrary field values, and build the event in schema order', () => {
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom('declared', 'amended', 'deleted', 'status' as const),
          issuer: text,
          scn: text,
          mode: fc.constantFrom('truck', 'air', 'ocean', 'rail', 'mail' as const),
          shipmentType: fc.constantFrom('S321', 'ET86', 'other' as const),
          express: fc.boolean(),
          entryNumber: optional,
          carrierScac: text,
          brokerId: optional,
          port: optional,
          conveyanceRef: optional,
          party: fc.option(fc.tuple(fc.array(text, { minLength: 7, maxLength: 7 }), fc.option(text)), {
            nil: undefined,
          }),
          usdCents: fc.option(fc.nat({ max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
          pieces: fc.option(fc.nat(), { nil: undefined }),
          eda: optional,
          edaTime: optional,
          arrivalDate: optional,
          disposition: optional,
          origins: fc.array(text, { maxLength: 3 }),
          hts: fc.array(text, { maxLength: 3 }),
          description: optional,
          unmapped: fc.array(text, { maxLength: 3 }),
          sender: text,
          messageRef: text,
          position: fc.integer({ min: 1, max: 1_000_000 }),
        }),
        (r) => {
          const source: Source = {
            file: 'f',
            standard: 'x12',
            sender: r.sender,
            interchangeControl: '000000001',
            groupControl: '',
            messageRef: r.messageRef,
            messageType: '309',
            segmentIndex: 7,
            byteOffset: 9,
          };
          const f = eventFields();
          f.kind = r.kind;
          f.bill = { issuer: r.issuer, scn: r.scn, key: `${r.issuer}/${r.scn}` };
          f.mode = r.mode;
          f.shipmentType = r.shipmentType;
          f.express = r.express;
          f.entryNumber = r.entryNumber;
          f.carrierScac = r.carrierScac;
          f.brokerId = r.brokerId;
          f.port = r.port;
          f.conveyanceRef = r.conveyanceRef;
          if (r.party !== undefined) {
            const [[role, name, street, city, state, postal, country] = [], id] = r.party;
            const party: Party = {
              role: role ?? '',
              name: name ?? '',
              street: street ?? '',
              city: city ?? '',
              state: state ?? '',
              postal: postal ?? '',
              country: country ?? '',
            };
            if (id !== null) {
              party.idQualifier = '24';
              party.id = id;
            }
            f.consignee = party;
            f.consigneeKey = `na|${party.name}`;
          }
          if (r.usdCents !== undefined) f.value = { usdCents: r.usdCents, amount: '1.00', currency: 'USD' };
          f.pieces = r.pieces;
          f.eda = r.eda;
          f.edaTime = r.edaTime;
          f.arrivalDate = r.arrivalDate;
          f.disposition = r.disposition;
          f.origin = r.origins[0];
          f.origins = r.origins;
          f.hts = r.hts;
          f.description = r.description;
          f.unmapped = r.unmapped;
          f.source = source;
          const event = buildEvent(f, originPrefix(source), r.position);
          expect(event.eventId).toBe(referenceId(event, r.position));
          // Optional fields absent (not undefined), keys in schema order.
          const keys = Object.keys(event);
          for (const key of keys) expect(event[key as keyof ShipmentEvent]).not.toBeUndefined();
          const order = Object.keys(ShipmentEventSchema.shape);
          expect(keys).toEqual(order.filter((k) => keys.includes(k)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('JsonUtf8Writer', () => {
  const json = fc.jsonValue();
  it('writes the UTF-8 of JSON.stringify for any JSON value and any string', () => {
    const w = new JsonUtf8Writer(8); // small start: growing is exercised too
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(
        fc.oneof(
          json,
          fc.array(fc.integer({ min: 0, max: 0xffff })).map((c) => String.fromCharCode(...c)),
        ),
        (value) => {
          w.reset();
          w.value(value);
          expect(Array.from(w.bytes.subarray(0, w.length))).toEqual(
            Array.from(encoder.encode(JSON.stringify(value))),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('murmur3x86_128Bytes', () => {
  it('gives the same hash with and without the word view, at any length', () => {
    const w = new JsonUtf8Writer(64);
    for (let len = 0; len < 200; len++) {
      w.reset();
      w.ascii('x'.repeat(len).replace(/x/g, (_, i: number) => String.fromCharCode(33 + ((i * 7) % 90))));
      const viaWords = murmur3x86_128Bytes(w.bytes, w.length, 0, w.words);
      const viaBytes = murmur3x86_128Bytes(w.bytes.slice(0, w.length), w.length);
      expect(viaWords).toBe(viaBytes);
      expect(viaWords).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});

describe('ownString', () => {
  it('returns an equal string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(ownString(s)).toBe(s);
      }),
    );
    const long = 'PIONEER TRADING LLC, 3534 5TH DR SUITE 282'.slice(3, 30);
    expect(ownString(long)).toBe(long);
  });
});
