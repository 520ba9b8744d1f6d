import { describe, expect, it } from 'vitest';
import { buildInterchange, DEFAULT_DELIMS, isaText, simple } from './build-helper.js';
import { readX12 } from './read-helper.js';

const codes = (issues: { code: string }[]): string[] => issues.map((i) => i.code);

describe('X12 reader: well-formed interchange', () => {
  const text = simple(2);
  const r = readX12(text);

  it('reports one ok interchange with its header', () => {
    expect(r.ok).toBe(true);
    expect(r.interchanges).toHaveLength(1);
    const { header, result } = r.interchanges[0]!;
    expect(header).toMatchObject({
      standard: 'x12',
      senderQualifier: 'ZZ',
      senderId: 'SENDER',
      receiverQualifier: 'ZZ',
      receiverId: 'RECEIVER',
      controlNumber: '000000001',
      date: '20240115',
      time: '1200',
      usage: 'P',
      version: '00501',
      delimiters: { element: '*', component: '>', repetition: '^', segment: '~' },
      segmentIndex: 0,
      byteOffset: 0,
    });
    expect(result).toEqual({
      ok: true,
      issues: [],
      groupCount: 1,
      messageCount: 2,
      byteLength: text.length - 1,
    });
  });

  it('reports message headers from ST and GS, and segment counts', () => {
    expect(r.messages.map((m) => m.header)).toEqual([
      {
        type: '309',
        reference: '0001',
        version: '004060',
        functionalId: 'AQ',
        groupControl: '1',
        appSender: 'APPSEND',
        appReceiver: 'APPRECV',
        segmentIndex: 2,
        byteOffset: text.indexOf('ST*309*0001'),
      },
      expect.objectContaining({ reference: '0002', segmentIndex: 6 }),
    ]);
    expect(r.messages.map((m) => m.result)).toEqual([
      { ok: true, issues: [], segmentCount: 4 },
      { ok: true, issues: [], segmentCount: 4 },
    ]);
  });

  it('delivers only the segments between ST and SE, elements[0] = XX01, with file positions', () => {
    expect(r.segments.map((s) => s.tag)).toEqual(['M10', 'N1', 'M10', 'N1']);
    const m10 = r.segments[0]!;
    expect(m10.elements).toEqual(['ABCD', 'J', 'US', 'TRIP1']);
    expect(m10.index).toBe(3);
    expect(text.slice(m10.byteOffset, m10.byteOffset + 4)).toBe('M10*');
    expect(r.segments[3]!.index).toBe(8);
  });

  it('calls the sink in file order', () => {
    expect(r.calls.map((c) => c.kind)).toEqual([
      'interchangeStart',
      'messageStart',
      'segment',
      'segment',
      'messageEnd',
      'messageStart',
      'segment',
      'segment',
      'messageEnd',
      'interchangeEnd',
    ]);
  });

  it('keeps values raw: empty, trailing empty and component-joined elements', () => {
    const t = buildInterchange({
      groups: [{ control: '1', messages: [{ ref: '0001', body: [['N10', '', 'A>B', '', ''], ['LX']] }] }],
    });
    const res = readX12(t);
    expect(res.ok).toBe(true);
    expect(res.segments[0]!.elements).toEqual(['', 'A>B', '', '']);
    expect(res.segments[1]!.elements).toEqual([]);
  });
});

