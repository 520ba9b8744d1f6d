/**
 * How an interchange's shipment events cross from the ingest thread to the aggregating thread.
 * 'clone': postMessage's structured clone of the event objects. 'json-bytes' (the name kept for the
 * thread protocol): one Uint8Array whose buffer is transferred (moved, not copied), holding a batch
 * of events as columns (docs/transfer-columns.md):
 *
 * - numbers in Float64 columns (value cents, pieces, the source's segment index and byte offset),
 *   flags in a Uint8 column, and every text field as an Int32 column of indexes into the batch's
 *   string table (-1: the field is absent);
 * - the string table: one JSON array of the batch's strings, parsed once per batch. Values that
 *   repeat across events (issuer, SCAC, port, mode, kind, dates, countries, HTS codes, currency,
 *   amounts) are stored once; the unique ones (event id, keys, version hash) are appended as met.
 *   JSON keeps every string exact (escapes, lone surrogates) and V8 parses an array of strings in
 *   one pass;
 * - the lists (origins, HTS codes): one Int32 section of [count, index…] per list, the event's
 *   column pointing at its start;
 * - what the aggregating thread would otherwise compute from the event alone, computed here on the
 *   ingest thread (which waits on the aggregating one): the version hash, read by the core as a
 *   hint equal to its own computation (core/aggregate/version-hash.ts, docs/ingest-precompute.md);
 * - the source position, shared: the message-level part of `source` once per distinct value in the
 *   batch (in the same JSON as the strings), each event's segment index and byte offset in columns;
 *   `source` is built when read, never stored per event;
 * - the cold part: each event's consignee as sent, then its description, unmapped fields and EDA
 *   time, as JSON bytes left in the transferred buffer (off the JavaScript heap) and parsed only
 *   when read — the store reads the consignee of the bills that open a person-day, nothing reads
 *   the rest on this path.
 *
 * Why: the main thread is the replay's bottleneck, and the previous format (one JSON tuple per
 * event) cost it ~1,000 bytes of allocation per event at decode, most of it promoted while a batch
 * was held (docs/main-alloc.md). Here a decoded event is one small object over the batch's columns;
 * the strings it reads are the table's, shared. It reads as the ShipmentEvent it was (`toJSON`
 * gives the same JSON text, key for key; test/replay/event-transfer.test.ts).
 */
import { hasVersion, PRECOMPUTED_VERSION_HASH, versionHashOf } from '../core/aggregate/version-hash.js';
import type { Money, Party, ShipmentEvent, SourcePosition } from '../core/model/shipment-event.js';
import { JsonUtf8Writer } from '../core/normalize/json-utf8.js';

export type EventTransfer = 'clone' | 'json-bytes';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The Int32 columns, in their order in the buffer (column-major: column c of n events at [c*n, c*n+n)). */
enum S {
  eventId,
  kind,
  issuer,
  scn,
  key,
  mode,
  shipmentType,
  carrierScac,
  entryNumber,
  brokerId,
  port,
  conveyanceRef,
  consigneeKey,
  amount,
  currency,
  eda,
  arrivalDate,
  arrivalTime,
  disposition,
  origin,
  versionHash,
  /** Index into the batch's sources. */
  source,
  /** Start of the event's origins in the list section ([count, string index…]). */
  origins,
  hts,
  /** The event's cold bytes: [coldStart, consigneeEnd) its consignee, [consigneeEnd, coldEnd) the rest. */
  coldStart,
  consigneeEnd,
  coldEnd,
  count,
}

/** The Float64 columns (exact for any integer a JSON number could carry). */
enum F {
  usdCents,
  pieces,
  segmentIndex,
  byteOffset,
  count,
}

/** The Uint8 columns. */
enum B {
  express,
  /** HAS_VALUE | HAS_PIECES. */
  present,
  count,
}
const HAS_VALUE = 1;
const HAS_PIECES = 2;

