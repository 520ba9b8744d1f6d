/**
 * Seeded PRNG for the open-ended fuzz run (sfc32: small, fast, good enough statistically, and every
 * case can be replayed from its 32-bit seed). Hand-written because fast-check's generators are
 * built for shrinking property inputs, not for an endless stream of cheap, replayable cases.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** Integer in [min, max], biased towards small values (log-uniform): sizes, counts. */
  smallInt(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function createRng(seed: number): Rng {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (bound: number): number => (bound <= 1 ? 0 : Math.floor((next() / 0x1_0000_0000) * bound));
  return {
    next,
    int,
    smallInt(min, max) {
      if (max <= min) return min;
      const span = Math.log2(max - min + 1);
      return Math.min(max, min + Math.floor(2 ** ((next() / 0x1_0000_0000) * span)) - 1);
    },
    chance: (p) => next() / 0x1_0000_0000 < p,
    pick<T>(items: readonly T[]): T {
      return items[int(items.length)] as T;
    },
  };
}

/** Derives the seed of case `n` of a run from the run seed (so one case replays without the others). */
export function caseSeed(runSeed: number, n: number): number {
  let h = (runSeed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
