/**
 * Mutations as data: each one is a small JSON value, so a failing case is described exactly (and
 * replayable) in its regression file, the fast-check arbitraries and the seeded PRNG produce the same
 * shapes, and fast-check can shrink them. Positions are taken modulo what they index, so any integer
 * is valid for any input.
 */
import { concatBytes, indexOfBytes, utf8Bytes } from './bytes.js';
import { type DelimiterRole, delimiterBytes, describeShape, type EdiShape } from './edi-shape.js';
import { createRng, type Rng } from './prng.js';

export const DELIMITER_ROLES: readonly DelimiterRole[] = [
  'element',
  'component',
  'segment',
  'release',
  'repetition',
];

export type HugeFill = 'ascii' | 'digits' | 'utf8' | 'released' | 'random' | 'spaces';
export const HUGE_FILLS: readonly HugeFill[] = ['ascii', 'digits', 'utf8', 'released', 'random', 'spaces'];

/** Values that stress the normalizers (amounts, dates, codes, ids) when put into an element. */
export const INTERESTING_VALUES: readonly string[] = [
  '',
  ' ',
  '0',
  '-1',
  '-0.00',
  '1E999',
  '99999999999999999999999999999999999999',
  '0.0000000000000000000001',
  '1,5',
  '1.2.3',
  'NaN',
  'Infinity',
  '20251340',
  '20250229',
  '00000000',
  '991231',
  '2460',
  '9999',
  'USD',
  'XXX',
  'eur',
  'ZZ',
  '__proto__',
  'constructor',
  '\u00e9\u00e8\u00ea',
  '\u4e2d\u6587',
  '\ud83d\ude00',
  'A'.repeat(300),
  '1'.repeat(40),
];

export type MutationOp =
  /** Cut the input at byte `at` (mod length + 1). */
  | { kind: 'truncate'; at: number }
  /** XOR one byte with `mask` (1..255). */
  | { kind: 'flip'; at: number; mask: number }
  /** Insert `count` copies of one of the input's own delimiters. */
  | { kind: 'insertDelimiter'; at: number; role: DelimiterRole; count: number }
  /** Delete the `nth` occurrence (mod occurrences) of a delimiter. */
  | { kind: 'deleteDelimiter'; nth: number; role: DelimiterRole }
  | { kind: 'duplicateSegment'; nth: number; times: number }
  | { kind: 'dropSegment'; nth: number }
  | { kind: 'moveSegment'; from: number; to: number }
  /** Append an element of `size` bytes to segment `nth` (up to a few MB). */
  | { kind: 'hugeElement'; nth: number; size: number; fill: HugeFill }
  /** Replace element `element` of segment `nth` with a stress value. */
  | { kind: 'replaceElement'; nth: number; element: number; value: number }
  /** Insert `length` random bytes (from `seed`). */
  | { kind: 'garbage'; at: number; length: number; seed: number }
  /** Replace the whole input by random bytes (from `seed`), optionally behind a real header. */
  | { kind: 'randomInput'; length: number; seed: number; keepHead: number }
  /** Insert (all or part of) another seed file: two interchanges in one file, mixed standards. */
  | { kind: 'spliceSeed'; at: number; other: number; part: number };

export interface MutationContext {
  /** The other seeds, for spliceSeed. */
  seeds: readonly Uint8Array[];
}

const mod = (n: number, m: number): number => (m <= 0 ? 0 : ((n % m) + m) % m);

function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  // Mostly printable with some control and high bytes, so that random runs still hit delimiters.
  for (let i = 0; i < length; i++) {
    const r = rng.int(10);
    out[i] = r < 7 ? 0x20 + rng.int(95) : r < 8 ? rng.int(32) : 0x80 + rng.int(128);
  }
  return out;
}

