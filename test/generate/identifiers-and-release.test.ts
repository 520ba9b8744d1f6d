/**
 * Issue #13 "Outputs": (1) a CUSRES declared UNOA:4 without UNA has '*' as its repetition separator,
 * so '*' in data must be released; (2) an identifier (bill, SCAC, entry number, port) is never
 * altered: one that the syntax cannot carry as it is gets its decision refused with a typed error,
 * while free text may still be cleaned and the cleaning recorded.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EDIFACT_DELIMITERS, writeEdifactInterchange } from '../../src/core/edifact/writer.js';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import type { Channel, Decision } from '../../src/core/model/decision.js';
import { edi } from '../../src/core/model/segment.js';
import { encode, readEdifact } from '../ack/read-inbound.js';
import { GOLDEN_ROOT, readJson } from './golden-support.js';

function goldenBatch(channel: Channel, name: string): OutboundBatch {
  return readJson<{ batch: OutboundBatch }>(join(GOLDEN_ROOT, channel, name, 'input.json')).batch;
}

function profile(over: unknown = {}) {
  const p = resolvePartnerProfile(over);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.profile;
}

const codes = (issues: ReadonlyArray<{ code: unknown }>) => issues.map((i) => i.code as string);

describe('EDIFACT syntax 4 without UNA: "*" is the repetition separator', () => {
  it('releases "*" in data so the reader gets the text back unchanged', () => {
    const r = writeEdifactInterchange(
      {
        syntaxId: 'UNOA',
        syntaxVersion: '4',
        sender: { id: 'S321', qualifier: 'ZZ' },
        recipient: { id: 'EFGH', qualifier: 'ZZ' },
        date: '2025-03-10',
        time: '14:30',
        controlReference: 7,
        messages: [
          {
            reference: '1',
            type: 'CUSRES',
            version: 'D',
            release: '03B',
            agency: 'UN',
            segments: [{ tag: 'FTX', elements: ['AAI', '', '', ['A*B']] }],
          },
        ],
      },
      { delimiters: DEFAULT_EDIFACT_DELIMITERS, una: 'auto' },
    );
    expect(r.ok).toBe(true);
    expect(r.content).not.toContain('UNA');
    expect(r.content).toContain("FTX+AAI+++A?*B'");
    const read = readEdifact(encode(r.content, r.charset));
    const ftx = read.interchanges[0]?.segments[0]?.segments.find((s) => s.tag === 'FTX');
    expect(ftx === undefined ? null : edi(ftx, 4, 1)).toBe('A*B');
  });

  it('does not release "*" under syntax 3, where no repetition separator exists', () => {
    const r = writeEdifactInterchange(
      {
        syntaxId: 'UNOA',
        syntaxVersion: '3',
        sender: { id: 'S321' },
        recipient: { id: 'EFGH' },
        date: '2025-03-10',
        time: '14:30',
        controlReference: 7,
        messages: [
          {
            reference: '1',
            type: 'CUSRES',
            version: 'D',
            release: '03B',
            agency: 'UN',
            segments: [{ tag: 'FTX', elements: ['AAI', '', '', ['A*B']] }],
          },
        ],
      },
      { delimiters: DEFAULT_EDIFACT_DELIMITERS, una: 'auto' },
    );
    expect(r.content).toContain("FTX+AAI+++A*B'");
  });

  it('truck CUSRES with the default profile: a "*" in the remark text is released', () => {
    const batch = goldenBatch('truck-cusres', 'release2-sn517');
    const first = batch.decisions[0] as Decision;
    const file = generateOutbound({ ...batch, decisions: [{ ...first, text: 'SEE *NOTE*' }] }, profile());
    expect(file.ok).toBe(true);
    expect(file.content).toContain('SEE ?*NOTE?*');
  });
});

describe('identifiers are never altered', () => {
  it('truck 350: a bill with X12 delimiters is refused with a typed error, the others are sent', () => {
    const batch = goldenBatch('truck-x12-350', 'release2-two-ports');
    const [a, b] = batch.decisions as [Decision, Decision];
    const bad = { ...a, scn: 'ACME1~IEA*1', bill: `${a.issuer}/ACME1~IEA*1`, decisionId: 'bad' };
    const file = generateOutbound({ ...batch, decisions: [bad, b] }, profile());
    expect(file.ok).toBe(true);
    expect(file.sent.map((s) => s.decisionId)).toEqual([b.decisionId]);
    expect(file.content).not.toContain('ACME1');
    const issue = file.issues.find((i) => (i.code as string) === 'GENERATE_IDENTIFIER_UNREPRESENTABLE');
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain('bad');
    expect(codes(file.issues)).not.toContain('GENERATE_DELIMITER_REPLACED');
  });

  it('truck 350: free text with delimiters is still cleaned and the cleaning recorded', () => {
    const batch = goldenBatch('truck-x12-350', 'release2-two-ports');
    const a = batch.decisions[0] as Decision;
    const file = generateOutbound({ ...batch, decisions: [{ ...a, text: 'A~B*C' }] }, profile());
    expect(file.ok).toBe(true);
    expect(codes(file.issues)).toContain('GENERATE_DELIMITER_REPLACED');
  });

  it('truck CUSRES without a release character: a bill with a delimiter is refused', () => {
    const batch = goldenBatch('truck-cusres', 'release2-sn517');
    const [a, b] = batch.decisions as [Decision, Decision];
    const p = profile({ edifact: { delimiters: { release: null }, una: 'always' } });
    const file = generateOutbound(
      { ...batch, decisions: [{ ...a, scn: "ACME'1", decisionId: 'bad' }, b] },
      p,
    );
    expect(file.sent.map((s) => s.decisionId)).toEqual([b.decisionId]);
    expect(codes(file.issues)).toContain('GENERATE_IDENTIFIER_UNREPRESENTABLE');
  });

  it('truck CUSRES under UNOA: a lower-case bill is refused rather than upper-cased', () => {
    const batch = goldenBatch('truck-cusres', 'release2-sn517');
    const [a, b] = batch.decisions as [Decision, Decision];
    const file = generateOutbound(
      { ...batch, decisions: [{ ...a, scn: 'efgh0000001', decisionId: 'bad' }, b] },
      profile(),
    );
    expect(file.sent.map((s) => s.decisionId)).toEqual([b.decisionId]);
    expect(codes(file.issues)).toContain('GENERATE_IDENTIFIER_UNREPRESENTABLE');
  });

  it('ABI: a bill with a line break is refused rather than blanked', () => {
    const batch = goldenBatch('broker-abi-so', 'et86-30');
    const a = batch.decisions[0] as Decision;
    const file = generateOutbound(
      { ...batch, decisions: [{ ...a, scn: 'AB\nC1', decisionId: 'bad' }] },
      profile(),
    );
    expect(file.ok).toBe(false);
    expect(codes(file.issues)).toContain('GENERATE_IDENTIFIER_UNREPRESENTABLE');
  });
});
