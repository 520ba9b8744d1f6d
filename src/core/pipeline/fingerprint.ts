/**
 * Content fingerprint of an interchange, from the shipment events it produced (bill, kind, consignee,
 * day, value, status) — not from positions, so the same interchange redelivered inside another file
 * is still recognised. A 2 × 32-bit FNV-1a: not cryptographic, and it need not be: the key also holds
 * the sender and control number, so a collision needs two interchanges with the same both.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';

const PIPE = 0x7c;
const COMMA = 0x2c;
const SEPARATOR = 0x1f;

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, i)` in `feed`: the loop sees every
 * string representation the normalizers make (constants, flat copies, slices, concatenations), so a
 * `text.charCodeAt` property load goes megamorphic and costs a generic load per character; through
 * a known function TurboFan inlines the character load (as in json-utf8.ts, docs/normalize-cost.md).
 */
const charCodeAt = String.prototype.charCodeAt;

/** Scratch for a number's digits, least significant first (a safe integer has at most 16). */
const DIGITS = new Uint8Array(16);

export class FingerprintBuilder {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;

  add(text: string): void {
    this.feed(text);
    this.separate();
  }

  /**
   * The same hash as `add` of the event's fields joined into one text (`eventFingerprintText`, the
   * reference the tests hold it to), fed piece by piece: the joined text, ~100 characters per event
   * built from 20 pieces, was ~0.8 KB of garbage per event on the ingest thread (~9% of its
   * allocation on the bench traffic, docs/ingest-cpu.md).
   */
  addEvent(e: ShipmentEvent): void {
    const value = e.value;
    this.feed(e.source.messageRef);
    this.char(PIPE);
    this.feed(e.kind);
    this.char(PIPE);
    this.feed(e.bill.key);
    this.char(PIPE);
    this.feedOptional(e.consigneeKey);
    this.char(PIPE);
    this.feedOptional(e.eda);
    this.char(PIPE);
    const valued = value !== undefined && value !== null;
    if (valued) this.feedNumber(value.usdCents);
    this.char(PIPE);
    if (valued) {
      this.feed(value.amount);
      this.feed(value.currency);
    }
    this.char(PIPE);
    this.feed(e.mode);
    this.char(PIPE);
    this.feed(e.shipmentType);
    this.char(PIPE);
    this.feedOptional(e.arrivalDate);
    this.feedOptional(e.arrivalTime);
    this.char(PIPE);
    this.feedOptional(e.disposition);
    this.char(PIPE);
    this.feedList(e.origins);
    this.char(PIPE);
    this.feedList(e.hts);
    this.separate();
  }

  /** The state so far, to return to with `restore` (a message whose events turn out not to count). */
  mark(): [number, number] {
    return [this.h1, this.h2];
  }

  restore(mark: readonly [number, number]): void {
    this.h1 = mark[0];
    this.h2 = mark[1];
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  private feed(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c: number = charCodeAt.call(text, i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /**
   * `String(value)`'s characters: a non-negative safe integer (every cents value the normalizers
   * make) digit by digit, without a string per event; anything else through `String`.
   */
  private feedNumber(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      this.feed(String(value));
      return;
    }
    let n = 0;
    let v = value;
    do {
      const q = Math.floor(v / 10);
      DIGITS[n++] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
    while (n > 0) this.char(DIGITS[--n] as number);
  }

  /** Absent (undefined, or null from JSON) as the template's `?? ''`: nothing. */
  private feedOptional(text: string | undefined | null): void {
    if (text !== undefined && text !== null) this.feed(text);
  }

  /** The list's items joined by ',' (as `Array#join`). */
  private feedList(items: readonly string[]): void {
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.char(COMMA);
      this.feed(items[i] as string);
    }
  }

  private char(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995) ^ (this.h2 >>> 15);
  }

  /** Field separator, so ('ab','c') and ('a','bc') differ. */
  private separate(): void {
    this.h1 = Math.imul(this.h1 ^ SEPARATOR, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ SEPARATOR, 0x5bd1e995);
  }
}

/** The text `addEvent` hashes, joined at once: the reference for its piecewise feed. */
export function eventFingerprintText(e: ShipmentEvent): string {
  return `${e.source.messageRef}|${e.kind}|${e.bill.key}|${e.consigneeKey ?? ''}|${e.eda ?? ''}|${e.value?.usdCents ?? ''}|${e.value?.amount ?? ''}${e.value?.currency ?? ''}|${e.mode}|${e.shipmentType}|${e.arrivalDate ?? ''}${e.arrivalTime ?? ''}|${e.disposition ?? ''}|${e.origins.join(',')}|${e.hts.join(',')}`;
}