/** Header words (uint32): format, events, list length, text bytes, cold bytes. */
const FORMAT = 0x53334301;
const HEADER_WORDS = 8;
const HEADER_BYTES = HEADER_WORDS * 4;

/** Where each section starts, from the events, list and text sizes (every section 8-byte aligned). */
interface Layout {
  f64: number;
  i32: number;
  u8: number;
  lists: number;
  text: number;
  cold: number;
  end: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

function layoutOf(n: number, listLength: number, textBytes: number, coldBytes: number): Layout {
  const f64 = HEADER_BYTES;
  const i32 = f64 + F.count * n * 8;
  const u8 = align8(i32 + S.count * n * 4);
  const lists = align8(u8 + B.count * n);
  const text = lists + listLength * 4;
  const cold = text + textBytes;
  return { f64, i32, u8, lists, text, cold, end: cold + coldBytes };
}

/** What JSON carries of a batch: its distinct message-level sources and its string table. */
interface Text {
  s: SourcePosition[];
  t: string[];
}

/** `Cold` with every key present, undefined when absent (what the encoder builds; same JSON). */
type ColdFields = { [K in keyof Cold]-?: Cold[K] | undefined };

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

/** The array form's values, reused (the writer reads it at once). */
const partyValues: Array<string | null> = new Array<string | null>(PARTY_KEYS.length).fill(null);

/**
 * The consignee's JSON (the array form when its keys allow, else the object), written as UTF-8
 * straight into the batch's cold bytes: no JSON text per event to encode afterwards. Its keys are
 * walked with `for…in` rather than `Object.keys`: on an object of a known shape V8 iterates its
 * cached keys without allocating the array of names. `for…in` also yields inherited enumerable keys,
 * which no Party has; one would send the object form, which reads as sent too.
 */
function writeConsignee(out: JsonUtf8Writer, p: Party): void {
  if (fillPartyValues(p)) out.array(partyValues);
  else out.object(p as unknown as Record<string, unknown>);
}

/** Whether the consignee has the array form: then its values are in `partyValues`. */
function fillPartyValues(p: Party): boolean {
  const values = partyValues;
  let i = 0;
  for (const key in p) {
    while (i < PARTY_KEYS.length && PARTY_KEYS[i] !== key) {
      // A required key missing or out of order, or an unknown key: the object form.
      if (i < PARTY_REQUIRED) return false;
      values[i++] = null;
    }
    if (i === PARTY_KEYS.length) return false;
    const v = (p as Record<string, unknown>)[key];
    if (typeof v !== 'string') return false;
    values[i++] = v;
  }
  if (i < PARTY_REQUIRED) return false;
  while (i < PARTY_KEYS.length) values[i++] = null;
  return true;
}

/**
 * The batch's cold bytes, reused from batch to batch (copied into the transferred buffer). Its
 * output is JSON.stringify's text as UTF-8 (test/normalize/event-id.test.ts holds it to that).
 */
const coldBytes = new JsonUtf8Writer(64 * 1024);

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

/** A batch's string table being built: repeated values found in `seen`, unique ones appended. */
class StringTable {
  readonly strings: string[] = [];
  private readonly seen = new Map<string, number>();
  /** Per column (`S`), the last value `shared` stored or found for it, and its index. */
  private readonly last: Array<string | undefined> = new Array<string | undefined>(S.count).fill(undefined);
  private readonly lastAt = new Int32Array(S.count);

  /**
   * A value that repeats across events: stored once. The column's previous value is compared first:
   * consecutive events of a message mostly repeat it (issuer, mode, port, dates…), and a string
   * comparison is cheaper than the `Map`'s lookup, which hashes every fresh string the normalizers
   * made (the lookup was ~4% of the ingest thread). The index is the `Map`'s either way.
   */
  shared(s: string | undefined, column: S): number {
    if (s === undefined) return -1;
    if (s === this.last[column]) return this.lastAt[column] as number;
    let at = this.seen.get(s);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(s);
      this.seen.set(s, at);
    }
    this.last[column] = s;
    this.lastAt[column] = at;
    return at;
  }

