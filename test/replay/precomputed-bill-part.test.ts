/**
 * The event's part of a bill row's data, written by the replay's ingest thread (docs/billpack.md):
 * the transfer carries it, the core hands it on to the record it builds from the event, and the
 * SQLite store's text spliced around it is byte for byte the one it writes from the record alone —
 * on generated events (fast-check) with any previous record and placement, generated traffic, the
 * certification inputs and the shared corpus, and in the `bills` table of a real SQLite store. A part
 * copied with a record under another event (a status, a deletion) is not used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import {
  type BillPartBytes,
  decodeBillRow,
  encodeBillData,
  encodeWhole,
} from '../../src/adapters/store/sqlite/bill-row.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { decodeEvents, encodeEvents } from '../../src/app/event-transfer.js';
import { loadRateTable } from '../../src/app/normalizers.js';
import { billFromEvent } from '../../src/core/aggregate/aggregator.js';
import {
  type MaybeCarryingBillPart,
  PRECOMPUTED_BILL_PART,
} from '../../src/core/aggregate/precomputed-bill-part.js';
import type { BillRecord } from '../../src/core/aggregate/state.js';
import { versionHashOf } from '../../src/core/aggregate/version-hash.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { CORPUS_DIR } from '../x12/corpus-helper.js';
import { interchangesOf } from './support/interchanges-of.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-billpart-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const partOf = (x: object): BillPartBytes | undefined =>
  (x as MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART] as BillPartBytes | undefined;

const carries = (kind: ShipmentEvent['kind']) => kind === 'declared' || kind === 'amended';

/** What `place` and `decide` add to a record after it is built: placement, notifications, standing. */
interface Placed {
  day?: string;
  profile?: BillRecord['profile'];
  counted: boolean;
  acceptedSeq: number;
  notified: string[];
  standing?: BillRecord['standing'];
}

function placed(b: BillRecord, p: Placed): BillRecord {
  if (p.day !== undefined) b.day = p.day;
  if (p.profile !== undefined) b.profile = p.profile;
  b.counted = p.counted;
  b.acceptedSeq = p.acceptedSeq;
  if (p.notified.length > 0) b.notified = [...b.notified, ...p.notified];
  if (p.standing !== undefined) b.standing = p.standing;
  return b;
}

/**
 * For each declaration or amendment sent: the transfer carries its part, the record the core builds
 * from the received event carries it, and that record's data equals the data of the record built
 * from the event as sent (no part), written from the record alone.
 */
function expectSameData(sent: readonly ShipmentEvent[], prev?: BillRecord, place?: Placed): number {
  const received = decodeEvents(encodeEvents(sent));
  let spliced = 0;
  sent.forEach((original, i) => {
    const got = received[i] as ShipmentEvent;
    if (!carries(original.kind)) {
      expect(partOf(got), original.eventId).toBeUndefined();
      return;
    }
    expect(partOf(got), original.eventId).toBeDefined();
    const vh = versionHashOf(original);
    let withPart = billFromEvent(got, prev, vh);
    let plain = billFromEvent(original, prev, vh);
    expect(partOf(withPart)).toEqual(partOf(got));
    expect(partOf(plain)).toBeUndefined();
    if (place !== undefined) {
      withPart = placed(withPart, place);
      plain = placed(plain, place);
    }
    const reference = encodeWhole(plain);
    expect(encodeBillData(withPart), original.eventId).toBe(reference);
    expect(encodeBillData(plain), original.eventId).toBe(reference);
    spliced++;
  });
  return spliced;
}

