/**
 * Property: whatever the free text, bill, pieces and partner delimiters of the decisions, a file a
 * generator declares ok conforms to its channel's specification and re-reads cleanly in strict
 * mode; decisions it cannot carry unaltered are refused, never sent changed. Bounded: 40 runs per
 * channel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import { type Channel, ChannelSchema, type Decision } from '../../src/core/model/decision.js';
import { checkConformance } from '../../src/testkit/conformance/check.js';
import { ConformanceSpecSchema } from '../../src/testkit/conformance/spec.js';
import { goldenCases, readJson } from '../generate/golden-support.js';

const SPEC_DIR = join(import.meta.dirname, '..', '..', 'schemas', 'ace');
const CHANNELS = ChannelSchema.options.filter((c) => c !== 'report');

const textArb = fc.string({
  unit: fc.constantFrom(..."AZaz09 -/*~^>:+?'@#é\n".split(''), 'Ø', '中'),
  maxLength: 80,
});
const billArb = fc.string({ unit: fc.constantFrom(..."ABCZ0189*~'".split('')), minLength: 1, maxLength: 12 });

describe('generated files conform for arbitrary decision content', () => {
  for (const channel of CHANNELS as Channel[]) {
    const spec = ConformanceSpecSchema.parse(
      JSON.parse(readFileSync(join(SPEC_DIR, `${channel}.json`), 'utf8')),
    );
    const c = goldenCases(channel)[0];
    if (c === undefined) continue;
    const input = readJson<{ batch: OutboundBatch; partner?: unknown }>(join(c.dir, 'input.json'));
    const template = input.batch.decisions.find(
      (d) => d.channel === channel && d.recipient === input.batch.recipient,
    );
    it(`${channel}`, () => {
      if (template === undefined) throw new Error('fixture');
      fc.assert(
        fc.property(
          fc.array(fc.record({ text: textArb, bill: billArb, pieces: fc.nat(99_999) }), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.boolean(),
          (items, unaDelimiters) => {
            const partner = resolvePartnerProfile(
              unaDelimiters
                ? {
                    ...(input.partner as object),
                    edifact: { delimiters: { component: '*', element: '@', release: '#', segment: '~' } },
                  }
                : (input.partner ?? {}),
            );
            if (!partner.ok) throw new Error(JSON.stringify(partner.issues));
            // Air and ABI bills have their own forms (air waybill serials, entry numbers): vary the
            // text there and the bill elsewhere.
            const keepBill = channel.startsWith('air-') || channel.startsWith('broker-');
            const decisions: Decision[] = items.map((it, i) => ({
              ...template,
              decisionId: `${template.decisionId}#${i}`,
              seq: template.seq + i,
              text: it.text,
              pieces: it.pieces,
              ...(keepBill ? {} : { scn: it.bill, bill: `${template.issuer}/${it.bill}` }),
            }));
            const file = generateOutbound({ ...input.batch, decisions }, partner.profile);
            if (!file.ok) return;
            expect(checkConformance(file.content, file.charset, spec).violations).toEqual([]);
            // X12 has no escape: a bill that went out is in the file as the decision holds it.
            if (spec.syntax === 'x12')
              for (const d of file.twin) expect(file.content).toContain(`X4*${d.scn}*`);
          },
        ),
        { numRuns: 40, seed: 20261206 },
      );
    });
  }
});
