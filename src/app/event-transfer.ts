/**
 * How an interchange's shipment events cross from the ingest thread to the aggregating thread.
 * 'clone': postMessage's structured clone of the event objects. 'json-bytes': one Uint8Array whose
 * buffer is transferred (moved, not copied), holding the events split by what the aggregating thread
 * reads (README, Performance):
 *
 * - the hot part, one JSON text of a tuple per event: the fields the decision core, the duplicate
 *   and retention screens and the crossing prediction read for every event (keys, days, cents,
 *   mode, type, flags, origins, HTS codes, bill parties' ids); decoded at once, into one
 *   `ReceivedEvent` per event (a class: every event has the same shape, so the core's property
 *   reads stay monomorphic);
 * - what the aggregating thread would otherwise compute from the event alone, computed here on the
 *   ingest thread (which waits on the aggregating one): the version hash, in the tuple, read by the
 *   core as a hint equal to its own computation (core/aggregate/version-hash.ts,
 *   docs/ingest-precompute.md);
 * - the source position, shared: the message-level part of `source` (file, sender, control
 *   numbers, message type, usage) once per distinct value in the interchange, and each event's
 *   segment index and byte offset in its tuple; `source` is built when read (a decision's cause,
 *   a retention issue), never stored per event;
 * - the cold part: each event's consignee as sent, then its description, unmapped fields and EDA time, as
 *   JSON bytes left in the transferred buffer (off the JavaScript heap, so the garbage collector
 *   never copies them while a batch is held) and parsed only when read — the store reads the
 *   consignee of the bills that open a person-day, nothing reads the rest on this path.
 *
 * Why: the main thread is the replay's bottleneck; JSON.parse of the whole ~800-byte event graph
 * was ~10% of it, and the ~35 objects and strings per event, held for a 10k-event batch, were
 * promoted by every scavenge (GC ≈ 18% of the thread). A decoded event reads as the ShipmentEvent
 * it was (`toJSON` gives the same JSON text, key for key; test/app/event-transfer.test.ts).
 */
import { hasVersion, PRECOMPUTED_VERSION_HASH, versionHashOf } from '../core/aggregate/version-hash.js';
import type { Money, Party, ShipmentEvent, SourcePosition } from '../core/model/shipment-event.js';

export type EventTransfer = 'clone' | 'json-bytes';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The hot tuple of one event; `null` stands for an absent optional field. */
type HotTuple = [
  eventId: string,
  kind: ShipmentEvent['kind'],
  issuer: string,
  scn: string,
  billKey: string,
  mode: ShipmentEvent['mode'],
  shipmentType: ShipmentEvent['shipmentType'],
  express: boolean,
  carrierScac: string,
  entryNumber: string | null,
  brokerId: string | null,
  port: string | null,
  conveyanceRef: string | null,
  consigneeKey: string | null,
  value: [usdCents: number, amount: string, currency: string] | null,
  pieces: number | null,
  eda: string | null,
  arrivalDate: string | null,
  arrivalTime: string | null,
  disposition: string | null,
  origin: string | null,
  origins: string[],
  hts: string[],
  source: number,
  segmentIndex: number,
  byteOffset: number,
  /** The event's cold bytes: [coldStart, consigneeEnd) its consignee, [consigneeEnd, coldEnd) the rest. */
  coldStart: number,
  consigneeEnd: number,
  coldEnd: number,
  /** The core's version hash of the event (core/aggregate/version-hash.ts), for the kinds it hashes. */
  versionHash: string | null,
];

/**
 * The cold part of an event but its consignee: only its fields that are present (and `unmapped`
 * when not empty); no bytes at all when none is.
 */
interface Cold {
  edaTime?: string;
  description?: string;
  unmapped?: string[];
}

/**
 * A consignee's fields in the order the normalizers build them. A consignee whose own keys are these
 * (the optional ones present or not), in this order, with string values, crosses as a JSON array of
 * the values (null for an absent one): the store reads the consignee of every person-day a batch
 * opens, and an array of strings parses in about half the time of the object (no keys, no shape
 * transitions). Any other consignee crosses as its JSON object, so every event still reads as sent.
 */
