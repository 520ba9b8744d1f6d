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
  hashText.length = 0;
  hashText.piece(ev.consigneeKey);
  hashText.byte(PIPE);
  hashText.piece(ev.eda);
  hashText.byte(PIPE);
  hashText.piece(ev.value?.usdCents ?? 0);
  hashText.byte(PIPE);
  hashText.piece(ev.mode);
  hashText.byte(PIPE);
  hashText.piece(ev.shipmentType);
  hashText.byte(PIPE);
  if (ev.express) hashText.byte(0x58); // 'X'
  hashText.byte(PIPE);
  hashText.list(ev.origins);
  hashText.byte(PIPE);
  hashText.list(ev.hts);
  hashText.byte(PIPE);
  hashText.piece(ev.brokerId);
  hashText.byte(PIPE);
  hashText.piece(ev.entryNumber);
  hashText.byte(PIPE);
  hashText.piece(ev.carrierScac);
  return murmur3x86_128Bytes(hashText.bytes, hashText.length, 0, hashText.words);
}

const PIPE = 0x7c;
const COMMA = 0x2c;
/** See json-utf8.ts: a known function keeps the character load inline over every string representation. */
const charCodeAt = String.prototype.charCodeAt;
const utf8Encoder = new TextEncoder();

/** The UTF-8 bytes of the joined text, appended piece by piece into one reused buffer. */
class HashText {
  bytes = new Uint8Array(1024);
  /** A 32-bit view over the same memory (murmur3 reads whole words). */
  words = new Uint32Array(this.bytes.buffer);
  length = 0;

  /** A piece as `Array#join` writes it: nothing for null or undefined, a string as is, else `String(v)`. */
  piece(v: unknown): void {
    if (typeof v === 'string') this.text(v);
    else if (v !== undefined && v !== null) this.text(String(v));
  }

  /** `items.join(',')`. */
  list(items: readonly unknown[]): void {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.byte(COMMA);
      this.piece(items[i]);
    }
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.grow(this.length + 1);
    this.bytes[this.length++] = b;
  }

  private text(s: string): void {
    const n = s.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes.
    if (this.length + n * 3 > this.bytes.length) this.grow(this.length + n * 3);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c: number = charCodeAt.call(s, i);
      if (c >= 0x80) {
        // Not ASCII: the whole piece encoded again from its start by TextEncoder.
        this.length += utf8Encoder.encodeInto(s, b.subarray(this.length)).written;
        return;
      }
      b[at++] = c;
    }
    this.length = at;
  }

  private grow(need: number): void {
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.words = new Uint32Array(next.buffer);
  }
}

const hashText = new HashText();

/** The event's version hash: the one it carries, else computed. */
export function eventVersionHash(ev: ShipmentEvent): string {
  return (ev as ShipmentEvent & MaybePrecomputed)[PRECOMPUTED_VERSION_HASH] ?? versionHashOf(ev);
}

/** Whether the core asks this event for its version hash (declarations and amendments). */
export function hasVersion(kind: ShipmentEvent['kind']): boolean {
  return kind !== 'status' && kind !== 'deleted';
}