function fillBytes(shape: EdiShape, fill: HugeFill, size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  switch (fill) {
    case 'ascii':
      for (let i = 0; i < size; i++) out[i] = 0x41 + (i % 26);
      return out;
    case 'digits':
      for (let i = 0; i < size; i++) out[i] = 0x31 + (i % 9);
      return out;
    case 'spaces':
      return out.fill(0x20);
    case 'utf8': {
      // 'é' (2 bytes) and '…' (3 bytes) alternating; the tail is cut wherever `size` falls.
      const unit = utf8Bytes('\u00e9\u2026');
      for (let i = 0; i < size; i++) out[i] = unit[i % unit.length] as number;
      return out;
    }
    case 'released': {
      // Release char + a delimiter, repeated: all escaped data, no real boundary inside.
      const rel = delimiterBytes(shape, 'release');
      const unit = concatBytes([rel, shape.segment, rel, shape.element, rel, rel]);
      for (let i = 0; i < size; i++) out[i] = unit[i % unit.length] as number;
      return out;
    }
    case 'random':
      return randomBytes(createRng(seed), size);
  }
}

function occurrences(bytes: Uint8Array, needle: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = indexOfBytes(bytes, needle); i >= 0; i = indexOfBytes(bytes, needle, i + needle.length))
    out.push(i);
  return out;
}

/** Applies one mutation. Pure: the result is a new array (or the input when nothing applies). */
export function applyMutation(
  bytes: Uint8Array,
  op: MutationOp,
  ctx: MutationContext,
  shape = describeShape(bytes),
): Uint8Array {
  const len = bytes.length;
  const segs = shape.segments;
  switch (op.kind) {
    case 'truncate':
      return bytes.slice(0, mod(op.at, len + 1));
    case 'flip': {
      if (len === 0) return bytes;
      // Uint8Array.from, not slice(): on a Buffer (seeds come from readFileSync) slice() is a view.
      const out = Uint8Array.from(bytes);
      const at = mod(op.at, len);
      out[at] = (out[at] as number) ^ (mod(op.mask, 255) + 1);
      return out;
    }
    case 'insertDelimiter': {
      const at = mod(op.at, len + 1);
      const d = delimiterBytes(shape, op.role);
      const ins = concatBytes(Array.from({ length: Math.max(1, Math.min(op.count, 64)) }, () => d));
      return concatBytes([bytes.subarray(0, at), ins, bytes.subarray(at)]);
    }
    case 'deleteDelimiter': {
      const d = delimiterBytes(shape, op.role);
      const found = occurrences(bytes, d);
      if (found.length === 0) return bytes;
      const at = found[mod(op.nth, found.length)] as number;
      return concatBytes([bytes.subarray(0, at), bytes.subarray(at + d.length)]);
    }
    case 'duplicateSegment': {
      if (segs.length === 0) return bytes;
      const [s, e] = segs[mod(op.nth, segs.length)] as [number, number];
      const copies = Array.from({ length: Math.max(1, Math.min(op.times, 1000)) }, () =>
        bytes.subarray(s, e),
      );
      return concatBytes([bytes.subarray(0, e), ...copies, bytes.subarray(e)]);
    }
    case 'dropSegment': {
      if (segs.length === 0) return bytes;
      const [s, e] = segs[mod(op.nth, segs.length)] as [number, number];
      return concatBytes([bytes.subarray(0, s), bytes.subarray(e)]);
    }
    case 'moveSegment': {
      if (segs.length < 2) return bytes;
      const [s, e] = segs[mod(op.from, segs.length)] as [number, number];
      const rest = concatBytes([bytes.subarray(0, s), bytes.subarray(e)]);
      const restShape = describeShape(rest);
      const target = restShape.segments[mod(op.to, restShape.segments.length)];
      const at = target === undefined ? rest.length : target[0];
      return concatBytes([rest.subarray(0, at), bytes.subarray(s, e), rest.subarray(at)]);
    }
    case 'hugeElement': {
      const size = Math.max(1, Math.min(op.size, 8 << 20));
      const data = fillBytes(shape, op.fill, size, op.nth);
      if (segs.length === 0) return concatBytes([bytes, shape.element, data]);
      const [s, e] = segs[mod(op.nth, segs.length)] as [number, number];
      const terminated =
        e - s >= shape.segment.length &&
        indexOfBytes(bytes.subarray(e - shape.segment.length, e), shape.segment) === 0;
      const at = terminated ? e - shape.segment.length : e;
      return concatBytes([bytes.subarray(0, at), shape.element, data, bytes.subarray(at)]);
    }
    case 'replaceElement': {
      if (segs.length === 0) return bytes;
      const [s, e] = segs[mod(op.nth, segs.length)] as [number, number];
      const seps = occurrences(bytes.subarray(s, e), shape.element).map((i) => i + s);
      if (seps.length === 0) return bytes;
      const k = mod(op.element, seps.length);
      const from = (seps[k] as number) + shape.element.length;
      let to = k + 1 < seps.length ? (seps[k + 1] as number) : e;
      if (
        k + 1 >= seps.length &&
        indexOfBytes(bytes.subarray(e - shape.segment.length, e), shape.segment) === 0
      ) {
        to = e - shape.segment.length;
      }
      if (to < from) return bytes;
      const value = utf8Bytes(INTERESTING_VALUES[mod(op.value, INTERESTING_VALUES.length)] as string);
      return concatBytes([bytes.subarray(0, from), value, bytes.subarray(to)]);
    }
    case 'garbage': {
      const at = mod(op.at, len + 1);
      const junk = randomBytes(createRng(op.seed), Math.max(1, Math.min(op.length, 1 << 20)));
      return concatBytes([bytes.subarray(0, at), junk, bytes.subarray(at)]);
    }
    case 'randomInput': {
      const head = bytes.subarray(0, mod(op.keepHead, Math.min(len, 200) + 1));
      return concatBytes([head, randomBytes(createRng(op.seed), Math.max(0, Math.min(op.length, 1 << 20)))]);
    }
    case 'spliceSeed': {
      const other = ctx.seeds[mod(op.other, ctx.seeds.length)];
      if (other === undefined) return bytes;
      const at = mod(op.at, len + 1);
      // part 0: the whole other file; otherwise a prefix of it (a truncated interchange inside).
      const piece = op.part === 0 ? other : other.subarray(0, mod(op.part, other.length + 1));
      return concatBytes([bytes.subarray(0, at), piece, bytes.subarray(at)]);
    }
  }
}

