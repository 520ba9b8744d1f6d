/**
 * Writes the UTF-8 bytes of `JSON.stringify(value)` into a reused buffer, for hashing (event ids),
 * and of a text as is (`text`: the pieces of a version hash's text, core/aggregate/version-hash.ts).
 *
 * Why by hand: the event id is the hash of a JSON text; building that text with JSON.stringify and
 * encoding it with TextEncoder cost ~2.5 µs per shipment (a ~600-character string, a copy of every
 * object for the rest-spread, then an encode). This writes the same bytes directly, no string
 * allocated. Byte-for-byte equality with JSON.stringify + UTF-8 is the contract
 * (test/normalize/event-id.test.ts checks it on arbitrary values): own enumerable keys in their
 * order, undefined-valued keys skipped (null in arrays), non-finite numbers as null, and strings
 * with anything but printable ASCII handed to JSON.stringify itself for the escaping rules.
 */

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, i)` in the loops over field values.
 * Why: those loops see every string representation V8 has (internalized constants, flat, sliced
 * reader values, cons strings from template literals, two-byte names), so the `text.charCodeAt`
 * property load went megamorphic and TurboFan called the builtin through a generic load for every
 * character (~10 ns/char, measured on events of the 200k bench traffic). Called through a known
 * function, the call is lowered to an inline character load whatever the receiver's map
 * (~4 ns/char; the normalize stage went from ~3.7 s to ~3.45 s CPU on 200k shipments).
 */
const charCodeAt = String.prototype.charCodeAt;

const utf8Encoder = new TextEncoder();

/** 1 for the ASCII characters a JSON string holds unescaped. */
const PLAIN = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN[c] = c === 0x22 || c === 0x5c ? 0 : 1;

/** Bytes of an ASCII text, for `raw`. */
export function encodeAscii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}

export class JsonUtf8Writer {
  bytes: Uint8Array;
  /** A 32-bit view over the same memory (the hash reads whole words). */
  words: Uint32Array;
  length = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
    this.words = new Uint32Array(this.bytes.buffer);
  }

  reset(): void {
    this.length = 0;
  }

  private reserve(extra: number): void {
    if (this.length + extra > this.bytes.length) this.grow(this.length + extra);
  }

  private grow(need: number): void {
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    // Keep a multiple of 4 so the word view covers every byte.
    const next = new Uint8Array((size + 3) & ~3);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.words = new Uint32Array(next.buffer);
  }

  /** ASCII text written as is (punctuation of the JSON text). */
  ascii(text: string): void {
    const n = text.length;
    if (this.length + n > this.bytes.length) this.grow(this.length + n);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) b[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** One byte (an ASCII separator). */
  byte(b: number): void {
    if (this.length === this.bytes.length) this.grow(this.length + 1);
    this.bytes[this.length++] = b;
  }

  /**
   * The UTF-8 of a text as is, not a JSON literal (a hashed text's pieces, version-hash.ts): ASCII
   * byte by byte; from the first other unit the whole text through TextEncoder, which writes a lone
   * surrogate as U+FFFD, as encoding the text whole would.
   */
  text(s: string): void {
    const n = s.length;
    // A UTF-16 unit is at most 3 UTF-8 bytes.
    this.reserve(n * 3);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c: number = charCodeAt.call(s, i);
      if (c >= 0x80) {
        this.length += utf8Encoder.encodeInto(s, b.subarray(this.length)).written;
        return;
      }
      b[at++] = c;
    }
    this.length = at;
  }

  /** Pre-encoded ASCII (see `encodeAscii`): the event's key names, written without reading a string. */
  raw(chunk: Uint8Array): void {
    const n = chunk.length;
    if (this.length + n > this.bytes.length) this.grow(this.length + n);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) b[at++] = chunk[i] as number;
    this.length = at;
  }

  /**
   * `key` (pre-encoded ASCII such as `,"name":`) then the JSON string literal of `text`: one call
   * for the pair, as the event writer needs it ~30 times per event.
   */
  field(key: Uint8Array, text: string): void {
    const kn = key.length;
    const n = text.length;
    if (this.length + kn + n + 2 > this.bytes.length) this.grow(this.length + kn + n + 2);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < kn; i++) b[at++] = key[i] as number;
    const valueAt = at;
    b[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = charCodeAt.call(text, i);
      if (c > 0x7e || PLAIN[c] === 0) {
        this.length = valueAt;
        this.utf8(JSON.stringify(text));
        return;
      }
      b[at++] = c;
    }
    b[at++] = 0x22;
    this.length = at;
  }

  /** A JSON string literal. */
  string(text: string): void {
    const n = text.length;
    if (this.length + n + 2 > this.bytes.length) this.grow(this.length + n + 2);
    const b = this.bytes;
    let at = this.length;
    b[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = charCodeAt.call(text, i);
      // Printable ASCII other than '"' and '\' is its own JSON and UTF-8 form.
      if (c > 0x7e || PLAIN[c] === 0) {
        // `length` has not moved: what was written of this string is overwritten.
        this.utf8(JSON.stringify(text));
        return;
      }
      b[at++] = c;
    }
    b[at++] = 0x22;
    this.length = at;
  }

  /** UTF-8 of a string that holds no lone surrogate (JSON.stringify output). */
  private utf8(text: string): void {
    this.reserve(text.length * 3);
    const b = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) b[at++] = c;
      else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        b[at++] = 0xf0 | (c >> 18);
        b[at++] = 0x80 | ((c >> 12) & 0x3f);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      } else {
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.length = at;
  }

  number(value: number): void {
    if (Number.isSafeInteger(value) && value >= 0) {
      // Digits written directly (what String() gives for these), without a string per number.
      if (this.length + 16 > this.bytes.length) this.grow(this.length + 16);
      const b = this.bytes;
      let digits = 1;
      for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
      let at = this.length + digits;
      this.length = at;
      let v = value;
      do {
        const q = Math.floor(v / 10);
        b[--at] = 48 + (v - q * 10);
        v = q;
      } while (v > 0);
      return;
    }
    this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /** Any JSON-able value (what events hold: strings, numbers, booleans, arrays, plain objects). */
  value(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return;
      case 'number':
        this.number(value);
        return;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return;
      case 'object':
        if (value === null) this.ascii('null');
        else if (Array.isArray(value)) this.array(value);
        else this.object(value as Record<string, unknown>);
        return;
      default:
        // undefined, functions, symbols: what JSON.stringify writes for them inside an array.
        this.ascii('null');
    }
  }

  array(list: readonly unknown[]): void {
    this.ascii('[');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) this.ascii(',');
      const v = list[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') this.ascii('null');
      else this.value(v);
    }
    this.ascii(']');
  }

  /** A plain object; keys listed in `skip` are left out (the event's own id and source). */
  object(obj: Record<string, unknown>, skip1?: string, skip2?: string): void {
    this.ascii('{');
    let first = true;
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (key === skip1 || key === skip2) continue;
      const v = obj[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      if (!first) this.ascii(',');
      first = false;
      this.string(key);
      this.ascii(':');
      this.value(v);
    }
    this.ascii('}');
  }
}
