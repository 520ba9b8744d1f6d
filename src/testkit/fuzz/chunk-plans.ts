/**
 * Chunk plans: the same bytes fed to a reader in different pieces. The readers promise that a chunk
 * may end anywhere (inside a delimiter, right after a release character, inside a UTF-8 character),
 * so every plan must give the same report as one whole chunk.
 */
import type { EdiShape } from './edi-shape.js';
import { createRng } from './prng.js';

export type ChunkPlan =
  | { kind: 'whole' }
  /** Fixed-size pieces (size 1 = byte by byte). */
  | { kind: 'fixed'; size: number }
  /** `cuts` random cut points from `seed`. */
  | { kind: 'random'; seed: number; cuts: number }
  /** A cut right after every release character (the escape is pending across the boundary). */
  | { kind: 'afterRelease' }
  /** A cut after the first byte of every multi-byte UTF-8 sequence (and of stray high bytes). */
  | { kind: 'insideUtf8' }
  /** A cut right before and right after every delimiter byte. */
  | { kind: 'aroundDelimiters' };

/** Default most pieces a plan may produce; beyond it the plan degrades to evenly spread cuts (keeps runs bounded). */
export const MAX_PIECES = 200_000;

function byCuts(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const sorted = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of sorted) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
}

function capped(bytes: Uint8Array, cuts: number[], maxPieces: number): Uint8Array[] {
  if (cuts.length <= maxPieces) return byCuts(bytes, cuts);
  const step = cuts.length / maxPieces;
  const kept: number[] = [];
  for (let i = 0; i < maxPieces; i++) kept.push(cuts[Math.floor(i * step)] as number);
  return byCuts(bytes, kept);
}

export function chunksOf(
  bytes: Uint8Array,
  plan: ChunkPlan,
  shape: EdiShape,
  maxPieces = MAX_PIECES,
): Uint8Array[] {
  switch (plan.kind) {
    case 'whole':
      return [bytes];
    case 'fixed': {
      const size = Math.max(1, Math.floor(plan.size), Math.ceil(bytes.length / maxPieces));
      const out: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
      return out.length === 0 ? [bytes] : out;
    }
    case 'random': {
      const rng = createRng(plan.seed);
      const cuts = Array.from({ length: Math.min(plan.cuts, maxPieces) }, () => rng.int(bytes.length));
      return byCuts(bytes, cuts);
    }
    case 'afterRelease': {
      const rel = shape.release?.[0] ?? 0x3f;
      const cuts: number[] = [];
      for (let i = bytes.indexOf(rel); i >= 0; i = bytes.indexOf(rel, i + 1)) cuts.push(i + 1);
      return capped(bytes, cuts, maxPieces);
    }
    case 'insideUtf8': {
      const cuts: number[] = [];
      for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) cuts.push(i + 1);
      return capped(bytes, cuts, maxPieces);
    }
    case 'aroundDelimiters': {
      const set = new Set<number>();
      for (const d of [shape.element, shape.component, shape.segment, shape.release, shape.repetition]) {
        if (d !== null) for (const b of d) set.add(b);
      }
      const cuts: number[] = [];
      for (let i = 0; i < bytes.length; i++) {
        if (set.has(bytes[i] as number)) cuts.push(i, i + 1);
      }
      return capped(bytes, cuts, maxPieces);
    }
  }
}

export function describePlan(plan: ChunkPlan): string {
  switch (plan.kind) {
    case 'fixed':
      return `fixed(${plan.size})`;
    case 'random':
      return `random(${plan.cuts} cuts, seed ${plan.seed})`;
    default:
      return plan.kind;
  }
}
