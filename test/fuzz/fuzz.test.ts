/**
 * Bounded fuzzing inside the suite (the open-ended run is `npm run fuzz`). Every case goes through
 * checkInput (src/testkit/fuzz/properties.ts): no throw, time and heap bounds, positioned rejections,
 * no silent "ok" without messages, identical inspect reports and intake outcomes (events, issues,
 * fingerprints) whatever the chunk split, inspect and intake in agreement, well-formed issues and
 * schema-valid events. Seeds: every file of ../shared/corpus (read in place) and every
 * fixtures/**\/input.edi. Inputs stay small here (a byte-by-byte pass costs a few µs per byte);
 * MB-sized elements are fed in large chunks, and the script covers the rest.
 */
import v8 from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultNormalizers } from '../../src/app/normalizers.js';
import type { MessageNormalizerLike } from '../../src/core/pipeline/outcome.js';
import { caseInput, type FuzzCase } from '../../src/testkit/fuzz/cases.js';
import type { ChunkPlan } from '../../src/testkit/fuzz/chunk-plans.js';
import type { IntakeNormalizers } from '../../src/testkit/fuzz/intake.js';
import { applyMutation } from '../../src/testkit/fuzz/mutations.js';
import {
  type CheckEnv,
  checkInput,
  DEFAULT_HEAP_LIMIT,
  DEFAULT_TIME_LIMIT_MS,
  type FuzzInput,
  inspectChunks,
  messageHeaderCount,
  type Violation,
} from '../../src/testkit/fuzz/properties.js';
import { FUZZ_RATES } from '../../src/testkit/fuzz/rates.js';
import { mutationArb, planArb } from './arbitraries.js';
import { forceGc, loadRegressions, loadSeeds } from './seeds.js';

const seeds = loadSeeds();
const gc = forceGc();
const heap = (): number => v8.getHeapStatistics().used_heap_size;
const normalizers = defaultNormalizers({ rates: FUZZ_RATES });

function env(options: { measureHeap?: boolean; normalizers?: IntakeNormalizers } = {}): CheckEnv {
  return {
    normalizers: options.normalizers ?? normalizers,
    now: () => performance.now(),
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    heapLimitBytes: DEFAULT_HEAP_LIMIT,
    ...(options.measureHeap === true
      ? {
          settledHeap: () => {
            gc();
            return heap();
          },
          heapUsed: heap,
        }
      : {}),
  };
}

/** Property body for fast-check: fails with every violation listed. */
function holds(input: FuzzInput, e: CheckEnv = env()): void {
  const { violations } = checkInput(input, e);
  if (violations.length > 0) {
    throw new Error(
      `${violations.length} violation(s) on ${input.bytes.length} bytes:\n${violations.map((v) => `${v.property} [${v.pass ?? ''}] ${v.message}${v.stack !== undefined ? `\n${v.stack}` : ''}`).join('\n')}`,
    );
  }
}

const caseArb = (maxHuge: number, maxOps: number): fc.Arbitrary<FuzzCase> =>
  fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    ops: fc.array(mutationArb(maxHuge), { minLength: 1, maxLength: maxOps }),
    strict: fc.boolean(),
    plans: fc.tuple(planArb, planArb).map((p): ChunkPlan[] => [...p]),
  });

/** Small reader segment limits reach the oversized-segment paths (across chunk boundaries) on small inputs. */
const smallLimitArb = (maxHuge: number): fc.Arbitrary<[FuzzCase, number]> =>
  fc.tuple(caseArb(maxHuge, 3), fc.integer({ min: 1, max: 4096 }));