  /** A value (almost) unique to its event: appended without a lookup. */
  unique(s: string | undefined): number {
    if (s === undefined) return -1;
    this.strings.push(s);
    return this.strings.length - 1;
  }
}

export function encodeEvents(events: readonly ShipmentEvent[]): Uint8Array {
  const n = events.length;
  const f64 = new Float64Array(F.count * n);
  const i32 = new Int32Array(S.count * n);
  const u8 = new Uint8Array(B.count * n);
  const lists: number[] = [];
  const table = new StringTable();
  const sources: SourcePosition[] = [];
  const cold = coldBytes;
  cold.reset();
  /** `Object.keys` of the last source pushed, read once per distinct source. */
  let lastKeys: string[] = [];
  const list = (items: readonly string[], column: S): number => {
    const start = lists.length;
    lists.push(items.length);
    for (const s of items) lists.push(table.shared(s, column));
    return start;
  };
  for (let i = 0; i < n; i++) {
    const ev = events[i] as ShipmentEvent;
    let source = sources.length - 1;
    const last = sources[source];
    if (last === undefined || !sameMessage(last, lastKeys, ev.source)) {
      sources.push(ev.source);
      lastKeys = Object.keys(ev.source);
      source = sources.length - 1;
    }
    i32[S.coldStart * n + i] = cold.length;
    if (ev.consignee !== undefined) writeConsignee(cold, ev.consignee);
    i32[S.consigneeEnd * n + i] = cold.length;
    // One literal, its absent fields undefined: the writer (as JSON.stringify) leaves those keys
    // out, so the text is the one of an object holding only the present ones.
    const rest: ColdFields = {
      edaTime: ev.edaTime,
      description: ev.description,
      unmapped: ev.unmapped.length > 0 ? ev.unmapped : undefined,
    };
    if (rest.edaTime !== undefined || rest.description !== undefined || rest.unmapped !== undefined)
      cold.object(rest as Record<string, unknown>);
    i32[S.coldEnd * n + i] = cold.length;
    i32[S.eventId * n + i] = table.unique(ev.eventId);
    i32[S.kind * n + i] = table.shared(ev.kind, S.kind);
    i32[S.issuer * n + i] = table.shared(ev.bill.issuer, S.issuer);
    i32[S.scn * n + i] = table.unique(ev.bill.scn);
    i32[S.key * n + i] = table.unique(ev.bill.key);
    i32[S.mode * n + i] = table.shared(ev.mode, S.mode);
    i32[S.shipmentType * n + i] = table.shared(ev.shipmentType, S.shipmentType);
    i32[S.carrierScac * n + i] = table.shared(ev.carrierScac, S.carrierScac);
    i32[S.entryNumber * n + i] = table.unique(ev.entryNumber);
    i32[S.brokerId * n + i] = table.shared(ev.brokerId, S.brokerId);
    i32[S.port * n + i] = table.shared(ev.port, S.port);
    i32[S.conveyanceRef * n + i] = table.shared(ev.conveyanceRef, S.conveyanceRef);
    i32[S.consigneeKey * n + i] = table.unique(ev.consigneeKey);
    i32[S.amount * n + i] = table.shared(ev.value?.amount, S.amount);
    i32[S.currency * n + i] = table.shared(ev.value?.currency, S.currency);
    i32[S.eda * n + i] = table.shared(ev.eda, S.eda);
    i32[S.arrivalDate * n + i] = table.shared(ev.arrivalDate, S.arrivalDate);
    i32[S.arrivalTime * n + i] = table.shared(ev.arrivalTime, S.arrivalTime);
    i32[S.disposition * n + i] = table.shared(ev.disposition, S.disposition);
    i32[S.origin * n + i] = table.shared(ev.origin, S.origin);
    // Computed here, on the ingest thread, which waits for the aggregating one a third of a
    // replay: the aggregating thread reads it instead of hashing (~0.7 µs and ~200 bytes of
    // garbage per declaration there).
    i32[S.versionHash * n + i] = table.unique(hasVersion(ev.kind) ? versionHashOf(ev) : undefined);
    i32[S.source * n + i] = source;
    i32[S.origins * n + i] = list(ev.origins, S.origins);
    i32[S.hts * n + i] = list(ev.hts, S.hts);
    let present = 0;
    if (ev.value !== undefined) {
      present |= HAS_VALUE;
      f64[F.usdCents * n + i] = ev.value.usdCents;
    }
    if (ev.pieces !== undefined) {
      present |= HAS_PIECES;
      f64[F.pieces * n + i] = ev.pieces;
    }
    f64[F.segmentIndex * n + i] = ev.source.segmentIndex;
    f64[F.byteOffset * n + i] = ev.source.byteOffset;
    u8[B.express * n + i] = ev.express ? 1 : 0;
    u8[B.present * n + i] = present;
  }
  const coldLength = cold.length;
  // JSON.stringify escapes lone surrogates, so the text is well-formed UTF-16 and its UTF-8 length exact.
  const text = JSON.stringify({ s: sources, t: table.strings } satisfies Text);
  const textBytes = Buffer.byteLength(text, 'utf8');
  const at = layoutOf(n, lists.length, textBytes, coldLength);
  const out = new Uint8Array(at.end);
  new Uint32Array(out.buffer, 0, HEADER_WORDS).set([FORMAT, n, lists.length, textBytes, coldLength]);
  new Float64Array(out.buffer, at.f64, f64.length).set(f64);
  new Int32Array(out.buffer, at.i32, i32.length).set(i32);
  out.set(u8, at.u8);
  new Int32Array(out.buffer, at.lists, lists.length).set(lists);
  encoder.encodeInto(text, out.subarray(at.text, at.cold));
  out.set(cold.bytes.subarray(0, coldLength), at.cold);
  return out;
}

