/**
 * A declaration's version hash (rules.md §2: a repeated version changes nothing): the
 * counting-relevant content of the event, kept as a 128-bit hash (32 hex characters instead of
 * ~100: the bill row is written once per shipment).
 *
 * An event may carry its version hash already computed, under the PRECOMPUTED_VERSION_HASH symbol:
 * the replay's ingest thread computes it beside parsing (app/event-transfer.ts), so the aggregating
 * thread — the replay's bottleneck — does not. The carried value is only a hint, equal to
 * `versionHashOf` of the same event (test/replay/precomputed-hints.test.ts); an event without it (queue
 * mode, the API, tests) is hashed here. A symbol key, because JSON cannot carry one: an event read
 * from a message, a file or a request can never bring a version hash of its own choosing.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import { murmur3x86_128Bytes } from '../normalize/hash128.js';
import { JsonUtf8Writer } from '../normalize/json-utf8.js';

export const PRECOMPUTED_VERSION_HASH: unique symbol = Symbol('s321.precomputedVersionHash');

/** A ShipmentEvent as the core may receive it: possibly with its version hash computed beforehand. */
export interface MaybePrecomputed {
  readonly [PRECOMPUTED_VERSION_HASH]?: string | undefined;
}

/** The text the version hash is the hash of: the fields joined at once (the reference for `versionHashOf`). */
export function versionHashText(ev: ShipmentEvent): string {
  return [
    ev.consigneeKey ?? '',
    ev.eda ?? '',
    ev.value?.usdCents ?? 0,
    ev.mode,
    ev.shipmentType,
    ev.express ? 'X' : '',
    ev.origins.join(','),
    ev.hts.join(','),
    ev.brokerId ?? '',
    ev.entryNumber ?? '',
    ev.carrierScac,
  ].join('|');
}

/**
 * The reference computation (what a carried hint must equal): murmur3 of the UTF-8 of
 * `versionHashText`, written piece by piece into a reused buffer instead of joining two arrays into
 * a ~100-character string and encoding it (~0.5 KB of garbage per declaration on the ingest thread,
 * which computes it for every one). Same bytes: `Array#join`'s rules (null and undefined as
 * nothing, anything else as `String`), and UTF-8 by piece equals UTF-8 of the whole because a
 * separator always stands between two pieces (a lone surrogate stays lone either way);
 * test/aggregate/version-hash.test.ts holds it to the joined text.
 */
export function versionHashOf(ev: ShipmentEvent): string {
  const w = hashText;
  w.reset();
  piece(w, ev.consigneeKey);
  w.byte(PIPE);
  piece(w, ev.eda);
  w.byte(PIPE);
  piece(w, ev.value?.usdCents ?? 0);
  w.byte(PIPE);
  piece(w, ev.mode);
  w.byte(PIPE);
  piece(w, ev.shipmentType);
  w.byte(PIPE);
  if (ev.express) w.byte(0x58); // 'X'
  w.byte(PIPE);
  list(w, ev.origins);
  w.byte(PIPE);
  list(w, ev.hts);
  w.byte(PIPE);
  piece(w, ev.brokerId);
  w.byte(PIPE);
  piece(w, ev.entryNumber);
  w.byte(PIPE);
  piece(w, ev.carrierScac);
  return murmur3x86_128Bytes(w.bytes, w.length, 0, w.words);
}

const PIPE = 0x7c;
const COMMA = 0x2c;

/** The joined text's UTF-8, written piece by piece (the buffer the event ids are hashed from too). */
const hashText = new JsonUtf8Writer(1024);

/** A piece as `Array#join` writes it: nothing for null or undefined, a string as is, else `String(v)`. */
function piece(w: JsonUtf8Writer, v: unknown): void {
  if (typeof v === 'string') w.text(v);
  else if (v !== undefined && v !== null) w.text(String(v));
}

/** `items.join(',')`. */
function list(w: JsonUtf8Writer, items: readonly unknown[]): void {
  for (let i = 0; i < items.length; i++) {
    if (i > 0) w.byte(COMMA);
    piece(w, items[i]);
  }
}

/** The event's version hash: the one it carries, else computed. */
export function eventVersionHash(ev: ShipmentEvent): string {
  return (ev as ShipmentEvent & MaybePrecomputed)[PRECOMPUTED_VERSION_HASH] ?? versionHashOf(ev);
}

/** Whether the core asks this event for its version hash (declarations and amendments). */
export function hasVersion(kind: ShipmentEvent['kind']): boolean {
  return kind !== 'status' && kind !== 'deleted';
}
