import { describe, expect, it } from 'vitest';
import { errors, everyNBytes, latin1, read } from './recording-sink.js';

const UNB = 'UNB+UNOC:3+SENDER:ZZ+RECEIVER:ZZ+240101:1200+IC1';
/** A valid interchange written with the default separators. */
function interchange(body: string[], unb = UNB, una = "UNA:+.? '"): string {
  const segs = [unb, 'UNH+M1+CUSCAR:D:03B:UN', ...body, `UNT+${body.length + 2}+M1`, 'UNZ+1+IC1'];
  return `${una}${segs.join("'")}'`;
}

/** Rewrites a default-separator interchange (without release characters) to other service characters. */
function withServiceChars(text: string, chars: string): string {
  const [component, element, , , , segment] = [...chars];
  const body = text
    .slice(9)
    .replace(/[:+']/g, (c) =>
      c === ':' ? (component as string) : c === '+' ? (element as string) : (segment as string),
    );
  return `UNA${chars}${body}`;
}

describe('service string advice (UNA)', () => {
  it("applies the defaults :+.? ' without a UNA, with repetition by syntax version", () => {
    const v3 = read(interchange(['BGM+85+DOC1+9'], UNB, ''));
    expect(v3.ok).toBe(true);
    const header3 = v3.interchanges[0]?.header;
    expect(header3?.una).toBe(false);
    expect(header3?.delimiters).toEqual({
      component: ':',
      element: '+',
      decimal: '.',
      release: '?',
      repetition: null,
      segment: "'",
    });
    const v4 = read(interchange(['BGM+85+DOC1+9'], UNB.replace('UNOC:3', 'UNOC:4'), ''));
    expect(v4.interchanges[0]?.header.delimiters.repetition).toBe('*');
    expect(v4.interchanges[0]?.header.syntax).toBe('UNOC:4');
  });

  it.each([
    ['^[.\\]~', 'the characters other libraries break on'],
    ['=*.? ~', 'staedi custom UNA'],
    ['*@.? #', 'smooks custom UNA'],
    ['|$.\\^.', 'regex metacharacters, terminator "."'],
    [':+,?*\n', 'LF as terminator'],
    ['\u001f\u001d.?*\u001c', 'control characters'],
    ['ab.c d', 'letters'],
  ])('reads any six service characters: %j (%s)', (chars) => {
    const canonical = interchange(['BGM+85+DOC1:X:Y+9', 'FTX+AAA+++FREE TEXT HERE']);
    const text = withServiceChars(canonical, chars);
    const r = read(text, { strict: true });
    expect(errors(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.segments.map((s) => [s.tag, s.elements])).toEqual([
      ['BGM', [['85'], ['DOC1', 'X', 'Y'], ['9']]],
      ['FTX', [['AAA'], [''], [''], ['FREE TEXT HERE']]],
    ]);
    const d = r.interchanges[0]?.header.delimiters;
    expect(d?.component).toBe(chars[0]);
    expect(d?.element).toBe(chars[1]);
    expect(d?.decimal).toBe(chars[2]);
    expect(d?.segment).toBe(chars[5]);
    expect(r.interchanges[0]?.header.una).toBe(true);
  });

  it('reports a UNA that gives one character two roles', () => {
    const r = read("UNA::.? 'UNB:UNOC:3:S:R:240101:1200:IC1'UNZ:0:IC1'");
    expect(r.issues.some((i) => i.code === 'EDIFACT_UNA_INVALID' && i.segmentIndex === 0)).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('reports a UNA cut short by the end of input', () => {
    const r = read('UNA:+.');
    expect(r.issues.map((i) => i.code)).toContain('EDIFACT_UNA_INVALID');
    expect(r.ok).toBe(false);
  });

  it('uses a UNA preceded by blanks (layout warning) and rejects it under strict', () => {
    const text = ` \t${interchange(['BGM+85+DOC1+9'])}`;
    const lenient = read(text);
    expect(lenient.ok).toBe(true);
    expect(lenient.issues.map((i) => [i.code, i.severity])).toEqual([
      ['EDIFACT_LAYOUT_WHITESPACE', 'warning'],
    ]);
    const strict = read(text, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.interchanges[0]?.result.ok).toBe(false);
    expect(strict.issues.map((i) => [i.code, i.severity, i.segmentTag])).toEqual([
      ['EDIFACT_LAYOUT_WHITESPACE', 'error', 'UNA'],
    ]);
  });

  it('returns to the default separators after UNZ', () => {
    const first = 'UNA=*.? ~UNB*UNOA=3*S*R*240101=1200*A1~UNH*1*INVOIC=D=97B=UN~UNT*2*1~UNZ*1*A1~\n';
    const second = "UNB+UNOA:3+S+R+240101:1200+A2'UNH+2+INVOIC:D:97B:UN'BGM+380'UNT+3+2'UNZ+1+A2'\n";
    const r = read(first + second, { strict: true });
    expect(r.ok).toBe(true);
    expect(
      r.interchanges.map((i) => [i.header.controlNumber, i.header.una, i.header.delimiters.element]),
    ).toEqual([
      ['A1', true, '*'],
      ['A2', false, '+'],
    ]);
    expect(r.segments.map((s) => s.tag)).toEqual(['BGM']);
  });
});

describe('release character', () => {
  const text = interchange([
    "FTX+AAA+++O?'BRIEN ?+ SONS?: 10?? PCT",
    "IFT+3+NO MORE ???' FLIGHTS+FIELD 1???+FIELD 2",
    'IFT+3+XYZ ?AVAILABILITY',
  ]);

  it('escapes every service character and itself, and is removed from values', () => {
    const r = read(text, { strict: true });
    expect(r.ok).toBe(true);
    expect(r.segments.map((s) => s.elements)).toEqual([
      [['AAA'], [''], [''], ["O'BRIEN + SONS: 10? PCT"]],
      [['3'], ["NO MORE ?' FLIGHTS"], ['FIELD 1?+FIELD 2']],
      [['3'], ['XYZ AVAILABILITY']],
    ]);
    expect(r.messages[0]?.result.segmentCount).toBe(5);
  });

  it('gives the same segments when a chunk ends right after any release character', () => {
    const whole = read(text);
    const releases = [...text].flatMap((ch, i) => (ch === '?' ? [i + 1] : []));
    for (const at of releases) {
      expect(read(text, { splits: [at] }).events).toEqual(whole.events);
    }
    expect(read(text, { splits: releases }).events).toEqual(whole.events);
    expect(read(text, { splits: everyNBytes(text.length, 1) }).events).toEqual(whole.events);
  });

  it('uses the release character named by the UNA (backslash)', () => {
    const r = read(
      "UNA:+.\\*'UNB+IATA:1+1A+KRC+130527:0649+0003'UNH+1+PNRGOV:11:1:IA'FTX+A\\+B\\'C?'UNT+3+1'UNZ+1+0003'",
    );
    expect(r.ok).toBe(true);
    expect(r.segments[0]?.elements).toEqual([["A+B'C?"]]);
  });

  it('has no release character when the UNA names a space', () => {
    const r = read("UNA:+. *'UNB+UNOA:4+S+R+240101:1200+I'UNH+1+X:D:03B:UN'FTX+A?B'UNT+3+1'UNZ+1+I'");
    expect(r.interchanges[0]?.header.delimiters.release).toBeNull();
    expect(r.segments[0]?.elements).toEqual([['A?B']]);
  });

  it('escapes the next character across a hard line break (lenient layout)', () => {
    const r = read(interchange(["FTX+AAA+++50?\n'S"]));
    expect(r.segments[0]?.elements).toEqual([['AAA'], [''], [''], ["50'S"]]);
    expect(r.issues.map((i) => i.code)).toEqual(['EDIFACT_LAYOUT_LINE_BREAK']);
  });
});

describe('layout tolerance', () => {
  const clean = interchange(['BGM+85+DOC1+9', 'DTM+132:200412301200:203']);

  it('treats CR/LF right after a terminator as ordinary', () => {
    const r = read(clean.replaceAll("'", "'\r\n"), { strict: true });
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('accepts a UTF-8 BOM with a warning, rejects it under strict, also when split byte by byte', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(clean)]);
    const lenient = read(bytes, { splits: [1, 2, 3] });
    expect(lenient.ok).toBe(true);
    expect(lenient.issues.map((i) => [i.code, i.severity, i.byteOffset])).toEqual([
      ['INTAKE_BOM', 'warning', 0],
    ]);
    expect(lenient.interchanges[0]?.header.byteOffset).toBe(3 + 9);
    const strict = read(bytes, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.interchanges[0]?.result.issues.map((i) => [i.code, i.severity])).toEqual([
      ['INTAKE_BOM', 'error'],
    ]);
  });

  it('accepts spaces and tabs before tags with one warning per scope; strict makes them errors', () => {
    const text = clean.replace("'BGM", "' \tBGM").replace("'DTM", "'  DTM").replace("'UNZ", "'\tUNZ");
    const lenient = read(text);
    expect(lenient.ok).toBe(true);
    expect(
      lenient.messages[0]?.result.issues.map((i) => [i.code, i.segmentTag, i.positionInMessage]),
    ).toEqual([['EDIFACT_LAYOUT_WHITESPACE', 'BGM', 2]]);
    expect(lenient.interchanges[0]?.result.issues.map((i) => [i.code, i.segmentTag])).toEqual([
      ['EDIFACT_LAYOUT_WHITESPACE', 'UNZ'],
    ]);
    expect(lenient.segments.map((s) => s.tag)).toEqual(['BGM', 'DTM']);
    const strict = read(text, { strict: true });
    expect(strict.messages[0]?.result.ok).toBe(false);
    expect(strict.interchanges[0]?.result.ok).toBe(false);
  });

  it('joins hard-wrapped lines (CR/LF inside tags and values) with a warning; strict rejects', () => {
    const wrapped = clean.replace('BGM+85+DOC1', 'B\r\nGM+8\n5+DO\nC1');
    const lenient = read(wrapped);
    expect(lenient.ok).toBe(true);
    expect(lenient.segments[0]).toMatchObject({ tag: 'BGM', elements: [['85'], ['DOC1'], ['9']] });
    expect(lenient.issues.map((i) => [i.code, i.severity, i.segmentIndex])).toEqual([
      ['EDIFACT_LAYOUT_LINE_BREAK', 'warning', 3],
    ]);
    const strict = read(wrapped, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.messages[0]?.result.issues[0]).toMatchObject({
      code: 'EDIFACT_LAYOUT_LINE_BREAK',
      severity: 'error',
      segmentTag: 'BGM',
    });
  });

  it('accepts a missing terminator on the last segment at end of input; strict rejects', () => {
    const text = clean.slice(0, -1);
    const lenient = read(text);
    expect(lenient.ok).toBe(true);
    expect(lenient.interchanges[0]?.result.issues.map((i) => [i.code, i.segmentTag])).toEqual([
      ['EDIFACT_LAYOUT_NO_TERMINATOR', 'UNZ'],
    ]);
    const strict = read(text, { strict: true });
    expect(strict.ok).toBe(false);
  });

  it('reports spaces after the last segment only under strict as an error', () => {
    expect(read(`${clean}  `).ok).toBe(true);
    const strict = read(`${clean}  `, { strict: true });
    expect(strict.fileIssues.map((i) => [i.code, i.severity])).toEqual([
      ['EDIFACT_LAYOUT_WHITESPACE', 'error'],
    ]);
  });
});

describe('positions and segments', () => {
  it('counts every segment in the file (UNA included) and gives byte offsets of the tags', () => {
    const text = interchange(['BGM+85+DOC1+9', 'SRC', 'DTM+132:2004:203']).replaceAll("'", "'\n");
    const r = read(text);
    expect(
      r.segments.map((s) => [s.index, s.tag, s.byteOffset, text.slice(s.byteOffset, s.byteOffset + 3)]),
    ).toEqual([
      [3, 'BGM', text.indexOf('BGM'), 'BGM'],
      [4, 'SRC', text.indexOf('SRC'), 'SRC'],
      [5, 'DTM', text.indexOf('DTM'), 'DTM'],
    ]);
    expect(r.segments[1]?.elements).toEqual([]);
    expect(r.interchanges[0]?.header).toMatchObject({ segmentIndex: 1, byteOffset: text.indexOf('UNB') });
    expect(r.interchanges[0]?.result.byteLength).toBe(text.length - 1);
  });

  it('keeps empty elements and components', () => {
    const r = read(interchange(['NAD+CA+LOCK::172+++A:B:+X+']));
    expect(r.segments[0]?.elements).toEqual([
      ['CA'],
      ['LOCK', '', '172'],
      [''],
      [''],
      ['A', 'B', ''],
      ['X'],
      [''],
    ]);
  });
});

describe('guards', () => {
  it('skips a segment longer than maxSegmentLength with an error and goes on', () => {
    const long = `FTX+AAA+++${'X'.repeat(5000)}`;
    const text = interchange(['BGM+85+DOC1+9', long, 'DTM+1']);
    for (const splits of [[], everyNBytes(text.length, 64)]) {
      const r = read(text, { maxSegmentLength: 1000, splits });
      expect(r.segments.map((s) => s.tag)).toEqual(['BGM', 'DTM']);
      const msg = r.messages[0]?.result;
      expect(msg?.ok).toBe(false);
      expect(msg?.segmentCount).toBe(5);
      expect(msg?.issues.map((i) => [i.code, i.segmentIndex, i.segmentTag, i.byteOffset])).toEqual([
        ['EDIFACT_SEGMENT_TOO_LONG', 4, 'FTX', text.indexOf('FTX')],
      ]);
      expect(r.interchanges[0]?.result.ok).toBe(false);
    }
  });

  it('rejects input that is not EDIFACT with INTAKE_NOT_EDI and reads nothing else', () => {
    for (const input of [
      'Tk9OIEVESSBGSUxFISAasadsdfs',
      'ISA*00*          *00*',
      "UNH+1+X:D:03B:UN'UNT+2+1'",
      '',
      '  \n',
    ]) {
      const r = read(input);
      expect(r.ok).toBe(false);
      expect(r.events.map((e) => e.kind)).toEqual(['fileIssue']);
      expect(r.fileIssues[0]).toMatchObject({ code: 'INTAKE_NOT_EDI', severity: 'error', file: 'test.edi' });
      expect(r.fileIssues[0]?.byteOffset).toBeTypeOf('number');
    }
  });

  it('reads 8-bit bytes as bytes (offsets stay byte offsets)', () => {
    const text = interchange(['NAD+CN+++M\u00dcLLER', 'DTM+1']);
    const r = read(latin1(text), { splits: everyNBytes(text.length, 7) });
    expect(r.segments.map((s) => s.byteOffset)).toEqual([text.indexOf('NAD'), text.indexOf('DTM')]);
    expect(r.segments[0]?.elements[3]).toEqual(['M\u00dcLLER']);
  });
});