/** One decoded batch: its columns (views over the transferred buffer), strings and sources. */
class Batch {
  readonly n: number;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly lists: Int32Array;
  readonly strings: readonly string[];
  readonly sources: readonly SourcePosition[];
  /** A Buffer over the cold bytes (no copy): its utf8 slice is cheaper per call than TextDecoder's. */
  readonly cold: Buffer;

  constructor(bytes: Uint8Array) {
    // Typed-array views need their element's alignment: a batch handed over at an odd offset is copied.
    const b = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const header = new Uint32Array(b.buffer, b.byteOffset, Math.min(HEADER_WORDS, b.byteLength >> 2));
    if (header.length < HEADER_WORDS || header[0] !== FORMAT)
      throw new Error('event batch: not a column batch');
    const n = header[1] as number;
    const at = layoutOf(n, header[2] as number, header[3] as number, header[4] as number);
    if (at.end !== b.byteLength)
      throw new Error(`event batch: ${b.byteLength} bytes, its header says ${at.end}`);
    const o = b.byteOffset;
    this.n = n;
    this.f64 = new Float64Array(b.buffer, o + at.f64, F.count * n);
    this.i32 = new Int32Array(b.buffer, o + at.i32, S.count * n);
    this.u8 = new Uint8Array(b.buffer, o + at.u8, B.count * n);
    this.lists = new Int32Array(b.buffer, o + at.lists, (at.text - at.lists) / 4);
    const text = JSON.parse(decoder.decode(b.subarray(at.text, at.cold))) as Text;
    this.strings = text.t;
    this.sources = text.s;
    this.cold = Buffer.from(b.buffer, o + at.cold, at.end - at.cold);
  }

  /** The string of column `c` for event `i`; undefined when absent. */
  str(c: S, i: number): string | undefined {
    const r = this.i32[c * this.n + i] as number;
    return r < 0 ? undefined : this.strings[r];
  }

