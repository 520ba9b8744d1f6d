/**
 * The generators' copy-free check (src/core/generate/exact-decision.ts): it may only say "exact" for
 * a decision DecisionSchema accepts and would parse into an equal object with keys in the same order;
 * prepareBatch then keeps the caller's object, and anything else still goes through zod.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareBatch } from '../../src/core/generate/common.js';
import { exactDecision } from '../../src/core/generate/exact-decision.js';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import { type Decision, DecisionSchema } from '../../src/core/model/decision.js';
import { SourcePositionSchema } from '../../src/core/model/shipment-event.js';
import { GOLDEN_ROOT, goldenCases, readJson } from './golden-support.js';

const CHANNEL_GROUPS = [
  'truck-x12-350',
  'carrier-x12-350',
  'truck-cusres',
  'air-camir-fsn',
  'air-camir-fer',
  'broker-abi-sx',
  'broker-abi-so',
  'report',
];

/** The golden batches, their decisions as written by hand (optional fields last: not exact). */
const written: OutboundBatch[] = CHANNEL_GROUPS.flatMap((group) =>
  goldenCases(group).map(
    (c) => readJson<{ batch: OutboundBatch }>(join(GOLDEN_ROOT, group, c.name, 'input.json')).batch,
  ),
);
/** The same batches with each decision in the form our core makes and the store reads back. */
const batches: OutboundBatch[] = written.map((b) => ({
  ...b,
  decisions: b.decisions.map((d) => JSON.parse(JSON.stringify(DecisionSchema.parse(d))) as Decision),
}));
/** The decisions the golden replay's core made, as its journal (and the store's rows) hold them. */
const decisions: Decision[] = readFileSync(join(GOLDEN_ROOT, 'replay', 'decisions.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as Decision);

function profile() {
  const p = resolvePartnerProfile({});
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.profile;
}

/** zod's verdict and, when it accepts, its output as JSON text (schema key order). */
function zodParse(raw: unknown): string | undefined {
  const parsed = DecisionSchema.safeParse(raw);
  return parsed.success ? JSON.stringify(parsed.data) : undefined;
}

/** The property the fast path rests on: exact ⇒ zod accepts, and its parse is the same text. */
function expectSound(raw: unknown): void {
  if (exactDecision(raw)) expect(zodParse(raw)).toBe(JSON.stringify(raw));
}

/** Values of every kind and edge the fields' schemas draw lines at. */
const SAMPLES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'KL0643',
  '5X123A',
  'kl0643',
  'KL06435',
  0,
  -0,
  1,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  {},
  [],
  'truck',
  'air',
  'report',
  'truck-x12-350',
  'crossing',
  'release2',
  'x12',
  'edifact',
  'P',
  'T',
  '1',
];

describe('exactDecision', () => {
  it('accepts the decisions the core made (golden replay), and zod parses each into the same text', () => {
    expect(decisions.length).toBeGreaterThan(10);
    for (const d of [...decisions, ...batches.flatMap((b) => b.decisions)]) {
      expect(exactDecision(d)).toBe(true);
      expect(zodParse(d)).toBe(JSON.stringify(d));
    }
  });

  it('never calls exact a decision with any one field (or cause field) replaced by another value', () => {
    // Bases with and without the optional fields (entry number, pieces, port, flight, usage).
    const bases = [decisions[0] as Decision, ...batches.map((b) => b.decisions[0] as Decision)];
    expect(bases.some((b) => b.flight !== undefined)).toBe(true);
    let exact = 0;
    for (const base of bases) {
      for (const key of Object.keys(DecisionSchema.shape)) {
        for (const v of SAMPLES) {
          expectSound({ ...base, [key]: v });
          if (exactDecision({ ...base, [key]: v })) exact++;
        }
      }
      for (const key of Object.keys(SourcePositionSchema.shape)) {
        for (const v of SAMPLES) expectSound({ ...base, cause: { ...base.cause, [key]: v } });
      }
    }
    expect(exact).toBeGreaterThan(bases.length); // the samples do include valid replacements
  });

  it('is not exact for keys out of schema order, an extra key, a missing field, or a class instance', () => {
    const d = decisions[0] as Decision;
    const { seq, ...rest } = d;
    expect(exactDecision({ seq, ...rest })).toBe(false); // zod accepts it: the slow path copies it
    expect(exactDecision({ ...d, extra: 1 })).toBe(false);
    expect(exactDecision(rest)).toBe(false);
    expect(exactDecision({ ...d, entryNumber: undefined })).toBe(false);
    expect(exactDecision(Object.assign(Object.create({ inherited: 1 }), d))).toBe(false);
    const { file, ...causeRest } = d.cause;
    expect(exactDecision({ ...d, cause: { ...causeRest, file } })).toBe(false);
  });

  it('holds for arbitrary edits: a key deleted, set to anything, or added', () => {
    const keys = [...Object.keys(DecisionSchema.shape), 'extra'];
    fc.assert(
      fc.property(
        fc.constantFrom(...decisions),
        fc.array(
          fc.tuple(fc.constantFrom(...keys), fc.option(fc.anything(), { nil: undefined }), fc.boolean()),
          {
            maxLength: 3,
          },
        ),
        (d, edits) => {
          const o: Record<string, unknown> = { ...d };
          for (const [key, value, remove] of edits) {
            if (remove) delete o[key];
            else o[key] = value;
          }
          expectSound(o);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('prepareBatch with exact decisions', () => {
  it('keeps the caller’s own decision objects (no copy) and sends the same file', () => {
    for (const batch of batches) {
      const prep = prepareBatch(batch);
      expect(prep.decisions.length).toBeGreaterThan(0);
      for (const d of prep.decisions) expect(batch.decisions).toContain(d);
    }
  });

  it('a decision in another key order is still accepted, as zod’s copy in schema order', () => {
    const batch = batches.find((b) => b.channel === 'report') as OutboundBatch;
    // Hand-written fixtures put optional fields last: the slow path, as before.
    expect(written.flatMap((b) => b.decisions).filter((d) => !exactDecision(d)).length).toBeGreaterThan(0);
    const [first, ...others] = batch.decisions as [Decision, ...Decision[]];
    const { seq, ...rest } = first;
    const reordered = { seq, ...rest } as Decision;
    const prep = prepareBatch({ ...batch, decisions: [reordered, ...others] });
    const kept = prep.decisions.find((d) => d.decisionId === first.decisionId);
    expect(kept).not.toBe(reordered);
    expect(JSON.stringify(kept)).toBe(JSON.stringify(first));
    const file = generateOutbound({ ...batch, decisions: [reordered, ...others] }, profile());
    expect(file.ok).toBe(true);
    expect(file.content).not.toBe('');
    expect(file.content).toBe(generateOutbound(batch, profile()).content);
  });

  it('a wrong decision still gives GENERATE_DECISION_MISMATCH with zod’s message', () => {
    const batch = batches[0] as OutboundBatch;
    const bad = { ...(batch.decisions[0] as Decision), seq: -1 };
    const prep = prepareBatch({ ...batch, decisions: [bad] });
    expect(prep.decisions).toEqual([]);
    const message = DecisionSchema.safeParse(bad).error?.issues[0]?.message;
    expect(message).toBeTruthy();
    expect(prep.issues.map((i) => [i.code, i.message])).toEqual([
      ['GENERATE_DECISION_MISMATCH', `decision #0 is not a valid decision: ${message}`],
    ]);
  });
});
