import fc from 'fast-check';
import { X12Parser } from 'node-x12';
import { describe, expect, it } from 'vitest';
import type { X12Delimiters } from '../../src/core/model/segment.js';
import { type X12InterchangeInput, type X12SegmentInput, writeX12Interchange } from '../../src/core/x12/writer.js';
import { readX12 } from '../ack/read-inbound.js';

const D: X12Delimiters = { element: '*', component: '>', repetition: '^', segment: '~' };

function interchange(
  over: Partial<X12InterchangeInput> = {},
  segments: readonly X12SegmentInput[] = [{ tag: 'K1', elements: ['HELLO'] }],
): X12InterchangeInput {
  return {
    senderQualifier: 'ZZ',
    senderId: 'S321',
    receiverQualifier: '02',
    receiverId: 'ABCD',
    date: '2025-03-10',
    time: '14:30',
    controlNumber: 42,
    version: '00406',
    ackRequested: false,
    usage: 'P',
    groups: [
      {
        functionalId: 'AU',
        appSenderId: 'S321',
        appReceiverId: 'ABCD',
        date: '2025-03-10',
        time: '14:30',
        controlNumber: 7,
        version: '004060',
        transactions: [
          { type: '350', controlNumber: '0001', segments },
          {
            type: '350',
            controlNumber: '0002',
            segments: [
              { tag: 'K1', elements: ['X'] },
              { tag: 'K1', elements: ['Y'] },
            ],
          },
        ],
      },
    ],
    ...over,
  };
}

describe('X12 writer envelope', () => {
  it('writes a 106-character ISA and consistent trailers', () => {
    const r = writeX12Interchange(interchange(), { delimiters: D });
    expect(r.ok).toBe(true);
    const segs = r.content.split('~');
    expect(`${segs[0]}~`).toHaveLength(106);
    expect(segs).toContain('SE*3*0001');
    expect(segs).toContain('SE*4*0002');
    expect(segs).toContain('GE*2*7');
    expect(segs).toContain('IEA*1*000000042');
    expect(r.segmentCount).toBe(segs.length - 1);
    const parsed = readX12(new TextEncoder().encode(r.content));
    expect(parsed.fileIssues).toEqual([]);
    const ic = parsed.interchanges[0];
    expect(ic?.ack.result.ok).toBe(true);
    expect(ic?.ack.result.messageCount).toBe(2);
    expect(ic?.ack.messages.map((m) => m.result.segmentCount)).toEqual([3, 4]);
    expect(() => new X12Parser(true).parse(r.content)).not.toThrow();
  });

  it('puts ISA11 = U and needs no repetition separator before 00402', () => {
    const r = writeX12Interchange(interchange({ version: '00401' }), {
      delimiters: { ...D, repetition: null },
    });
    expect(r.ok).toBe(true);
    expect(r.content.slice(0, 106).split('*')[11]).toBe('U');
  });

  it('refuses a version >= 00402 without repetition separator', () => {
    const r = writeX12Interchange(interchange(), { delimiters: { ...D, repetition: null } });
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(['GENERATE_INVALID_DELIMITERS']);
  });

  it.each([
    [
      'ISA13 above 9 digits',
      interchange({ controlNumber: 1_000_000_000 }),
      'GENERATE_INVALID_CONTROL_NUMBER',
    ],
    ['negative ISA13', interchange({ controlNumber: -1 }), 'GENERATE_INVALID_CONTROL_NUMBER'],
    ['sender id over 15', interchange({ senderId: 'A234567890123456' }), 'GENERATE_INVALID_ENVELOPE'],
    ['receiver id with delimiter', interchange({ receiverId: 'AB*CD' }), 'GENERATE_INVALID_ENVELOPE'],
    ['bad date', interchange({ date: '2025-02-30' }), 'GENERATE_INVALID_ENVELOPE'],
    ['bad qualifier', interchange({ senderQualifier: 'Z' }), 'GENERATE_INVALID_ENVELOPE'],
  ])('never writes a broken envelope: %s', (_name, input, code) => {
    const r = writeX12Interchange(input, { delimiters: D });
    expect(r.ok).toBe(false);
    expect(r.content).toBe('');
    expect(r.issues.map((i) => i.code)).toContain(code);
  });

  it('refuses a GS06 or ST02 out of range, and repeated ST02', () => {
    const base = interchange();
    const group = base.groups[0];
    if (group === undefined) throw new Error('fixture');
    const big = writeX12Interchange(
      { ...base, groups: [{ ...group, controlNumber: 1e9 }] },
      { delimiters: D },
    );
    expect(big.ok).toBe(false);
    const tx = group.transactions[0];
    if (tx === undefined) throw new Error('fixture');
    const longSt = writeX12Interchange(
      { ...base, groups: [{ ...group, transactions: [{ ...tx, controlNumber: '1234567890' }] }] },
      { delimiters: D },
    );
    expect(longSt.ok).toBe(false);
    const dup = writeX12Interchange(
      { ...base, groups: [{ ...group, transactions: [tx, tx] }] },
      { delimiters: D },
    );
    expect(dup.ok).toBe(false);
  });

  it.each([[{ ...D, segment: '*' }], [{ ...D, element: 'A' }], [{ ...D, component: '>>' }]])(
    'refuses delimiters that are not single distinct non-alphanumerics',
    (d) => {
      expect(writeX12Interchange(interchange(), { delimiters: d }).ok).toBe(false);
    },
  );

  it('refuses a replacement that is a delimiter', () => {
    expect(writeX12Interchange(interchange(), { delimiters: D, replacement: '*' }).ok).toBe(false);
  });

  it('drops trailing empty elements and components', () => {
    const r = writeX12Interchange(
      interchange({}, [{ tag: 'X4', elements: ['A', '', ['1', '', ''], '', ''] }]),
      { delimiters: D },
    );
    expect(r.content).toContain('~X4*A**1~');
  });

  it('leaves no line break inside a segment when the terminator is a line break', () => {
    const r = writeX12Interchange(interchange(), { delimiters: { ...D, segment: '\n' }, lineBreak: '\n' });
    expect(r.content).not.toContain('\n\n');
    expect(readX12(new TextEncoder().encode(r.content)).interchanges[0]?.ack.result.ok).toBe(true);
  });
});