const PARTY_KEYS = [
  'role',
  'name',
  'street',
  'city',
  'state',
  'postal',
  'country',
  'idQualifier',
  'id',
] as const;
const PARTY_REQUIRED = 7;

function consigneeText(p: Party): string {
  const keys = Object.keys(p);
  const values: Array<string | null> = [];
  let k = 0;
  for (let i = 0; i < PARTY_KEYS.length; i++) {
    const name = PARTY_KEYS[i] as (typeof PARTY_KEYS)[number];
    const v = (p as Record<string, unknown>)[name];
    if (keys[k] === name && typeof v === 'string') {
      values.push(v);
      k++;
    } else if (i < PARTY_REQUIRED || Object.hasOwn(p, name)) return JSON.stringify(p);
    else values.push(null);
  }
  return k === keys.length ? JSON.stringify(values) : JSON.stringify(p);
}

function partyOfText(text: string): Party {
  const parsed = JSON.parse(text) as Party | Array<string | null>;
  if (!Array.isArray(parsed)) return parsed;
  // One literal (one shape for every consignee): the array form has the seven required values.
  const p: Party = {
    role: parsed[0] as string,
    name: parsed[1] as string,
    street: parsed[2] as string,
    city: parsed[3] as string,
    state: parsed[4] as string,
    postal: parsed[5] as string,
    country: parsed[6] as string,
  };
  if (typeof parsed[7] === 'string') p.idQualifier = parsed[7];
  if (typeof parsed[8] === 'string') p.id = parsed[8];
  return p;
}

/** The hot part of an interchange: the distinct message-level sources and the events' tuples. */
interface Hot {
  s: SourcePosition[];
  e: HotTuple[];
}

/** Bytes before the hot JSON: its length in bytes (uint32, little-endian). */
const HEADER_BYTES = 4;

export function encodeEvents(events: readonly ShipmentEvent[]): Uint8Array {
  const sources: SourcePosition[] = [];
  const tuples: HotTuple[] = [];
  const colds: string[] = [];
  for (const ev of events) {
    let source = sources.length - 1;
    const last = sources[source];
    if (last === undefined || !sameMessage(last, ev.source)) {
      sources.push(ev.source);
      source = sources.length - 1;
    }
    colds.push(ev.consignee === undefined ? '' : consigneeText(ev.consignee));
    const cold: Cold = {};
    if (ev.edaTime !== undefined) cold.edaTime = ev.edaTime;
    if (ev.description !== undefined) cold.description = ev.description;
    if (ev.unmapped.length > 0) cold.unmapped = ev.unmapped;
    colds.push(
      cold.edaTime === undefined && cold.description === undefined && cold.unmapped === undefined
        ? ''
        : JSON.stringify(cold),
    );
    tuples.push([
      ev.eventId,
      ev.kind,
      ev.bill.issuer,
      ev.bill.scn,
      ev.bill.key,
      ev.mode,
      ev.shipmentType,
      ev.express,
      ev.carrierScac,
      ev.entryNumber ?? null,
      ev.brokerId ?? null,
      ev.port ?? null,
      ev.conveyanceRef ?? null,
      ev.consigneeKey ?? null,
      ev.value === undefined ? null : [ev.value.usdCents, ev.value.amount, ev.value.currency],
      ev.pieces ?? null,
      ev.eda ?? null,
      ev.arrivalDate ?? null,
      ev.arrivalTime ?? null,
      ev.disposition ?? null,
      ev.origin ?? null,
      ev.origins,
      ev.hts,
      source,
      ev.source.segmentIndex,
      ev.source.byteOffset,
      0,
      0,
      0,
      // Computed here, on the ingest thread, which waits for the aggregating one a third of a
      // replay: the aggregating thread reads it instead of hashing (~0.7 µs and ~200 bytes of
      // garbage per declaration there).
      hasVersion(ev.kind) ? versionHashOf(ev) : null,
    ]);
  }
  // The cold texts go after the hot JSON; their byte ranges are only known once written, and the
  // hot JSON holds them, so the cold part is written first into a scratch buffer.
  let coldChars = 0;
  for (const c of colds) coldChars += c.length;
  const coldBytes = new Uint8Array(coldChars * 3); // UTF-8 needs at most 3 bytes per UTF-16 unit
  let coldLength = 0;
  const ranges: number[] = [];
  for (const c of colds) {
    ranges.push(coldLength);
    if (c !== '') coldLength += encoder.encodeInto(c, coldBytes.subarray(coldLength)).written;
  }
  ranges.push(coldLength);
  // Cold offsets are relative to the end of the hot JSON (known only after it is encoded); each
  // event has two texts (consignee, rest), so its offsets are ranges[2i], [2i+1] and [2i+2].
  tuples.forEach((t, i) => {
    t[26] = ranges[2 * i] as number;
    t[27] = ranges[2 * i + 1] as number;
    t[28] = ranges[2 * i + 2] as number;
  });
  const hot = encoder.encode(JSON.stringify({ s: sources, e: tuples } satisfies Hot));
  const out = new Uint8Array(HEADER_BYTES + hot.length + coldLength);
  new DataView(out.buffer).setUint32(0, hot.length, true);
  out.set(hot, HEADER_BYTES);
  out.set(coldBytes.subarray(0, coldLength), HEADER_BYTES + hot.length);
  return out;
}

