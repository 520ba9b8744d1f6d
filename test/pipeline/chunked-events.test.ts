/**
 * An interchange's events encoded in chunks as they are normalized (IngestOptions.encodeChunks, the
 * replay's ingest thread; core/pipeline/event-hold.ts) against the events held as objects until the
 * interchange ends: the same events, complete and in order, the same fingerprint and outcome; an
 * interchange rejected at its end after several chunks gives none, a message rejected at its end
 * loses only its own events.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import { decodeEvents, encodeEvents } from '../../src/app/event-transfer.js';
import { type EncodedEvents, ingestFile } from '../../src/app/ingest-file.js';
import { ingestOptions } from '../../src/app/ingest-files.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { ChunkedEventHold, ObjectEventHold } from '../../src/core/pipeline/event-hold.js';
import type { InterchangeOutcome } from '../../src/core/pipeline/outcome.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-chunked-events-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHUNK = 7;

interface Read {
  ic: Omit<InterchangeOutcome, 'events'>;
  events: string[];
  chunks: number;
}

/** Every interchange of the file: its outcome, its events' JSON texts, how many chunks carried them. */
async function read(path: string, chunked: boolean): Promise<{ read: Read[]; encodedEvents: number }> {
  const options = ingestOptions({ strict: false, maxBytes: 2 ** 31, normalize: { rates: benchRates() } });
  let encodedEvents = 0;
  if (chunked)
    options.encodeChunks = {
      encode: (events) => {
        encodedEvents += events.length;
        return encodeEvents(events);
      },
      events: CHUNK,
    };
  const out: Read[] = [];
  await ingestFile(path, 'f.x12', options, (ic: InterchangeOutcome, encoded: EncodedEvents | undefined) => {
    const { events: objects, ...rest } = ic;
    let events: ShipmentEvent[] = objects;
    if (encoded !== undefined) {
      expect(objects).toEqual([]);
      events = encoded.chunks.flatMap((c) => decodeEvents(c));
      expect(events).toHaveLength(encoded.events);
      for (const c of encoded.chunks) expect(decodeEvents(c).length).toBeLessThanOrEqual(CHUNK);
    }
    out.push({ ic: rest, events: events.map((e) => JSON.stringify(e)), chunks: encoded?.chunks.length ?? 0 });
  });
  return { read: out, encodedEvents };
}