describe('X12 reader: trailer checks', () => {
  it('SE01 not equal to the counted segments', () => {
    const r = readX12(
      buildInterchange({
        groups: [{ control: '1', messages: [{ ref: '0001', body: [['LX', '1']], se01: '4' }] }],
      }),
    );
    expect(r.ok).toBe(false);
    const m = r.messages[0]!.result;
    expect(m.ok).toBe(false);
    expect(m.issues).toEqual([
      expect.objectContaining({
        code: 'X12_SE_COUNT',
        severity: 'error',
        file: 'test.edi',
        interchangeControl: '000000001',
        groupControl: '1',
        messageRef: '0001',
        segmentIndex: 4,
        positionInMessage: 3,
        segmentTag: 'SE',
        element: 1,
      }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
    expect(codes(r.issues)).toEqual(['X12_SE_COUNT']);
    // The interchange result holds its envelope's own issues only: the message's are in messageEnd.
    expect(r.interchanges[0]!.result.issues).toEqual([]);
  });

  it('SE01 that is not a number', () => {
    const r = readX12(
      buildInterchange({ groups: [{ control: '1', messages: [{ ref: '0001', body: [], se01: 'X' }] }] }),
    );
    expect(codes(r.messages[0]!.result.issues)).toEqual(['X12_SE_COUNT']);
  });

  it('SE02 not equal to ST02', () => {
    const r = readX12(
      buildInterchange({ groups: [{ control: '1', messages: [{ ref: '0001', body: [], se02: '0002' }] }] }),
    );
    expect(r.messages[0]!.result.issues).toEqual([
      expect.objectContaining({ code: 'X12_SE_CONTROL', element: 2 }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
  });

  it('GE01 not equal to the number of ST', () => {
    const r = readX12(
      buildInterchange({ groups: [{ control: '7', messages: [{ ref: '0001', body: [] }], ge01: '2' }] }),
    );
    expect(r.messages[0]!.result.ok).toBe(true);
    expect(r.interchanges[0]!.result.ok).toBe(false);
    expect(r.interchanges[0]!.result.issues).toEqual([
      expect.objectContaining({
        code: 'X12_GE_COUNT',
        groupControl: '7',
        segmentTag: 'GE',
        segmentIndex: 4,
        element: 1,
      }),
    ]);
  });

  it('GE02 not equal to GS06', () => {
    const r = readX12(buildInterchange({ groups: [{ control: '7', messages: [], ge02: '8' }] }));
    expect(r.interchanges[0]!.result.issues).toEqual([
      expect.objectContaining({ code: 'X12_GE_CONTROL', element: 2 }),
    ]);
  });

  it('IEA01 not equal to the number of groups', () => {
    const r = readX12(buildInterchange({ groups: [{ control: '1', messages: [] }], iea01: '2' }));
    expect(r.interchanges[0]!.result.issues).toEqual([
      expect.objectContaining({
        code: 'X12_IEA_COUNT',
        segmentTag: 'IEA',
        element: 1,
        interchangeControl: '000000001',
      }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
  });

  it('IEA02 compared to ISA13 as written: 1 is not 000000001', () => {
    const r = readX12(buildInterchange({ groups: [], iea02: '1' }));
    expect(codes(r.interchanges[0]!.result.issues)).toEqual(['X12_IEA_CONTROL']);
    expect(r.interchanges[0]!.result.ok).toBe(false);
  });
});

describe('X12 reader: missing trailers and truncation', () => {
  it('ST before the previous SE: the first message fails, the second is read', () => {
    const r = readX12(
      buildInterchange({
        groups: [
          {
            control: '1',
            messages: [
              { ref: '0001', body: [['LX', '1']], noSe: true },
              { ref: '0002', body: [] },
            ],
          },
        ],
      }),
    );
    expect(r.messages.map((m) => [m.header.reference, m.result.ok])).toEqual([
      ['0001', false],
      ['0002', true],
    ]);
    expect(r.messages[0]!.result.issues).toEqual([
      expect.objectContaining({
        code: 'X12_SE_MISSING',
        segmentTag: 'ST',
        segmentIndex: 4,
        messageRef: '0001',
      }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
  });

  it('GE before SE, IEA before GE', () => {
    const r = readX12(
      buildInterchange({
        groups: [{ control: '1', messages: [{ ref: '0001', body: [], noSe: true }], noGe: true }],
      }),
    );
    expect(codes(r.issues)).toEqual(['X12_SE_MISSING', 'X12_GE_MISSING']);
    expect(r.interchanges[0]!.result.ok).toBe(false);
  });

  it('a file cut inside a message ends the message, group and interchange with errors at end()', () => {
    const full = simple(1);
    const cut = full.slice(0, full.indexOf('N1*'));
    const r = readX12(cut);
    expect(r.calls.map((c) => c.kind)).toEqual([
      'interchangeStart',
      'messageStart',
      'segment',
      'messageEnd',
      'interchangeEnd',
    ]);
    expect(r.messages[0]!.result.ok).toBe(false);
    expect(codes(r.issues)).toEqual([
      'X12_SE_MISSING',
      'X12_GE_MISSING',
      'X12_IEA_MISSING',
    ]);
    const missing = r.issues[2]!;
    expect(missing.byteOffset).toBe(cut.length);
    expect(r.ok).toBe(false);
  });

  it('a missing IEA alone is an error', () => {
    const full = simple(1);
    const r = readX12(full.slice(0, full.indexOf('IEA*')));
    expect(r.messages[0]!.result.ok).toBe(true);
    expect(r.interchanges[0]!.result).toMatchObject({ ok: false, groupCount: 1, messageCount: 1 });
    expect(codes(r.interchanges[0]!.result.issues)).toEqual(['X12_IEA_MISSING']);
  });

  it('a new ISA before IEA closes the open interchange with an error and reads the next one', () => {
    const first = simple(1);
    const text = first.slice(0, first.indexOf('GE*')) + simple(1, {}, '000000002');
    const r = readX12(text);
    expect(r.interchanges.map((i) => [i.header.controlNumber, i.result.ok])).toEqual([
      ['000000001', false],
      ['000000002', true],
    ]);
    expect(codes(r.interchanges[0]!.result.issues)).toEqual(['X12_GE_MISSING', 'X12_IEA_MISSING']);
  });

  it('a file that ends inside the ISA', () => {
    const r = readX12(simple(1).slice(0, 60));
    expect(r.interchanges).toHaveLength(0);
    expect(codes(r.fileIssues)).toEqual(['X12_ISA_INVALID', 'INTAKE_NOT_EDI']);
    expect(r.fileIssues[0]!.byteOffset).toBe(0);
  });
});

describe('X12 reader: segments outside their envelope', () => {
  it('a data segment between SE and the next ST', () => {
    const text = simple(1).replace('GE*', 'LX*9~\nGE*');
    const r = readX12(text);
    expect(r.interchanges[0]!.result.issues).toEqual([
      expect.objectContaining({ code: 'X12_SEGMENT_OUTSIDE_ENVELOPE', segmentTag: 'LX', groupControl: '1' }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
    expect(r.segments.map((s) => s.tag)).not.toContain('LX');
  });

  it('a data segment between ISA and GS', () => {
    const text = simple(1).replace('GS*', 'N1*XX~\nGS*');
    expect(codes(readX12(text).interchanges[0]!.result.issues)).toEqual(['X12_SEGMENT_OUTSIDE_ENVELOPE']);
  });

  it('ST without GS: the message is read but not ok', () => {
    const text = buildInterchange({ groups: [] }).replace('IEA*0', 'ST*309*0001~\nLX*1~\nSE*3*0001~\nIEA*0');
    const r = readX12(text);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]!.result.ok).toBe(false);
    expect(codes(r.messages[0]!.result.issues)).toEqual(['X12_SEGMENT_OUTSIDE_ENVELOPE']);
    expect(r.interchanges[0]!.result).toMatchObject({ ok: false, messageCount: 1, groupCount: 0 });
  });

  it('GE without GS and SE without ST', () => {
    const text = buildInterchange({ groups: [] }).replace('IEA*0', 'SE*2*0001~\nGE*0*1~\nIEA*0');
    expect(codes(readX12(text).interchanges[0]!.result.issues)).toEqual([
      'X12_SEGMENT_OUTSIDE_ENVELOPE',
      'X12_SEGMENT_OUTSIDE_ENVELOPE',
    ]);
  });

  it('ISB, ISE and TA1 are allowed at interchange level and counted as neither groups nor messages', () => {
    const r = readX12(
      buildInterchange({
        before: [
          ['ISB', '1'],
          ['ISE', '200601', '0515', '04'],
          ['TA1', '000000050', '200229', '1200', 'A', '000'],
        ],
        groups: [{ control: '1', messages: [{ ref: '0001', body: [] }] }],
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.interchanges[0]!.result).toMatchObject({ groupCount: 1, messageCount: 1 });
  });

  it('a TA1-only interchange (IEA01 = 0) is ok; IEA01 = 1 without a group is not', () => {
    const ta1 = [['TA1', '000000050', '200229', '1200', 'A', '000']];
    const good = readX12(buildInterchange({ before: ta1, groups: [] }));
    expect(good.ok).toBe(true);
    expect(good.interchanges[0]!.result).toMatchObject({ ok: true, groupCount: 0, messageCount: 0 });
    expect(good.calls.map((c) => c.kind)).toEqual(['interchangeStart', 'interchangeEnd']);
    const bad = readX12(buildInterchange({ before: ta1, groups: [], iea01: '1' }));
    expect(codes(bad.interchanges[0]!.result.issues)).toEqual(['X12_IEA_COUNT']);
  });

  it('GS without GS06 and ST without ST02', () => {
    const text = simple(1)
      .replace('*1200*1*X*', '*1200**X*')
      .replace('GE*1*1', 'GE*1*')
      .replace('ST*309*0001', 'ST*309*')
      .replace('SE*4*0001', 'SE*4*');
    const r = readX12(text);
    expect(codes(r.issues).sort()).toEqual(['X12_GS_INVALID', 'X12_ST_INVALID']);
  });

  it('an invalid tag and an empty segment are errors in their message', () => {
    const text = simple(1).replace('N1*CN', 'n1*CN').replace('M10*', '~M10*');
    const r = readX12(text);
    expect(codes(r.messages[0]!.result.issues)).toEqual(['X12_SEGMENT_EMPTY', 'X12_SEGMENT_TAG_INVALID']);
    expect(r.messages[0]!.result.ok).toBe(false);
  });
});

describe('X12 reader: several interchanges, junk, not EDI', () => {
  it('interchanges back to back without a newline, each with its own delimiters', () => {
    const a = simple(1, { after: '' });
    const b = simple(2, { element: '|', component: ':', terminator: '!', after: '' }, '000000002');
    const r = readX12(a + b);
    expect(r.ok).toBe(true);
    expect(
      r.interchanges.map((i) => [i.header.controlNumber, i.header.delimiters.segment, i.result.messageCount]),
    ).toEqual([
      ['000000001', '~', 1],
      ['000000002', '!', 2],
    ]);
    expect(r.interchanges[1]!.header.byteOffset).toBe(a.length);
    expect(r.segments[2]!.elements).toEqual(['ABCD', 'J', 'US', 'TRIP1']);
  });

  it('junk after IEA is a file error that names its byte offset; the interchange stays ok', () => {
    const good = simple(1);
    const r = readX12(`${good}13Nov09\n`);
    expect(r.interchanges[0]!.result.ok).toBe(true);
    expect(r.fileIssues).toEqual([
      expect.objectContaining({
        code: 'X12_JUNK_OUTSIDE_INTERCHANGE',
        severity: 'error',
        byteOffset: good.length,
      }),
    ]);
    expect(r.ok).toBe(false);
  });

  it('junk between interchanges is reported once and the next ISA is read', () => {
    const r = readX12(`${simple(1)}GS*junk~\nmore junk ISAX\n${simple(1, {}, '000000002')}`);
    expect(r.interchanges.map((i) => i.result.ok)).toEqual([true, true]);
    expect(codes(r.fileIssues)).toEqual(['X12_JUNK_OUTSIDE_INTERCHANGE']);
  });

  it('junk before the first ISA', () => {
    const r = readX12(`hello\n${simple(1)}`);
    expect(r.fileIssues).toEqual([
      expect.objectContaining({ code: 'X12_JUNK_OUTSIDE_INTERCHANGE', byteOffset: 0 }),
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(true);
  });

  it('input without any ISA is not EDI', () => {
    for (const text of [
      'Tk9OIEVESSBGSUxFISAasadsdfs',
      '',
      '\n\n',
      "UNA:+.? 'UNB+UNOA:4+A+B+240101:1200+1'UNZ+0+1'",
    ]) {
      const r = readX12(text);
      expect(r.interchanges).toHaveLength(0);
      expect(r.fileIssues).toEqual([
        expect.objectContaining({ code: 'INTAKE_NOT_EDI', severity: 'error', byteOffset: 0 }),
      ]);
    }
  });

  it('trailing line breaks after the last IEA are fine', () => {
    const r = readX12(`${simple(1)}\r\n\r\n\n`, { strict: true });
    expect(r.ok).toBe(true);
    expect(r.fileIssues).toEqual([]);
  });
});

describe('X12 reader: ISA checks', () => {
  it('an unpadded ISA is read by its separators and rejected for its length and field widths', () => {
    const text = simple(1).replace('*SENDER         *', '*SENDER*').replace('*          *00*', '* *00*');
    const r = readX12(text);
    expect(r.interchanges).toHaveLength(1);
    const issues = r.interchanges[0]!.result.issues;
    expect(issues[0]).toMatchObject({
      code: 'X12_ISA_LENGTH',
      segmentIndex: 0,
      segmentTag: 'ISA',
      byteOffset: 0,
    });
    expect(issues[0]!.message).toContain(`${106 - 9 - 9} characters`);
    expect(issues.slice(1).map((i) => [i.code, i.element])).toEqual([
      ['X12_ISA_FIELD', 2],
      ['X12_ISA_FIELD', 6],
    ]);
    expect(r.interchanges[0]!.result.ok).toBe(false);
    // The delimiters were still found, so the messages are read.
    expect(r.messages).toHaveLength(1);
  });

  it('fixed-field values: control number, acknowledgment flag, usage', () => {
    const isa = isaText(DEFAULT_DELIMS);
    const text = simple(1).replace(isa, isa.replace('*000000001*0*P*', '*00000000A*2*X*'));
    const r = readX12(text);
    const isaIssues = r.interchanges[0]!.result.issues.filter((i) => i.segmentTag === 'ISA');
    expect(isaIssues.map((i) => [i.code, i.element])).toEqual([
      ['X12_ISA_FIELD', 13],
      ['X12_ISA_FIELD', 14],
      ['X12_ISA_FIELD', 15],
    ]);
  });

  it('an ISA whose terminator equals its element separator cannot be read', () => {
    const r = readX12(simple(1, { terminator: '*', after: '\n' }));
    expect(r.interchanges).toHaveLength(0);
    expect(codes(r.fileIssues)).toEqual(['X12_ISA_INVALID', 'INTAKE_NOT_EDI']);
  });
});

describe('X12 reader: binary segments', () => {
  it('BIN payload is read by its length, raw, even when it holds the terminator and newlines', () => {
    const payload = 'AB~\nC*D\r\n~~';
    const text = buildInterchange({
      groups: [
        {
          control: '1',
          messages: [
            {
              ref: '0001',
              body: [
                ['BIN', String(payload.length), payload],
                ['LX', '1'],
              ],
            },
          ],
        },
      ],
    });
    const r = readX12(text);
    expect(r.ok).toBe(true);
    expect(r.segments.map((s) => [s.tag, s.elements])).toEqual([
      ['BIN', [String(payload.length), payload]],
      ['LX', ['1']],
    ]);
  });

  it('BIN bytes >= 0x80 stay raw (one char per byte)', () => {
    const bytes = new TextEncoder().encode(
      simple(1).replace('N1*CN*NAME 1', 'BIN*4*\u0000\u0000\u0000\u0000'),
    );
    const at = indexOfBytes(bytes, 'BIN*4*') + 6;
    bytes.set([0xff, 0x00, 0xe2, 0x80], at);
    const r = readX12(bytes);
    expect(r.ok).toBe(true);
    expect(r.segments[1]!.elements[1]).toBe('\u00ff\u0000\u00e2\u0080');
  });

  it('BDS (length in BDS02) is read the same way', () => {
    const payload = 'x~y';
    const text = buildInterchange({
      groups: [{ control: '1', messages: [{ ref: '0001', body: [['BDS', 'ASC', '3', payload]] }] }],
    });
    const r = readX12(text);
    expect(r.ok).toBe(true);
    expect(r.segments[0]!.elements).toEqual(['ASC', '3', payload]);
  });

  it('a BIN length that does not match is an error', () => {
    const text = buildInterchange({
      groups: [{ control: '1', messages: [{ ref: '0001', body: [['BIN', '5', 'AB']] }] }],
    });
    const r = readX12(text);
    expect(codes(r.messages[0]!.result.issues)).toContain('X12_BINARY_INVALID');
    expect(r.ok).toBe(false);
  });
});

function indexOfBytes(bytes: Uint8Array, ascii: string): number {
  outer: for (let i = 0; i + ascii.length <= bytes.length; i++) {
    for (let k = 0; k < ascii.length; k++) if (bytes[i + k] !== ascii.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}