/** Independent statement of what a value must become: delimiters and controls → space, accents folded, trailing spaces dropped. */
function expectedX12(value: string, d: X12Delimiters): string {
  const delims = new Set([d.element, d.component, d.segment, d.repetition]);
  const fold: Record<string, string> = { é: 'e', Ü: 'U' };
  return [...value]
    .map((ch) =>
      delims.has(ch) || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\u0000' ? ' ' : (fold[ch] ?? ch),
    )
    .join('')
    .replace(/ +$/, '');
}

const ALPHABET = [
  'A',
  'z',
  '7',
  ' ',
  '-',
  '.',
  '*',
  '>',
  '^',
  '~',
  '|',
  ':',
  '!',
  '\n',
  '\r',
  '\t',
  '\u0000',
  'é',
  'Ü',
  '?',
  "'",
  '+',
];
const value = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((a) => a.join(''));
const delimiterSets: X12Delimiters[] = [
  D,
  { element: '|', component: ':', repetition: '!', segment: '\n' },
  { element: '+', component: '-', repetition: '*', segment: "'" },
];

describe('X12 writer delimiter safety (property)', () => {
  it('replaces and records every delimiter or control character; the project reader and node-x12 read back the replacement', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...delimiterSets),
        fc.array(value, { minLength: 1, maxLength: 6 }),
        (d, values) => {
          const r = writeX12Interchange(interchange({}, [{ tag: 'K1', elements: values }]), {
            delimiters: d,
            lineBreak: '',
          });
          expect(r.ok).toBe(true);
          const expected = values.map((v) => expectedX12(v, d));
          while (expected.length > 0 && expected[expected.length - 1] === '') expected.pop();

          if (expected.length === 0) {
            // Nothing left to send: the segment is omitted (recorded), never written empty.
            const e = d.element;
            expect(r.content).toContain(`ST${e}350${e}0001${d.segment}SE${e}2${e}0001${d.segment}`);
            expect(r.issues.map((i) => i.code as string)).toContain('GENERATE_SEGMENT_OMITTED');
            return;
          }
          const parsed = readX12(new TextEncoder().encode(r.content), 5);
          const ic = parsed.interchanges[0];
          expect(parsed.fileIssues).toEqual([]);
          expect(ic?.ack.result.ok).toBe(true);
          expect(ic?.ack.result.issues).toEqual([]);
          expect(ic?.segments[0]?.segments[0]?.elements ?? []).toEqual(expected);

          // Independent parser (node-x12, strict): same element values.
          const nx = new X12Parser(true).parse(r.content);
          const seg = (Array.isArray(nx) ? nx[0] : nx)?.functionalGroups[0]?.transactions[0]?.segments[0];
          expect(seg?.elements.map((e) => e.value) ?? []).toEqual(expected);

          // One warning per value that held a reserved character, pointing at its element.
          const reserved = new Set([
            d.element,
            d.component,
            d.segment,
            d.repetition,
            '\n',
            '\r',
            '\t',
            '\u0000',
          ]);
          const hit = values.flatMap((v, i) => ([...v].some((ch) => reserved.has(ch)) ? [i + 1] : []));
          const warned = r.issues.filter((i) => (i.code as string) === 'GENERATE_DELIMITER_REPLACED');
          expect(warned.map((i) => i.element)).toEqual(hit);
          expect(
            warned.every(
              (i) => i.severity === 'warning' && i.segmentTag === 'K1' && i.positionInMessage === 2,
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 300, seed: 321 },
    );
  });
});
