/**
 * Acknowledgments against golden files: fixtures/golden/ack-<kind>/<case>/ holds an inbound
 * interchange (read with the project's readers, as the pipeline does), input.json (partner
 * overrides, control numbers, creation time, message types the pipeline refuses as unsupported,
 * issues later stages add) and the expected acknowledgment, byte for byte, with its summary.
 * Every acknowledgment written must itself read back cleanly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';
import { buildAck } from '../../src/core/ack/index.js';
import type { AckInput, AckKind } from '../../src/core/ack/types.js';
import { resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { Issue } from '../../src/core/model/issue.js';
import { goldenCases, matchGolden, readJson } from '../generate/golden-support.js';
import { encode, readEdifact, readX12 } from './read-inbound.js';

interface AckCaseInput {
  inbound: string;
  partner?: unknown;
  control: { interchange: number; group: number; firstMessage: number };
  created: { date: string; time: string };
  kind?: AckKind;
  strict?: boolean;
  unsupportedTypes?: string[];
  extraIssues?: Array<{ messageIndex: number; issue: Omit<Issue, 'code'> & { code: string } }>;
}

/** What the pipeline adds after reading: unsupported message types and issues of later stages. */
function withPipelineIssues(ack: AckInput, input: AckCaseInput): AckInput {
  const messages = ack.messages.map((m, index) => {
    const extra: Issue[] = (input.extraIssues ?? [])
      .filter((x) => x.messageIndex === index)
      .map(
        (x) => ({ ...x.issue, groupControl: m.header.groupControl, messageRef: m.header.reference }) as Issue,
      );
    if ((input.unsupportedTypes ?? []).includes(m.header.type)) {
      extra.push({
        code: 'PIPELINE_UNSUPPORTED_MESSAGE',
        severity: 'error',
        message: `message type ${m.header.type} is not processed`,
        groupControl: m.header.groupControl,
        messageRef: m.header.reference,
      });
    }
    const issues = [...m.result.issues, ...extra];
    return {
      header: m.header,
      result: { ...m.result, issues, ok: m.result.ok && !extra.some((i) => i.severity === 'error') },
    };
  });
  return { ...ack, messages };
}

const GROUPS = ['ack-999', 'ack-997', 'ack-ta1', 'ack-contrl'];

describe('acknowledgments (golden files)', () => {
  it('has golden cases for 999, 997, TA1 and CONTRL', () => {
    for (const g of GROUPS) expect(goldenCases(g).length, g).toBeGreaterThan(0);
  });

  for (const group of GROUPS) {
    for (const c of goldenCases(group)) {
      it(`${group}/${c.name}`, () => {
        const input = readJson<AckCaseInput>(join(c.dir, 'input.json'));
        const bytes = readFileSync(join(c.dir, input.inbound));
        const edifact = input.inbound.endsWith('.edi');
        const read = edifact
          ? readEdifact(bytes, 64, input.strict ?? true)
          : readX12(bytes, 64, input.strict ?? true);
        expect(read.interchanges).toHaveLength(1);
        const first = read.interchanges[0];
        if (first === undefined) throw new Error('no interchange');
        const profile = resolvePartnerProfile(input.partner ?? {});
        if (!profile.ok) throw new Error(JSON.stringify(profile.issues));
        const ack = buildAck({
          input: withPipelineIssues(first.ack, input),
          partner: profile.profile,
          control: input.control,
          created: input.created,
          ...(input.kind === undefined ? {} : { kind: input.kind }),
        });
        expect(ack.ok).toBe(true);
        matchGolden(join(c.dir, `expected.${edifact ? 'edi' : 'x12'}`), ack.content, ack.charset);
        const meta = {
          kind: ack.kind,
          fileName: ack.fileName,
          messages: ack.messages,
          controlNumbers: ack.controlNumbers,
          summary: ack.summary,
          issues: ack.issues,
        };
        matchGolden(join(c.dir, 'expected.json'), `${JSON.stringify(meta, null, 2)}\n`);

        // The acknowledgment itself is a clean interchange for the project's readers.
        const back = edifact
          ? readEdifact(encode(ack.content, ack.charset))
          : readX12(encode(ack.content, ack.charset));
        expect(back.fileIssues).toEqual([]);
        expect(back.interchanges).toHaveLength(1);
        expect(back.interchanges[0]?.ack.result.ok).toBe(true);
        expect(back.interchanges[0]?.ack.result.issues).toEqual([]);
        expect(back.interchanges[0]?.ack.messages.length).toBe(ack.messages);
        if (!edifact) {
          // node-x12 refuses an interchange-level TA1 (X12 places it between ISA and GS; the project
          // reader accepts it): check everything else with it.
          const d = profile.profile.x12.delimiters;
          const ta1 = new RegExp(`TA1\\${d.element}[^\\${d.segment}]*\\${d.segment}\n?`);
          const rest = ack.content.replace(ta1, '');
          expect(rest.includes(`TA1${d.element}`)).toBe(false);
          // (node-x12 also refuses an interchange without groups, which a TA1-only reply is)
          if (rest.includes(`GS${d.element}`)) expect(() => new X12Parser(true).parse(rest)).not.toThrow();
        }
      });
    }
  }
});