  list(c: S, i: number): string[] {
    let at = this.i32[c * this.n + i] as number;
    const count = this.lists[at] as number;
    const out: string[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = this.strings[this.lists[++at] as number] as string;
    return out;
  }
}

/**
 * A batch's columns as decoded, without an event object: what a reader that takes the fields
 * straight from the columns sees (bench/columns-direct.ts measures what that would save the main
 * thread; the core reads `ShipmentEvent`s). Column `c` of event `i` is at `[c * n + i]`.
 */
export interface EventColumns {
  readonly n: number;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly lists: Int32Array;
  readonly strings: readonly string[];
  readonly sources: readonly SourcePosition[];
}

/** The column numbers of EventColumns: `i32` (string indexes, -1 absent), `f64` and `u8`. */
export const EVENT_COLUMNS = { i32: S, f64: F, u8: B, HAS_VALUE, HAS_PIECES } as const;

export function decodeColumns(bytes: Uint8Array): EventColumns {
  return new Batch(bytes);
}

export function decodeEvents(bytes: Uint8Array): ShipmentEvent[] {
  const batch = new Batch(bytes);
  const events: ShipmentEvent[] = new Array(batch.n);
  for (let i = 0; i < batch.n; i++) events[i] = new ReceivedEvent(batch, i);
  return events;
}

/**
 * Whether two sources differ at most in the event's own position (segment index, byte offset),
 * keys in the same order: then the event's source is rebuilt from the first one exactly.
 */
function sameMessage(a: SourcePosition, aKeys: readonly string[], b: SourcePosition): boolean {
  if (a === b) return true;
  // `b`'s keys walked with `for…in` (no array of names per event; `a`'s were read once when it was
  // pushed). An inherited enumerable key, which no source has, only makes `b` a source of its own.
  let i = 0;
  for (const k in b) {
    if (k !== aKeys[i]) return false;
    const key = k as keyof SourcePosition;
    if (key !== 'segmentIndex' && key !== 'byteOffset' && a[key] !== b[key]) return false;
    i++;
  }
  return i === aKeys.length;
}

/**
 * A shipment event as the aggregating thread receives it: its batch and its row. The fields are
 * getters of one class reading the batch's columns, so the core's reads stay monomorphic; the
 * source is rebuilt and the cold fields parsed from the transferred bytes when read. Reads exactly
 * as the ShipmentEvent that was sent; JSON.stringify gives its JSON text.
 */
class ReceivedEvent implements ShipmentEvent {
  private readonly b: Batch;
  private readonly i: number;
  /** Built at the first read and kept: the core reads `bill` several times per event. */
  private billOnce: ShipmentEvent['bill'] | undefined;
  private valueOnce: Money | undefined;
  private originsOnce: string[] | undefined;
  private htsOnce: string[] | undefined;
  private consigneeOnce: Party | null | undefined;
  private coldParsed: Cold | undefined;

  constructor(b: Batch, i: number) {
    if (b.sources[b.i32[S.source * b.n + i] as number] === undefined)
      throw new Error(`event ${b.str(S.eventId, i)}: its source is not in its batch`);
    this.b = b;
    this.i = i;
    this.billOnce = undefined;
    this.valueOnce = undefined;
    this.originsOnce = undefined;
    this.htsOnce = undefined;
    this.consigneeOnce = undefined;
    this.coldParsed = undefined;
  }

  get eventId(): string {
    return this.b.str(S.eventId, this.i) as string;
  }

  get kind(): ShipmentEvent['kind'] {
    return this.b.str(S.kind, this.i) as ShipmentEvent['kind'];
  }

  get bill(): ShipmentEvent['bill'] {
    this.billOnce ??= {
      issuer: this.b.str(S.issuer, this.i) as string,
      scn: this.b.str(S.scn, this.i) as string,
      key: this.b.str(S.key, this.i) as string,
    };
    return this.billOnce;
  }

