import { describe, expect, it } from 'vitest';
import { simple } from './build-helper.js';
import { readX12 } from './read-helper.js';

const BOM = '\ufeff';
const clean = simple(2);
const reference = readX12(clean, { strict: true });
const segmentsOf = (r: ReturnType<typeof readX12>): [string, string[]][] =>
  r.segments.map((s) => [s.tag, s.elements]);

/** Each tolerated layout: the input, the code expected once, and whether the data must read the same. */
const layouts: { name: string; text: string; code: string }[] = [
  { name: 'UTF-8 BOM', text: BOM + clean, code: 'INTAKE_BOM' },
  {
    name: 'spaces and tabs before segment tags',
    text: clean.replace(/\n(?=[A-Z])/g, '\n \t  '),
    code: 'X12_LAYOUT_WHITESPACE',
  },
  // Not after the ISA: the character after ISA16 is the terminator by definition.
  {
    name: 'spaces before terminators',
    text: clean.replace(/~\n(?!GS)/g, ' \t ~\n'),
    code: 'X12_LAYOUT_WHITESPACE',
  },
  {
    name: 'hard-wrapped at 80 columns (LF inside the ISA and inside elements)',
    text: (clean.replace(/\n/g, '').match(/.{1,80}/g) ?? []).join('\n'),
    code: 'X12_LAYOUT_LINE_BREAK',
  },
  {
    name: 'hard-wrapped with CRLF',
    text: (clean.replace(/\n/g, '').match(/.{1,33}/g) ?? []).join('\r\n'),
    code: 'X12_LAYOUT_LINE_BREAK',
  },
  {
    name: 'no terminator on the last segment',
    text: clean.replace(/~\n$/, ''),
    code: 'X12_LAYOUT_NO_FINAL_TERMINATOR',
  },
  {
    name: 'no terminator on the last segment, then a newline',
    text: clean.replace(/~\n$/, '\r\n'),
    code: 'X12_LAYOUT_NO_FINAL_TERMINATOR',
  },
];

describe('X12 reader: layout is tolerated by default, an error under strict', () => {
  for (const { name, text, code } of layouts) {
    it(name, () => {
      const lenient = readX12(text);
      expect(lenient.ok).toBe(true);
      expect(segmentsOf(lenient)).toEqual(segmentsOf(reference));
      expect(lenient.interchanges[0]!.result).toMatchObject({ ok: true, groupCount: 1, messageCount: 2 });
      // Listed once per interchange, as a warning with a position.
      expect(lenient.issues).toEqual([expect.objectContaining({ code, severity: 'warning' })]);
      expect(lenient.issues[0]!.byteOffset).toBeTypeOf('number');

      const strict = readX12(text, { strict: true });
      expect(strict.ok).toBe(false);
      expect(strict.interchanges[0]!.result.ok).toBe(false);
      expect(strict.issues).toEqual([expect.objectContaining({ code, severity: 'error' })]);
      // Same data either way: strict only changes the severity.
      expect(segmentsOf(strict)).toEqual(segmentsOf(reference));
    });
  }

  it('the hard-wrap issue points at the first line break inside a segment', () => {
    const wrapped = (clean.replace(/\n/g, '').match(/.{1,80}/g) ?? []).join('\n');
    const issue = readX12(wrapped).issues[0]!;
    expect(issue).toMatchObject({ segmentIndex: 0, byteOffset: 80 });
  });

  it('CR/LF right after a terminator is not a layout issue, even under strict', () => {
    for (const after of ['\n', '\r\n', '\r\n\r\n', '']) {
      const r = readX12(simple(1, { after }), { strict: true });
      expect(r.ok).toBe(true);
      expect(r.issues).toEqual([]);
    }
  });

  it('layout issues belong to the interchange they precede or occur in', () => {
    const r = readX12(`${BOM}${simple(1)}  ${simple(1, {}, '000000002')}`);
    expect(r.interchanges.map((i) => i.result.issues.map((x) => x.code))).toEqual([
      ['INTAKE_BOM'],
      ['X12_LAYOUT_WHITESPACE'],
    ]);
    expect(r.interchanges[1]!.result.issues[0]!.interchangeControl).toBe('000000002');
  });

  it('whitespace after the last interchange is a file-level layout issue', () => {
    const lenient = readX12(`${simple(1)}   `);
    expect(lenient.interchanges[0]!.result.ok).toBe(true);
    expect(lenient.fileIssues).toEqual([
      expect.objectContaining({ code: 'X12_LAYOUT_WHITESPACE', severity: 'warning' }),
    ]);
    expect(readX12(`${simple(1)}   `, { strict: true }).ok).toBe(false);
  });

  it('counts and control numbers are never tolerated, also in default mode', () => {
    const r = readX12(BOM + clean.replace('SE*4*0001', 'SE*5*0001'));
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.code)).toEqual(['X12_SE_COUNT']);
  });

  it('a line break that is a delimiter is never removed', () => {
    const r = readX12(simple(1, { terminator: '\n', after: '' }), { strict: true });
    expect(r.ok).toBe(true);
    expect(r.segments).toHaveLength(2);
  });
});
