/**
 * A fuzz case is (seed file, mutations, mode, chunk plans): plain data, so it is printed, stored
 * next to a failing input and replayed exactly. `randomCase` draws one from a 32-bit case seed.
 */
import type { ChunkPlan } from './chunk-plans.js';
import { applyMutations, type MutationOp, randomMutation } from './mutations.js';
import { createRng, type Rng } from './prng.js';
import type { FuzzInput } from './properties.js';

export interface SeedFile {
  /** Path relative to the repository (or ../shared/corpus/...). */
  name: string;
  bytes: Uint8Array;
}

export interface FuzzCase {
  /** Index into the seed list. */
  seed: number;
  ops: MutationOp[];
  strict: boolean;
  plans: ChunkPlan[];
  /** Reader segment limit when not the default (1 MiB). */
  maxSegmentLength?: number;
}

export interface CaseLimits {
  /** Largest hugeElement, in bytes. */
  maxHuge: number;
  /** Most mutations stacked on one seed. */
  maxOps: number;
  /** Inputs up to this size are also fed byte by byte. */
  byteByByteUpTo: number;
}

export const SCRIPT_LIMITS: CaseLimits = { maxHuge: 4 << 20, maxOps: 4, byteByByteUpTo: 256 << 10 };

/** Two plans per case: a fixed size (1 byte for small inputs), and one of the targeted splits. */
export function randomPlans(rng: Rng, approxLength: number, limits: CaseLimits): ChunkPlan[] {
  const fixed: ChunkPlan =
    approxLength <= limits.byteByByteUpTo && rng.chance(0.2)
      ? { kind: 'fixed', size: 1 }
      : { kind: 'fixed', size: rng.smallInt(2, 1 << 16) };
  const targeted: ChunkPlan = rng.pick<ChunkPlan>([
    { kind: 'random', seed: rng.next(), cuts: rng.smallInt(1, 4096) },
    { kind: 'afterRelease' },
    { kind: 'insideUtf8' },
    { kind: 'aroundDelimiters' },
  ]);
  return [fixed, targeted];
}

export function randomCase(caseSeed: number, seeds: readonly SeedFile[], limits: CaseLimits): FuzzCase {
  const rng = createRng(caseSeed);
  // The project fixtures hold the message types s321 normalizes (309, 350, CUSCAR, CUSRES); most
  // corpus files do not, so fixtures are preferred to give the normalizers real work.
  const preferred = seeds.flatMap((s, i) => (s.name.startsWith('fixtures/') ? [i] : []));
  const seed = preferred.length > 0 && rng.chance(0.6) ? rng.pick(preferred) : rng.int(seeds.length);
  const length = seeds[seed]?.bytes.length ?? 0;
  // A few cases keep the seed as is (the split properties on real files), most mutate it.
  const count = rng.chance(0.05) ? 0 : rng.smallInt(1, limits.maxOps);
  const ops: MutationOp[] = [];
  for (let i = 0; i < count; i++) ops.push(randomMutation(rng, length, limits.maxHuge));
  const grows = ops.some((o) => o.kind === 'hugeElement' || o.kind === 'duplicateSegment');
  const strict = rng.chance(0.3);
  const plans = randomPlans(rng, grows ? limits.byteByByteUpTo + 1 : length, limits);
  // One case in six gets a small segment limit, so the oversized-segment paths run on small inputs.
  return rng.chance(1 / 6)
    ? { seed, ops, strict, plans, maxSegmentLength: rng.smallInt(1, 4096) }
    : { seed, ops, strict, plans };
}

export function caseInput(c: FuzzCase, seeds: readonly SeedFile[]): FuzzInput {
  const seed = seeds[c.seed % seeds.length] as SeedFile;
  const bytes = applyMutations(seed.bytes, c.ops, { seeds: seeds.map((s) => s.bytes) });
  const input: FuzzInput = { bytes, name: 'fuzz.edi', strict: c.strict, plans: c.plans };
  if (c.maxSegmentLength !== undefined) input.maxSegmentLength = c.maxSegmentLength;
  return input;
}
