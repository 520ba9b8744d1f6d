/**
 * MurmurHash3 x86_128 over the UTF-8 bytes of a string, as 32 hex digits.
 *
 * Why not node:crypto: src/core is pure (no node: imports) and WebCrypto's digest is async, while
 * eventIds are computed inline for every shipment. The id only needs to be stable across runs and
 * machines and collision-unlikely among honest inputs (128 bits: ~2^64 events before a birthday
 * collision); it is not a security boundary, so a fast non-cryptographic hash is enough.
 * Written from the public algorithm description (Austin Appleby, public domain).
 */

const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

const encoder = new TextEncoder();
/** Reused UTF-8 buffer: event ids are hashed per shipment, a fresh array each time is GC churn. */
let scratch = new Uint8Array(4096);

function utf8(input: string): Uint8Array {
  // A UTF-16 code unit becomes at most 3 UTF-8 bytes.
  if (scratch.length < input.length * 3) scratch = new Uint8Array(input.length * 3);
  const { written } = encoder.encodeInto(input, scratch);
  return scratch.subarray(0, written);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function word(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] ?? 0) |
      ((bytes[at + 1] ?? 0) << 8) |
      ((bytes[at + 2] ?? 0) << 16) |
      ((bytes[at + 3] ?? 0) << 24)) >>>
    0
  );
}

export function murmur3x86_128(input: string | Uint8Array, seed = 0): string {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const len = bytes.length;
  const blocks = len - (len % 16);
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let h3 = seed >>> 0;
  let h4 = seed >>> 0;

  for (let i = 0; i < blocks; i += 16) {
    let k1 = word(bytes, i);
    let k2 = word(bytes, i + 4);
    let k3 = word(bytes, i + 8);
    let k4 = word(bytes, i + 12);

    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = rotl(h1, 19) + h2;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(rotl(Math.imul(k2, C2), 16), C3);
    h2 ^= k2;
    h2 = rotl(h2, 17) + h3;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(rotl(Math.imul(k3, C3), 17), C4);
    h3 ^= k3;
    h3 = rotl(h3, 15) + h4;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(rotl(Math.imul(k4, C4), 18), C1);
    h4 ^= k4;
    h4 = rotl(h4, 13) + h1;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }

  // Tail: up to 15 bytes, little-endian into lanes k1..k4 (the reference code's switch fall-through,
  // written as ifs because the project forbids fall-through cases).
  const tail = len - blocks;
  const lane = (n: number): number => {
    let k = 0;
    for (let b = Math.min(tail, n * 4 + 4) - 1; b >= n * 4; b--) k = (k << 8) | (bytes[blocks + b] ?? 0);
    return k;
  };
  if (tail > 12) h4 ^= Math.imul(rotl(Math.imul(lane(3), C4), 18), C1);
  if (tail > 8) h3 ^= Math.imul(rotl(Math.imul(lane(2), C3), 17), C4);
  if (tail > 4) h2 ^= Math.imul(rotl(Math.imul(lane(1), C2), 16), C3);
  if (tail > 0) h1 ^= Math.imul(rotl(Math.imul(lane(0), C1), 15), C2);

  h1 ^= len;
  h2 ^= len;
  h3 ^= len;
  h4 ^= len;

  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;

  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);

  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;

  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}