export function decodeEvents(bytes: Uint8Array): ShipmentEvent[] {
  const hotLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const hot = JSON.parse(decoder.decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + hotLength))) as Hot;
  // A Buffer over the transferred bytes (no copy): its utf8 slice is cheaper per call than
  // TextDecoder's decode for the short cold texts read one at a time.
  const cold = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + HEADER_BYTES + hotLength,
    bytes.byteLength - HEADER_BYTES - hotLength,
  );
  const events: ShipmentEvent[] = new Array(hot.e.length);
  for (let i = 0; i < hot.e.length; i++) events[i] = new ReceivedEvent(hot.e[i] as HotTuple, hot.s, cold);
  return events;
}

/**
 * Whether two sources differ at most in the event's own position (segment index, byte offset),
 * keys in the same order: then the event's source is rebuilt from the first one exactly.
 */
function sameMessage(a: SourcePosition, b: SourcePosition): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as keyof SourcePosition;
    if (k !== kb[i]) return false;
    if (k !== 'segmentIndex' && k !== 'byteOffset' && a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * A shipment event as the aggregating thread receives it: the hot fields read from its decoded
 * tuple, the source rebuilt and the cold fields parsed from the transferred bytes when read. Reads
 * exactly as the ShipmentEvent that was sent; JSON.stringify gives its JSON text.
 *
 * The tuple is kept rather than copied into own properties: the copy was a second object of ~30
 * fields per event beside the tuple JSON.parse had just built (the main thread's largest
 * allocation, which every scavenge of a held batch copied). The fields are getters of one class,
 * so the core's reads stay monomorphic.
 */
class ReceivedEvent implements ShipmentEvent {
  private readonly t: HotTuple;
  private readonly sources: readonly SourcePosition[];
  private readonly coldBytes: Buffer;
  /** Built at the first read and kept: the core reads `bill` several times per event. */
  private billOnce: ShipmentEvent['bill'] | undefined;
  private valueOnce: Money | undefined;
  private consigneeOnce: Party | null | undefined;
  private coldParsed: Cold | undefined;

  constructor(t: HotTuple, sources: readonly SourcePosition[], cold: Buffer) {
    if (sources[t[23]] === undefined)
      throw new Error(`event ${t[0]}: source ${t[23]} not in its interchange`);
    this.t = t;
    this.sources = sources;
    this.coldBytes = cold;
    this.billOnce = undefined;
    this.valueOnce = undefined;
    this.consigneeOnce = undefined;
    this.coldParsed = undefined;
  }

  get eventId(): string {
    return this.t[0];
  }

  get kind(): ShipmentEvent['kind'] {
    return this.t[1];
  }

  get bill(): ShipmentEvent['bill'] {
    this.billOnce ??= { issuer: this.t[2], scn: this.t[3], key: this.t[4] };
    return this.billOnce;
  }

  get mode(): ShipmentEvent['mode'] {
    return this.t[5];
  }

  get shipmentType(): ShipmentEvent['shipmentType'] {
    return this.t[6];
  }

  get express(): boolean {
    return this.t[7];
  }

  get carrierScac(): string {
    return this.t[8];
  }

  get entryNumber(): string | undefined {
    return this.t[9] ?? undefined;
  }

  get brokerId(): string | undefined {
    return this.t[10] ?? undefined;
  }

  get port(): string | undefined {
    return this.t[11] ?? undefined;
  }

  get conveyanceRef(): string | undefined {
    return this.t[12] ?? undefined;
  }

  get consigneeKey(): string | undefined {
    return this.t[13] ?? undefined;
  }

  get value(): Money | undefined {
    const v = this.t[14];
    if (v === null) return undefined;
    this.valueOnce ??= { usdCents: v[0], amount: v[1], currency: v[2] };
    return this.valueOnce;
  }

  get pieces(): number | undefined {
    return this.t[15] ?? undefined;
  }

  get eda(): string | undefined {
    return this.t[16] ?? undefined;
  }

  get arrivalDate(): string | undefined {
    return this.t[17] ?? undefined;
  }

  get arrivalTime(): string | undefined {
    return this.t[18] ?? undefined;
  }

  get disposition(): string | undefined {
    return this.t[19] ?? undefined;
  }

  get origin(): string | undefined {
    return this.t[20] ?? undefined;
  }

  get origins(): string[] {
    return this.t[21];
  }

  get hts(): string[] {
    return this.t[22];
  }

  /** The version hash computed on the ingest thread (core/aggregate/version-hash.ts); not part of the event's JSON. */
  get [PRECOMPUTED_VERSION_HASH](): string | undefined {
    return this.t[29] ?? undefined;
  }

  /** A new object at each read (the event keeps only its position): callers may keep it. */
  get source(): SourcePosition {
    return {
      ...(this.sources[this.t[23]] as SourcePosition),
      segmentIndex: this.t[24],
      byteOffset: this.t[25],
    };
  }

  /** Parsed alone (the store reads it for the person-days a batch opens; nothing reads the rest). */
  get consignee(): Party | undefined {
    if (this.consigneeOnce === undefined) {
      const start = this.t[26];
      const end = this.t[27];
      this.consigneeOnce = start === end ? null : partyOfText(this.coldBytes.toString('utf8', start, end));
    }
    return this.consigneeOnce ?? undefined;
  }

  get edaTime(): string | undefined {
    return this.cold().edaTime;
  }

  get description(): string | undefined {
    return this.cold().description;
  }

  get unmapped(): string[] {
    return this.cold().unmapped ?? [];
  }

  private cold(): Cold {
    if (this.coldParsed === undefined) {
      const start = this.t[27];
      const end = this.t[28];
      this.coldParsed =
        start === end ? {} : (JSON.parse(this.coldBytes.toString('utf8', start, end)) as Cold);
    }
    return this.coldParsed;
  }

  /** The event as it was sent: ShipmentEvent's keys in the normalizers' order, absent ones left out. */
  toJSON(): ShipmentEvent {
    const out: Record<string, unknown> = {};
    const put = (key: string, value: unknown): void => {
      if (value !== undefined) out[key] = value;
    };
    put('eventId', this.eventId);
    put('kind', this.kind);
    put('bill', this.bill);
    put('mode', this.mode);
    put('shipmentType', this.shipmentType);
    put('express', this.express);
    put('entryNumber', this.entryNumber);
    put('carrierScac', this.carrierScac);
    put('brokerId', this.brokerId);
    put('port', this.port);
    put('conveyanceRef', this.conveyanceRef);
    put('consignee', this.consignee);
    put('consigneeKey', this.consigneeKey);
    put('value', this.value);
    put('pieces', this.pieces);
    put('eda', this.eda);
    put('edaTime', this.edaTime);
    put('arrivalDate', this.arrivalDate);
    put('arrivalTime', this.arrivalTime);
    put('disposition', this.disposition);
    put('origin', this.origin);
    put('origins', this.origins);
    put('hts', this.hts);
    put('description', this.description);
    put('unmapped', this.unmapped);
    put('source', this.source);
    return out as unknown as ShipmentEvent;
  }
}