describe('events encoded in chunks as they are normalized', () => {
  const dir = join(scratch, 'traffic');
  const [file] = writeTraffic(dir, { seed: 7, shipments: 3000 }).files as [string];
  const text = readFileSync(file, 'latin1');

  it('a multi-message interchange: every event, in order, same outcome and fingerprint', async () => {
    const objects = await read(file, false);
    const chunks = await read(file, true);
    expect(chunks.read.map((r) => r.ic)).toEqual(objects.read.map((r) => r.ic));
    expect(chunks.read.map((r) => r.events)).toEqual(objects.read.map((r) => r.events));
    const multi = objects.read.filter((r) => r.ic.ok && r.ic.messages.filter((m) => m.events > 0).length > 1);
    expect(multi.length).toBeGreaterThan(0);
    expect(chunks.read.every((r) => r.chunks >= r.events.length / CHUNK)).toBe(true);
    expect(chunks.encodedEvents).toBe(objects.read.reduce((n, r) => n + r.events.length, 0));
  });

  it('an interchange rejected at its IEA after several chunks gives no event; the others are whole', async () => {
    // The last interchange's IEA02 no longer matches its ISA13: an envelope error (TA1), known only at its end.
    const at = text.lastIndexOf('IEA*');
    const end = text.indexOf('~', at);
    const mangled = `${text.slice(0, at)}IEA*1*999999999${text.slice(end)}`;
    const path = join(scratch, 'bad-iea.x12');
    writeFileSync(path, mangled, 'latin1');
    const good = await read(file, false);
    const objects = await read(path, false);
    const chunks = await read(path, true);
    const last = chunks.read.length - 1;
    expect(objects.read[last]?.ic.ok).toBe(false);
    expect(chunks.read[last]?.ic.ok).toBe(false);
    expect(chunks.read[last]?.events).toEqual([]);
    expect(chunks.read[last]?.chunks).toBe(0);
    // Its events were encoded (several chunks' worth) before its end rejected them.
    const lost = good.read[last]?.events.length ?? 0;
    expect(lost).toBeGreaterThan(3 * CHUNK);
    const delivered = chunks.read.reduce((n, r) => n + r.events.length, 0);
    expect(chunks.encodedEvents - delivered).toBeGreaterThanOrEqual(lost - CHUNK);
    expect(chunks.read.map((r) => r.ic)).toEqual(objects.read.map((r) => r.ic));
    expect(chunks.read.map((r) => r.events)).toEqual(objects.read.map((r) => r.events));
    expect(chunks.read.slice(0, last).map((r) => r.events)).toEqual(
      good.read.slice(0, last).map((r) => r.events),
    );
  });

  it('a message rejected at its SE loses its own events; the interchange keeps the others', async () => {
    const objectsGood = await read(file, false);
    const target = objectsGood.read.find((r) => r.ic.messages.filter((m) => m.events > CHUNK).length > 1);
    expect(target).toBeDefined();
    // The first message's SE01 (segment count) off by one: that transaction set is rejected (999).
    const ref = target?.ic.messages[0]?.header.reference as string;
    const se = new RegExp(`~SE\\*(\\d+)\\*${ref}~`, 'g');
    const isa = text.indexOf(`*${target?.ic.header.controlNumber}*`);
    se.lastIndex = isa;
    const m = se.exec(text) as RegExpExecArray;
    const mangled = `${text.slice(0, m.index)}~SE*${Number(m[1]) + 1}*${ref}~${text.slice(m.index + m[0].length)}`;
    const path = join(scratch, 'bad-se.x12');
    writeFileSync(path, mangled, 'latin1');
    const objects = await read(path, false);
    const chunks = await read(path, true);
    const i = objectsGood.read.indexOf(target as Read);
    const hit = chunks.read[i] as Read;
    expect(hit.ic.messages[0]?.ok).toBe(false);
    expect(hit.events.length).toBe(
      (target as Read).events.length - ((target as Read).ic.messages[0]?.events ?? 0),
    );
    expect(hit.events.length).toBeGreaterThan(0);
    expect(hit.ic.fingerprint).not.toBe((target as Read).ic.fingerprint);
    expect(chunks.read.map((r) => r.ic)).toEqual(objects.read.map((r) => r.ic));
    expect(chunks.read.map((r) => r.events)).toEqual(objects.read.map((r) => r.events));
  });
});

describe('ChunkedEventHold', () => {
  const ev = (id: string) => ({ eventId: id }) as ShipmentEvent;
  const ids = (events: readonly ShipmentEvent[]) => events.map((e) => e.eventId).join(',');

  it('never mixes the open message with counted events; a rejected message takes only its own chunks', () => {
    const hold = new ChunkedEventHold(ids, 3);
    hold.add([ev('a1'), ev('a2')]);
    hold.endMessage(true);
    hold.add([ev('b1'), ev('b2'), ev('b3'), ev('b4')]);
    hold.endMessage(false);
    hold.add([ev('c1')]);
    hold.add([ev('c2'), ev('c3'), ev('c4')]);
    hold.endMessage(true);
    hold.add([ev('d1'), ev('d2'), ev('d3')]);
    expect(hold.endInterchange(true)).toEqual([]);
    expect(hold.take()).toEqual({ chunks: ['a1,a2', 'c1,c2,c3', 'c4'], events: 6 });
    expect(hold.take()).toEqual({ chunks: [], events: 0 });
  });

  it('an interchange rejected at its end gives nothing, whatever was encoded', () => {
    const hold = new ChunkedEventHold(ids, 2);
    hold.add([ev('a1'), ev('a2'), ev('a3')]);
    hold.endMessage(true);
    hold.endInterchange(false);
    expect(hold.take()).toEqual({ chunks: [], events: 0 });
    hold.add([ev('b1')]);
    hold.endMessage(true);
    hold.endInterchange(true);
    expect(hold.take()).toEqual({ chunks: ['b1'], events: 1 });
  });

  it('agrees with the hold of objects', () => {
    const objects = new ObjectEventHold();
    const chunks = new ChunkedEventHold((events) => [...events], 2);
    for (const hold of [objects, chunks]) {
      hold.add([ev('a1'), ev('a2'), ev('a3')]);
      hold.endMessage(true);
      hold.add([ev('b1')]);
      hold.endMessage(false);
      hold.add([ev('c1'), ev('c2')]);
    }
    const kept = objects.endInterchange(true);
    chunks.endInterchange(true);
    expect(ids(kept)).toBe('a1,a2,a3');
    expect(ids(chunks.take().chunks.flat())).toBe('a1,a2,a3');
  });
});