/** Applies mutations in order, each on the previous result (its shape recomputed). */
export function applyMutations(
  bytes: Uint8Array,
  ops: readonly MutationOp[],
  ctx: MutationContext,
): Uint8Array {
  let out = bytes;
  for (const op of ops) out = applyMutation(out, op, ctx);
  return out;
}

/** A random mutation from the PRNG; `maxHuge` bounds hugeElement sizes (the suite keeps them small). */
export function randomMutation(rng: Rng, inputLength: number, maxHuge: number): MutationOp {
  const at = rng.int(inputLength + 1);
  const nth = rng.int(1 << 16);
  switch (rng.int(13)) {
    case 0:
      return { kind: 'truncate', at };
    case 1:
    case 2:
      return { kind: 'flip', at, mask: 1 + rng.int(255) };
    case 3:
      return { kind: 'insertDelimiter', at, role: rng.pick(DELIMITER_ROLES), count: rng.smallInt(1, 8) };
    case 4:
      return { kind: 'deleteDelimiter', nth, role: rng.pick(DELIMITER_ROLES) };
    case 5:
      return { kind: 'duplicateSegment', nth, times: rng.smallInt(1, 200) };
    case 6:
      return { kind: 'dropSegment', nth };
    case 7:
      return { kind: 'moveSegment', from: nth, to: rng.int(1 << 16) };
    case 8: {
      // Mostly long-but-ordinary values; one in eight up to `maxHuge` (the costly, MB-sized ones).
      const size = rng.chance(0.125)
        ? rng.smallInt(64 << 10, maxHuge)
        : rng.smallInt(1, Math.min(maxHuge, 64 << 10));
      return { kind: 'hugeElement', nth, size, fill: rng.pick(HUGE_FILLS) };
    }
    case 9:
    case 10:
      return { kind: 'replaceElement', nth, element: rng.int(32), value: rng.int(INTERESTING_VALUES.length) };
    case 11:
      return rng.chance(0.8)
        ? { kind: 'garbage', at, length: rng.smallInt(1, 4096), seed: rng.next() }
        : { kind: 'randomInput', length: rng.smallInt(0, 65536), seed: rng.next(), keepHead: rng.int(201) };
    default:
      return {
        kind: 'spliceSeed',
        at,
        other: rng.int(1 << 16),
        part: rng.chance(0.5) ? 0 : rng.int(1 << 20),
      };
  }
}