describe('fuzz seeds', () => {
  it('has every corpus row and every fixture input', () => {
    expect(seeds.filter((s) => s.name.startsWith('../shared/corpus/')).length).toBe(70);
    expect(seeds.filter((s) => s.name.startsWith('fixtures/')).length).toBeGreaterThanOrEqual(26);
  });

  it('every seed as is, in both modes, split byte by byte, around delimiters, inside UTF-8 and after release chars', () => {
    const failures: string[] = [];
    for (const seed of seeds) {
      for (const strict of [false, true]) {
        const plans: ChunkPlan[] = strict
          ? [{ kind: 'fixed', size: 3 }, { kind: 'afterRelease' }]
          : [{ kind: 'fixed', size: 1 }, { kind: 'aroundDelimiters' }, { kind: 'insideUtf8' }];
        const { violations } = checkInput({ bytes: seed.bytes, name: seed.name, strict, plans }, env());
        for (const v of violations)
          failures.push(`${seed.name} strict=${strict}: ${v.property} [${v.pass ?? ''}] ${v.message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('fuzz properties on mutated seeds', () => {
  it('mixed mutations (truncation, flips, delimiters, segments, values, garbage, splices) with random chunk splits', () => {
    fc.assert(
      fc.property(caseArb(32 << 10, 4), (c) => holds({ ...caseInput(c, seeds), maxPieces: 20_000 })),
      { numRuns: 1500, seed: 321_2025, endOnFailure: true },
    );
  });

  it('the same with a small segment limit (1..4096 bytes): oversized segments across chunk boundaries', () => {
    fc.assert(
      fc.property(smallLimitArb(16 << 10), ([c, maxSegmentLength]) =>
        holds({ ...caseInput(c, seeds), maxSegmentLength, maxPieces: 20_000 }),
      ),
      { numRuns: 500, seed: 1_048_576, endOnFailure: true },
    );
  });

  it('single mutations on the normalized message types (fixture seeds), byte by byte', () => {
    const fixtures = seeds.flatMap((s, i) => (s.name.startsWith('fixtures/') ? [i] : []));
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        mutationArb(4096),
        fc.boolean(),
        planArb,
        (seed, op, strict, plan) =>
          holds({
            ...caseInput({ seed, ops: [op], strict, plans: [{ kind: 'fixed', size: 1 }, plan] }, seeds),
            maxPieces: 20_000,
          }),
      ),
      { numRuns: 600, seed: 309_350, endOnFailure: true },
    );
  });

  it('random bytes, alone and behind an ISA, UNA or UNB', () => {
    const heads = ['', 'ISA*', "UNA:+.? '", 'UNB+UNOA:3+', '\u00ef\u00bb\u00bfUNB+', ' \r\nISA'];
    fc.assert(
      fc.property(
        fc.constantFrom(...heads),
        fc.uint8Array({ maxLength: 2048 }),
        fc.boolean(),
        planArb,
        (head, tail, strict, plan) => {
          const bytes = new Uint8Array([...Buffer.from(head, 'latin1'), ...tail]);
          holds({ bytes, name: 'garbage.edi', strict, plans: [{ kind: 'fixed', size: 1 }, plan] });
        },
      ),
      { numRuns: 600, seed: 4242, endOnFailure: true },
    );
  });

  it('elements of up to 2.5 MB, fed in 64 KiB chunks and at a few random cuts, with bounded heap', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.integer({ min: 512 << 10, max: 2560 << 10 }),
        mutationArb(1).filter((op) => op.kind === 'hugeElement'),
        fc.nat(),
        (seed, size, op, cutSeed) => {
          const huge = op.kind === 'hugeElement' ? { ...op, size } : op;
          const input = caseInput(
            {
              seed,
              ops: [huge],
              strict: false,
              plans: [
                { kind: 'fixed', size: 65536 },
                { kind: 'random', seed: cutSeed, cuts: 12 },
              ],
            },
            seeds,
          );
          holds(input, env({ measureHeap: true }));
        },
      ),
      { numRuns: 12, seed: 2_500_000, endOnFailure: true },
    );
  });
});

describe('the checker catches what it claims to', () => {
  const x12 = seeds.find((s) => s.name === 'fixtures/x12/309/truck-s321/input.edi') as { bytes: Uint8Array };
  const plans: ChunkPlan[] = [{ kind: 'fixed', size: 5 }];
  const props = (vs: Violation[]): string[] => [...new Set(vs.map((v) => v.property))].sort();
  const wrap = (
    make: (inner: MessageNormalizerLike<unknown>) => MessageNormalizerLike<unknown>,
  ): IntakeNormalizers => ({
    x12: (file) => (ic, msg) => {
      const inner = normalizers.x12(file)(ic, msg);
      return inner === undefined
        ? undefined
        : (make(inner as MessageNormalizerLike<unknown>) as ReturnType<ReturnType<IntakeNormalizers['x12']>>);
    },
    edifact: normalizers.edifact,
  });

  it('the fixture itself passes', () => {
    expect(checkInput({ bytes: x12.bytes, name: 'x.edi', strict: false, plans }, env()).violations).toEqual(
      [],
    );
  });

  it('a throwing normalizer is a no-throw violation with its stack', () => {
    const broken = wrap((inner) => ({
      segment: (s) => {
        if ((s as { tag: string }).tag === 'N1') throw new TypeError('boom');
        inner.segment(s);
      },
      finish: (r) => inner.finish(r),
    }));
    const out = checkInput(
      { bytes: x12.bytes, name: 'x.edi', strict: false, plans },
      env({ normalizers: broken }),
    );
    expect(props(out.violations)).toContain('no-throw');
    expect(out.violations.find((v) => v.property === 'no-throw')?.stack).toContain('boom');
  });

  it('output that depends on how often it ran is a chunk-invariance violation', () => {
    let runs = 0;
    const flaky = wrap((inner) => ({
      segment: (s) => inner.segment(s),
      finish: (r) => {
        const out = inner.finish(r);
        runs++;
        return { ...out, events: runs > 1 ? out.events.slice(1) : out.events };
      },
    }));
    const out = checkInput(
      { bytes: x12.bytes, name: 'x.edi', strict: false, plans },
      env({ normalizers: flaky }),
    );
    expect(props(out.violations)).toContain('chunk-invariance-intake');
  });

  it('a rejection without a position, and an event off the schema, are reported', () => {
    const sloppy = wrap((inner) => ({
      segment: (s) => inner.segment(s),
      finish: (r) => {
        const out = inner.finish(r);
        const [first] = out.events;
        return {
          ...out,
          events: first === undefined ? [] : [{ ...first, eda: 'tomorrow' }],
          rejected: [
            {
              segmentIndex: 3,
              issues: [
                { code: 'NORMALIZE_MISSING_BILL', severity: 'error' as const, message: 'no position' },
              ],
            },
          ],
        };
      },
    }));
    const out = checkInput(
      { bytes: x12.bytes, name: 'x.edi', strict: false, plans: [] },
      env({ normalizers: sloppy }),
    );
    expect(props(out.violations)).toEqual(expect.arrayContaining(['positioned-rejection', 'event-schema']));
  });

  it('counts message headers with the delimiters the reader reported', () => {
    const report = inspectChunks([x12.bytes], x12.bytes.length, 'x.edi', false);
    expect(messageHeaderCount(x12.bytes, report)).toBe(report.messages);
    const edifact = seeds.find(
      (s) => s.name === '../shared/corpus/edifact/phpedi-coarri-two-messages.edi',
    ) as { bytes: Uint8Array };
    const r2 = inspectChunks([edifact.bytes], edifact.bytes.length, 'e.edi', false);
    expect([r2.messages, messageHeaderCount(edifact.bytes, r2)]).toEqual([2, 2]);
  });

  it('mutations do what they say', () => {
    const ctx = { seeds: [] };
    expect(applyMutation(x12.bytes, { kind: 'truncate', at: 10 }, ctx).length).toBe(10);
    const dup = applyMutation(x12.bytes, { kind: 'duplicateSegment', nth: 0, times: 2 }, ctx);
    expect(Buffer.from(dup).toString('latin1').match(/ISA\*/g)?.length).toBe(3);
    const huge = applyMutation(x12.bytes, { kind: 'hugeElement', nth: 4, size: 1000, fill: 'digits' }, ctx);
    expect(huge.length).toBe(x12.bytes.length + 1001);
  });
});

describe('fuzz regressions (fixtures/fuzz-regressions/*.bin, replayed as found)', () => {
  const regressions = loadRegressions();
  it('the replay list is readable', () => {
    expect(Array.isArray(regressions)).toBe(true);
    for (const r of regressions) expect(r.bytes.length).toBe(r.record.bytes);
  });
  for (const r of regressions) {
    it(`${r.file}: ${r.record.properties.join(', ')} holds now`, () => {
      const input: FuzzInput = {
        bytes: r.bytes,
        name: 'fuzz.edi',
        strict: r.record.strict,
        plans: r.record.plans as ChunkPlan[],
      };
      if (r.record.maxSegmentLength !== undefined) input.maxSegmentLength = r.record.maxSegmentLength;
      holds(input);
    });
  }
});