  get mode(): ShipmentEvent['mode'] {
    return this.b.str(S.mode, this.i) as ShipmentEvent['mode'];
  }

  get shipmentType(): ShipmentEvent['shipmentType'] {
    return this.b.str(S.shipmentType, this.i) as ShipmentEvent['shipmentType'];
  }

  get express(): boolean {
    return this.b.u8[B.express * this.b.n + this.i] === 1;
  }

  get carrierScac(): string {
    return this.b.str(S.carrierScac, this.i) as string;
  }

  get entryNumber(): string | undefined {
    return this.b.str(S.entryNumber, this.i);
  }

  get brokerId(): string | undefined {
    return this.b.str(S.brokerId, this.i);
  }

  get port(): string | undefined {
    return this.b.str(S.port, this.i);
  }

  get conveyanceRef(): string | undefined {
    return this.b.str(S.conveyanceRef, this.i);
  }

  get consigneeKey(): string | undefined {
    return this.b.str(S.consigneeKey, this.i);
  }

  get value(): Money | undefined {
    const b = this.b;
    if (((b.u8[B.present * b.n + this.i] as number) & HAS_VALUE) === 0) return undefined;
    this.valueOnce ??= {
      usdCents: b.f64[F.usdCents * b.n + this.i] as number,
      amount: b.str(S.amount, this.i) as string,
      currency: b.str(S.currency, this.i) as string,
    };
    return this.valueOnce;
  }

  get pieces(): number | undefined {
    const b = this.b;
    if (((b.u8[B.present * b.n + this.i] as number) & HAS_PIECES) === 0) return undefined;
    return b.f64[F.pieces * b.n + this.i];
  }

  get eda(): string | undefined {
    return this.b.str(S.eda, this.i);
  }

  get arrivalDate(): string | undefined {
    return this.b.str(S.arrivalDate, this.i);
  }

  get arrivalTime(): string | undefined {
    return this.b.str(S.arrivalTime, this.i);
  }

  get disposition(): string | undefined {
    return this.b.str(S.disposition, this.i);
  }

  get origin(): string | undefined {
    return this.b.str(S.origin, this.i);
  }

  get origins(): string[] {
    this.originsOnce ??= this.b.list(S.origins, this.i);
    return this.originsOnce;
  }

  get hts(): string[] {
    this.htsOnce ??= this.b.list(S.hts, this.i);
    return this.htsOnce;
  }

  /** The version hash computed on the ingest thread (core/aggregate/version-hash.ts); not part of the event's JSON. */
  get [PRECOMPUTED_VERSION_HASH](): string | undefined {
    return this.b.str(S.versionHash, this.i);
  }

  /** A new object at each read (the event keeps only its position): callers may keep it. */
  get source(): SourcePosition {
    const b = this.b;
    return {
      ...(b.sources[b.i32[S.source * b.n + this.i] as number] as SourcePosition),
      segmentIndex: b.f64[F.segmentIndex * b.n + this.i] as number,
      byteOffset: b.f64[F.byteOffset * b.n + this.i] as number,
    };
  }

  /** Parsed alone (the store reads it for the person-days a batch opens; nothing reads the rest). */
  get consignee(): Party | undefined {
    if (this.consigneeOnce === undefined) {
      const b = this.b;
      const start = b.i32[S.coldStart * b.n + this.i] as number;
      const end = b.i32[S.consigneeEnd * b.n + this.i] as number;
      this.consigneeOnce = start === end ? null : partyOfText(b.cold.toString('utf8', start, end));
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
      const b = this.b;
      const start = b.i32[S.consigneeEnd * b.n + this.i] as number;
      const end = b.i32[S.coldEnd * b.n + this.i] as number;
      this.coldParsed = start === end ? {} : (JSON.parse(b.cold.toString('utf8', start, end)) as Cold);
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