const text = fc.string({ unit: 'binary', maxLength: 10 });
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Events of every kind: any text (beyond ASCII and the BMP), every optional field present or not. */
const arbitraryEvent: fc.Arbitrary<ShipmentEvent> = fc
  .record({
    kind: fc.constantFrom('declared', 'amended', 'deleted', 'status') as fc.Arbitrary<ShipmentEvent['kind']>,
    issuer: fc.oneof(text, fc.constantFrom('ABCD', 'A/B')),
    scn: text,
    ownKey: fc.boolean(),
    mode: fc.constantFrom('truck', 'air', 'ocean', 'rail', 'mail') as fc.Arbitrary<ShipmentEvent['mode']>,
    shipmentType: fc.constantFrom('S321', 'ET86', 'other') as fc.Arbitrary<ShipmentEvent['shipmentType']>,
    express: fc.boolean(),
    standard: fc.constantFrom('x12', 'edifact') as fc.Arbitrary<'x12' | 'edifact'>,
    carrierIsIssuer: fc.boolean(),
    carrierScac: text,
    entryNumber: optional(text),
    brokerId: optional(text),
    port: optional(text),
    conveyanceRef: optional(fc.oneof(text, fc.constantFrom('AA123', 'UA9', 'VOY 12'))),
    pieces: optional(fc.oneof(fc.nat(), fc.constantFrom(Number.NaN, -1, 1.5))),
    consigneeKey: optional(text),
    cents: optional(fc.nat()),
    eda: optional(text),
    arrivalDate: optional(text),
    disposition: optional(text),
    origin: optional(text),
    origins: fc.array(fc.oneof(text, fc.constant('')), { maxLength: 3 }),
    hts: fc.array(text, { maxLength: 3 }),
    segmentIndex: fc.nat(),
  })
  .map((r): ShipmentEvent => {
    const e: ShipmentEvent = {
      eventId: `e${r.segmentIndex}"\\`,
      kind: r.kind,
      bill: { issuer: r.issuer, scn: r.scn, key: r.ownKey ? `${r.issuer}/${r.scn}` : `${r.scn}|${r.issuer}` },
      mode: r.mode,
      shipmentType: r.shipmentType,
      express: r.express,
      carrierScac: r.carrierIsIssuer ? r.issuer : r.carrierScac,
      origins: r.origins,
      hts: r.hts,
      unmapped: [],
      source: {
        file: 'f.edi',
        standard: r.standard,
        sender: 'S',
        interchangeControl: '1',
        groupControl: '1',
        messageRef: '1',
        messageType: '309',
        segmentIndex: r.segmentIndex,
        byteOffset: r.segmentIndex * 7,
      },
    };
    if (r.entryNumber !== undefined) e.entryNumber = r.entryNumber;
    if (r.brokerId !== undefined) e.brokerId = r.brokerId;
    if (r.port !== undefined) e.port = r.port;
    if (r.conveyanceRef !== undefined) e.conveyanceRef = r.conveyanceRef;
    if (r.pieces !== undefined) e.pieces = r.pieces;
    if (r.consigneeKey !== undefined) e.consigneeKey = r.consigneeKey;
    if (r.cents !== undefined)
      e.value = { usdCents: r.cents, amount: String(r.cents / 100), currency: 'USD' };
    if (r.eda !== undefined) e.eda = r.eda;
    if (r.arrivalDate !== undefined) e.arrivalDate = r.arrivalDate;
    if (r.disposition !== undefined) e.disposition = r.disposition;
    if (r.origin !== undefined) e.origin = r.origin;
    return e;
  });

/** A previous record's fields billFromEvent keeps (the rest is the event's). */
const arbitraryPrev: fc.Arbitrary<BillRecord | undefined> = optional(
  fc
    .record({
      acceptedSeq: fc.nat(),
      notified: fc.array(text, { maxLength: 3 }),
      arrivalDate: optional(text),
      arrivalTime: optional(text),
      lastDisposition: optional(text),
      standing: optional(
        fc
          .record({ role: fc.constantFrom('crossing', 'earlier'), withhold: fc.boolean() })
          .map((s) => ({ ...s })),
      ) as fc.Arbitrary<BillRecord['standing']>,
    })
    .map((r) => {
      const prev = {
        key: 'P/1',
        issuer: 'P',
        scn: '1',
        mode: 'truck',
        shipmentType: 'S321',
        express: false,
        standard: 'x12',
        carrierScac: 'P',
        cents: 1,
        hts: [],
        counted: true,
        deleted: false,
        versionHash: 'v',
        lastEventId: 'p',
        ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)),
      };
      return prev as unknown as BillRecord;
    }),
);

