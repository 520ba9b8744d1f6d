/**
 * Growable byte buffer the generator writes EDI into. Strings are written one char code per byte
 * (latin-1): the generator only emits ASCII, plus latin-1 letters in interchanges that declare a
 * latin-1 syntax (UNOC). Writing bytes directly skips a string -> TextEncoder round trip per file,
 * which is what keeps generation well above the speed of the parsers it feeds.
 */
/** Headroom reserved before writing one shipment, status line or envelope segment group. */
export const RESERVE = 1 << 16;

export class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(initialCapacity = 1 << 22) {
    this.buf = new Uint8Array(initialCapacity);
  }

  private grow(extra: number): void {
    // Only reached through reserve(): the small writes never check bounds themselves.
    let cap = this.buf.length * 2;
    while (cap < this.pos + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * Makes sure `n` more bytes fit. The format writers reserve generously (RESERVE) once per
   * shipment / status line, so the many small writes in between need no bounds check of their own.
   */
  reserve(n: number = RESERVE): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Writes `s` as latin-1 (every char code must be < 256). */
  str(s: string): void {
    const n = s.length;
    if (n > 256) this.reserve(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /**
   * Writes `s` escaping EDIFACT service characters with the release character. Only strings that
   * may hold one (names, streets, descriptions) go through here.
   */
  escaped(s: string, d: Delims): void {
    const n = s.length;
    if (n > 128) this.reserve(2 * n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === d.segment || c === d.element || c === d.component || c === d.release) buf[p++] = d.release;
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** Non-negative integer in decimal (digits written in place: no String() per number). */
  uint(n: number): void {
    if (n < 10) {
      this.buf[this.pos++] = 48 + n;
      return;
    }
    const digits =
      n < 100
        ? 2
        : n < 1000
          ? 3
          : n < 10000
            ? 4
            : n < 100000
              ? 5
              : n < 1e6
                ? 6
                : n < 1e7
                  ? 7
                  : n < 1e8
                    ? 8
                    : n < 1e9
                      ? 9
                      : String(n).length;
    this.padded(n, digits);
  }

  /** Non-negative integer left-padded with zeros to `width` digits. */
  padded(n: number, width: number): void {
    const buf = this.buf;
    const start = this.pos;
    if (n <= 0x7fffffff) {
      // int32 fast path: `| 0` division instead of Math.floor.
      let v = n | 0;
      for (let i = start + width - 1; i >= start; i--) {
        const q = (v / 10) | 0;
        buf[i] = 48 + v - q * 10;
        v = q;
      }
    } else {
      let v = n;
      for (let i = start + width - 1; i >= start; i--) {
        buf[i] = 48 + (v % 10);
        v = Math.floor(v / 10);
      }
    }
    this.pos = start + width;
  }

  /** Cents as a decimal amount ('45.50'; `mark` is the decimal mark byte). */
  cents(cents: number, mark: number): void {
    this.uint(Math.floor(cents / 100));
    this.byte(mark);
    this.padded(cents % 100, 2);
  }

  /** Short byte run (a cached segment template): a JS loop beats a native set() call at this size. */
  short(b: Uint8Array): void {
    const n = b.length;
    if (n > 512) {
      this.bytes(b);
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i] as number;
    this.pos = p;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Copy of the bytes written since `start`. */
  copy(start = 0): Uint8Array {
    return this.buf.slice(start, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }
}

/** Delimiter bytes an EDIFACT interchange uses (release 0 = none). */
export interface Delims {
  segment: number;
  element: number;
  component: number;
  release: number;
  decimal: number;
}
