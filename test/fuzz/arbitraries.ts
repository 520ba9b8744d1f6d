/** fast-check arbitraries producing the same data as the script's PRNG (src/testkit/fuzz), so shrinkable. */
import fc from 'fast-check';
import type { ChunkPlan } from '../../src/testkit/fuzz/chunk-plans.js';
import {
  DELIMITER_ROLES,
  HUGE_FILLS,
  INTERESTING_VALUES,
  type MutationOp,
} from '../../src/testkit/fuzz/mutations.js';

const pos = fc.nat({ max: 1 << 20 });
const role = fc.constantFrom(...DELIMITER_ROLES);
const k = <K extends MutationOp['kind']>(kind: K) => fc.constant(kind);

export function mutationArb(maxHuge: number): fc.Arbitrary<MutationOp> {
  return fc.oneof(
    fc.record({ kind: k('truncate'), at: pos }),
    { weight: 2, arbitrary: fc.record({ kind: k('flip'), at: pos, mask: fc.integer({ min: 1, max: 255 }) }) },
    fc.record({ kind: k('insertDelimiter'), at: pos, role, count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: k('deleteDelimiter'), nth: pos, role }),
    fc.record({ kind: k('duplicateSegment'), nth: pos, times: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ kind: k('dropSegment'), nth: pos }),
    fc.record({ kind: k('moveSegment'), from: pos, to: pos }),
    fc.record({
      kind: k('hugeElement'),
      nth: pos,
      size: fc.integer({ min: 1, max: maxHuge }),
      fill: fc.constantFrom(...HUGE_FILLS),
    }),
    {
      weight: 2,
      arbitrary: fc.record({
        kind: k('replaceElement'),
        nth: pos,
        element: fc.nat({ max: 31 }),
        value: fc.nat({ max: INTERESTING_VALUES.length - 1 }),
      }),
    },
    fc.record({ kind: k('garbage'), at: pos, length: fc.integer({ min: 1, max: 4096 }), seed: fc.nat() }),
    fc.record({
      kind: k('randomInput'),
      length: fc.nat({ max: 65536 }),
      seed: fc.nat(),
      keepHead: fc.nat({ max: 200 }),
    }),
    fc.record({ kind: k('spliceSeed'), at: pos, other: fc.nat(), part: fc.oneof(fc.constant(0), pos) }),
  );
}

export const planArb: fc.Arbitrary<ChunkPlan> = fc.oneof(
  fc.constant<ChunkPlan>({ kind: 'fixed', size: 1 }),
  fc.integer({ min: 2, max: 65536 }).map((size): ChunkPlan => ({ kind: 'fixed', size })),
  fc.record({
    kind: fc.constant('random' as const),
    seed: fc.nat(),
    cuts: fc.integer({ min: 1, max: 4096 }),
  }),
  fc.constant<ChunkPlan>({ kind: 'afterRelease' }),
  fc.constant<ChunkPlan>({ kind: 'insideUtf8' }),
  fc.constant<ChunkPlan>({ kind: 'aroundDelimiters' }),
);