const arbitraryPlaced: fc.Arbitrary<Placed | undefined> = optional(
  fc
    .record({
      day: optional(text),
      profile: optional(fc.constantFrom('release1', 'release2', 'release3')) as fc.Arbitrary<
        BillRecord['profile']
      >,
      counted: fc.boolean(),
      acceptedSeq: fc.nat(),
      notified: fc.array(text, { maxLength: 2 }),
      standing: optional(
        fc
          .record({ role: fc.constantFrom('crossing', 'earlier'), withhold: fc.boolean() })
          .map((s) => ({ ...s })),
      ) as fc.Arbitrary<BillRecord['standing']>,
    })
    .map(
      (r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Placed,
    ),
);

describe('the bill row’s event part, written on the ingest thread', () => {
  it('generated events (fast-check): the spliced data equals the data written from the record alone', () => {
    let spliced = 0;
    fc.assert(
      fc.property(
        fc.array(arbitraryEvent, { minLength: 1, maxLength: 8 }),
        arbitraryPrev,
        arbitraryPlaced,
        (events, prev, place) => {
          spliced += expectSameData(events, prev, place);
        },
      ),
      { numRuns: 400 },
    );
    expect(spliced).toBeGreaterThan(500);
  });

  it('generated traffic (X12 and EDIFACT, every kind), the certification inputs and the shared corpus', async () => {
    const dir = join(scratch, 'traffic');
    writeTraffic(dir, {
      seed: 29,
      shipments: 2000,
      interchangeSize: [100, 300],
      interchangesPerFile: [1, 3],
    });
    let spliced = 0;
    for (const events of await interchangesOf(dir, benchRates())) spliced += expectSameData(events);
    expect(spliced).toBeGreaterThan(1500);
    const rates = await loadRateTable('config/currency-rates.json');
    let certified = 0;
    for (const d of ['fixtures/replay', CORPUS_DIR])
      for (const events of await interchangesOf(d, rates)) certified += expectSameData(events);
    expect(certified).toBeGreaterThan(0);
  });

  it('the store writes the carried part (a control: a part of its own event is taken at its word)', () => {
    const [sent] = decodeEvents(encodeEvents([ev1()])) as [ShipmentEvent];
    const bill = billFromEvent(sent, undefined, versionHashOf(sent));
    const p = partOf(bill) as BillPartBytes;
    const head = p[5].subarray(p[0], p[1]);
    const mid = p[5].subarray(p[1], p[2]);
    const flight = p[5].subarray(p[3], p[4]);
    const origin = Buffer.from('"MARK"');
    const bytes = Buffer.concat([head, mid, origin, flight]);
    const at = [0, head.length, head.length + mid.length, head.length + mid.length + origin.length];
    const marked: BillPartBytes = [0, at[1], at[2], at[3], bytes.length, bytes, p[6]] as BillPartBytes;
    (bill as MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART] = marked;
    expect(encodeBillData(bill)).toContain('"MARK"');
    expect(encodeWhole(bill)).not.toContain('"MARK"');
  });

  it('a part copied with the record under another event (status, deletion) is not used', () => {
    const [sent] = decodeEvents(encodeEvents([ev1()])) as [ShipmentEvent];
    const bill = billFromEvent(sent, undefined, versionHashOf(sent));
    expect(partOf(bill)).toBeDefined();
    // As the core builds them: spreads of the record, which copy its own symbol-keyed properties.
    const status: BillRecord = {
      ...bill,
      lastEventId: 's1',
      lastDisposition: '1C',
      arrivalDate: '2025-06-11',
    };
    const deleted: BillRecord = {
      ...bill,
      deleted: true,
      counted: false,
      lastEventId: 'd1',
      versionHash: 'deleted',
    };
    for (const b of [status, deleted]) {
      expect(partOf(b)).toBe(partOf(bill));
      expect(encodeBillData(b)).toBe(encodeWhole(b));
      const columns = {
        key: b.key,
        ck: b.consigneeKey ?? null,
        day: null,
        counted: 0,
        accepted_seq: 0,
        cents: b.cents,
      };
      expect(decodeBillRow(columns, encodeBillData(b)).lastEventId).toBe(b.lastEventId);
    }
  });

  it('a SQLite store writes the same bills table from received events as from the events as sent', async () => {
    const dir = join(scratch, 'traffic-store');
    writeTraffic(dir, {
      seed: 31,
      shipments: 1500,
      interchangeSize: [100, 200],
      interchangesPerFile: [1, 2],
    });
    const interchanges = await interchangesOf(dir, benchRates());
    const config = aggregationConfig();
    const dumps: string[] = [];
    for (const transfer of [false, true]) {
      const file = join(scratch, `bills-${transfer}.db`);
      const store = new SqliteDecisionStore(file);
      for (const [n, events] of interchanges.entries()) {
        const sent = transfer ? decodeEvents(encodeEvents(events)) : events;
        await applyBatch(
          store,
          [{ sender: 'S', controlNumber: String(n), fingerprint: `fp${n}`, file: 'f', events: sent }],
          config,
        );
      }
      await store.close();
      const db = new Database(file, { readonly: true });
      const rows = db.prepare('SELECT * FROM bills ORDER BY rowid').all();
      db.close();
      expect(rows.length).toBeGreaterThan(1000);
      dumps.push(JSON.stringify(rows));
    }
    expect(dumps[1]).toBe(dumps[0]);
  });
});

function ev1(): ShipmentEvent {
  return {
    eventId: 'e1',
    kind: 'declared',
    bill: { issuer: 'ABCD', scn: 'S1', key: 'ABCD/S1' },
    mode: 'air',
    shipmentType: 'S321',
    express: true,
    carrierScac: 'ABCD',
    conveyanceRef: 'AA123',
    consigneeKey: 'NA:JANE DOE|1 MAIN ST|BOSTON|MA|02110|US',
    value: { usdCents: 5000, amount: '50.00', currency: 'USD' },
    eda: '2025-06-10',
    origins: ['CN'],
    hts: ['6109.10'],
    unmapped: [],
    source: {
      file: 'f.x12',
      standard: 'x12',
      sender: 'S',
      interchangeControl: '1',
      groupControl: '1',
      messageRef: '1',
      messageType: '309',
      segmentIndex: 1,
      byteOffset: 0,
    },
  };
}
