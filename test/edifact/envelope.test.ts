import { describe, expect, it } from 'vitest';
import { codes, errors, read } from './recording-sink.js';

/** Joins segments written with the default separators. */
const edi = (...segments: string[]): string => `${segments.join("'\n")}'\n`;
const UNB = 'UNB+UNOA:4+SENDER:ZZ+RECEIVER:ZZ+20240101:1200+IC1';
const msg = (
  ref: string,
  body: string[] = ['BGM+85+DOC+9'],
  count = body.length + 2,
  untRef = ref,
): string[] => [`UNH+${ref}+CUSCAR:D:03B:UN`, ...body, `UNT+${count}+${untRef}`];

describe('a valid interchange', () => {
  it('calls the sink in order with headers, segments and ok results', () => {
    const text = edi(
      UNB,
      ...msg('M1', ['BGM+85+DOC+9', 'DTM+132:202401011200:203']),
      ...msg('M2'),
      'UNZ+2+IC1',
    );
    const r = read(text, { strict: true });
    expect(r.events.map((e) => e.kind)).toEqual([
      'interchangeStart',
      'messageStart',
      'segment',
      'segment',
      'messageEnd',
      'messageStart',
      'segment',
      'messageEnd',
      'interchangeEnd',
    ]);
    expect(r.ok).toBe(true);
    expect(r.interchanges[0]?.header).toMatchObject({
      standard: 'edifact',
      senderId: 'SENDER',
      senderQualifier: 'ZZ',
      receiverId: 'RECEIVER',
      receiverQualifier: 'ZZ',
      controlNumber: 'IC1',
      date: '20240101',
      time: '1200',
      usage: '',
      syntax: 'UNOA:4',
      charset: 'iso-8859-1',
      una: false,
      segmentIndex: 0,
      byteOffset: 0,
    });
    expect(r.interchanges[0]?.result).toEqual({
      ok: true,
      issues: [],
      groupCount: 0,
      messageCount: 2,
      byteLength: text.length - 1,
    });
    expect(
      r.messages.map((m) => [
        m.header.type,
        m.header.reference,
        m.header.version,
        m.result.segmentCount,
        m.result.ok,
      ]),
    ).toEqual([
      ['CUSCAR', 'M1', 'D:03B:UN', 4, true],
      ['CUSCAR', 'M2', 'D:03B:UN', 3, true],
    ]);
  });

  it('reads groups: UNG fields reach the message header; UNZ counts groups', () => {
    const text = edi(
      UNB,
      'UNG+CUSCAR+APPSEND:ZZ+APPRECV:ZZ+240101:1200+G1+UN+D:03B',
      ...msg('M1'),
      ...msg('M2'),
      'UNE+2+G1',
      'UNZ+1+IC1',
    );
    const r = read(text, { strict: true });
    expect(r.ok).toBe(true);
    expect(r.interchanges[0]?.result).toMatchObject({ groupCount: 1, messageCount: 2 });
    expect(r.messages[0]?.header).toMatchObject({
      functionalId: 'CUSCAR',
      groupControl: 'G1',
      appSender: 'APPSEND',
      appReceiver: 'APPRECV',
    });
  });

  it('derives CCYYMMDD from a YYMMDD date and keeps the test indicator', () => {
    const r = read(edi('UNB+UNOA:3+S+R+940101:0950+1++++++1', ...msg('1'), 'UNZ+1+1'));
    expect(r.interchanges[0]?.header).toMatchObject({ date: '19940101', time: '0950', usage: '1' });
    const r2 = read(edi('UNB+UNOA:3+S+R+999818:999+1', ...msg('1'), 'UNZ+1+1'));
    expect(r2.interchanges[0]?.header.date).toBe('');
  });

  it('reads several interchanges in one file', () => {
    const r = read(edi(UNB, ...msg('1'), 'UNZ+1+IC1', UNB.replace('IC1', 'IC2'), ...msg('1'), 'UNZ+1+IC2'), {
      strict: true,
    });
    expect(r.ok).toBe(true);
    expect(r.interchanges.map((i) => [i.header.controlNumber, i.header.segmentIndex])).toEqual([
      ['IC1', 0],
      ['IC2', 5],
    ]);
  });
});

describe('message checks (UNH/UNT)', () => {
  it('UNT01 must be the segment count UNH..UNT (numeric, zero padding allowed)', () => {
    expect(read(edi(UNB, ...msg('M1', ['BGM+85'], 3).slice(0, -1), 'UNT+000003+M1', 'UNZ+1+IC1')).ok).toBe(
      true,
    );
    const text = edi(UNB, ...msg('M1', ['BGM+85', 'DTM+1'], 5), 'UNZ+1+IC1');
    const r = read(text);
    const m = r.messages[0]?.result;
    expect(m?.ok).toBe(false);
    expect(m?.segmentCount).toBe(4);
    expect(m?.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_UNT_COUNT',
        severity: 'error',
        file: 'test.edi',
        interchangeControl: 'IC1',
        messageRef: 'M1',
        segmentIndex: 4,
        positionInMessage: 4,
        segmentTag: 'UNT',
        element: 1,
        byteOffset: text.indexOf('UNT'),
      }),
    ]);
    expect(r.interchanges[0]?.result.ok).toBe(false);
    expect(r.interchanges[0]?.result.issues).toEqual([]);
    const bad = read(edi(UNB, ...msg('M1', ['BGM'], 3).slice(0, -1), 'UNT+X+M1', 'UNZ+1+IC1'));
    expect(codes(bad)).toEqual(['EDIFACT_UNT_COUNT']);
  });

  it('UNT02 must equal UNH01 (string equality)', () => {
    const r = read(edi(UNB, ...msg('0001', ['BGM'], 3, '1'), 'UNZ+1+IC1'));
    expect(r.messages[0]?.result.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_UNT_REFERENCE',
        element: 2,
        messageRef: '0001',
        segmentTag: 'UNT',
      }),
    ]);
  });

  it('UNH needs reference, type, version, release and agency', () => {
    const r = read(edi(UNB, 'UNH+M1+:D:95B:UN', 'BGM', 'UNT+3+M1', 'UNZ+1+IC1'));
    expect(r.messages[0]?.result.ok).toBe(false);
    expect(r.messages[0]?.result.issues[0]).toMatchObject({
      code: 'EDIFACT_UNH_INVALID',
      element: 2,
      component: 1,
      positionInMessage: 1,
    });
    expect(r.segments.map((s) => s.tag)).toEqual(['BGM']);
  });

  it('a message without UNT is closed not ok when the next UNH, UNZ or the end of input comes', () => {
    const nextUnh = read(edi(UNB, 'UNH+M1+CUSCAR:D:03B:UN', 'BGM', ...msg('M2'), 'UNZ+2+IC1'));
    expect(nextUnh.messages.map((m) => [m.header.reference, m.result.ok, m.result.segmentCount])).toEqual([
      ['M1', false, 2],
      ['M2', true, 3],
    ]);
    expect(nextUnh.messages[0]?.result.issues[0]).toMatchObject({
      code: 'EDIFACT_MISSING_UNT',
      segmentIndex: 3,
      segmentTag: 'UNH',
    });
    const atUnz = read(edi(UNB, 'UNH+M1+CUSCAR:D:03B:UN', 'BGM', 'UNZ+1+IC1'));
    expect(codes(atUnz)).toEqual(['EDIFACT_MISSING_UNT']);
    expect(atUnz.interchanges[0]?.result.ok).toBe(false);
    const truncated = read(edi(UNB, 'UNH+M1+CUSCAR:D:03B:UN', 'BGM'));
    expect(truncated.events.map((e) => e.kind)).toEqual([
      'interchangeStart',
      'messageStart',
      'segment',
      'messageEnd',
      'interchangeEnd',
    ]);
    expect(codes(truncated)).toEqual(['EDIFACT_MISSING_UNT', 'EDIFACT_MISSING_UNZ']);
    expect(truncated.ok).toBe(false);
  });

  it('a data segment outside a message is an interchange error', () => {
    const r = read(edi(UNB, 'BGM+85', 'DTM+1', ...msg('M1'), 'UNZ+1+IC1'));
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_SEGMENT_OUTSIDE_MESSAGE',
        segmentIndex: 1,
        segmentTag: 'BGM',
        interchangeControl: 'IC1',
      }),
    ]);
    expect(r.interchanges[0]?.result.ok).toBe(false);
    expect(r.messages[0]?.result.ok).toBe(true);
  });

  it('a UNT without UNH is an unmatched trailer', () => {
    const r = read(edi(UNB, 'UNT+2+M1', 'UNZ+0+IC1'));
    expect(codes(r)).toEqual(['EDIFACT_UNMATCHED_TRAILER']);
  });

  it('a malformed tag is an error where it stands and still counts as a segment', () => {
    const r = read(edi(UNB, 'UNH+M1+CUSCAR:D:03B:UN', 'BG', 'bgm+1', 'UNT+4+M1', 'UNZ+1+IC1'));
    expect(r.messages[0]?.result.issues.map((i) => [i.code, i.segmentTag, i.positionInMessage])).toEqual([
      ['EDIFACT_BAD_TAG', 'BG', 2],
      ['EDIFACT_BAD_TAG', 'bgm', 3],
    ]);
    expect(r.segments).toEqual([]);
    const ung = read(
      edi(UNB, 'UNG +CUSCAR+A+B+240101:1200+G1+UN+D:03B', ...msg('M1'), 'UNE+1+G1', 'UNZ+1+IC1'),
    );
    expect(codes(ung)).toEqual(['EDIFACT_BAD_TAG', 'EDIFACT_UNMATCHED_TRAILER']);
    expect(ung.issues[0]).toMatchObject({ segmentTag: 'UNG ', segmentIndex: 1 });
  });
});

describe('group checks (UNG/UNE)', () => {
  const ung = 'UNG+CUSCAR+A:ZZ+B:ZZ+240101:1200+G1+UN+D:03B';

  it('UNE01 must be the number of messages in the group', () => {
    const r = read(edi(UNB, ung, ...msg('M1'), ...msg('M2'), 'UNE+000001+G1', 'UNZ+1+IC1'));
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_UNE_COUNT',
        groupControl: 'G1',
        segmentTag: 'UNE',
        element: 1,
        segmentIndex: 8,
      }),
    ]);
    expect(r.interchanges[0]?.result.ok).toBe(false);
    expect(read(edi(UNB, ung, ...msg('M1'), 'UNE+000001+G1', 'UNZ+1+IC1')).ok).toBe(true);
  });

  it('UNE02 must equal the UNG reference', () => {
    const r = read(edi(UNB, ung, ...msg('M1'), 'UNE+1+G2', 'UNZ+1+IC1'));
    expect(codes(r)).toEqual(['EDIFACT_UNE_REFERENCE']);
  });

  it('a group without UNE is reported when UNZ or the end of input comes', () => {
    expect(codes(read(edi(UNB, ung, ...msg('M1'), 'UNZ+1+IC1')))).toEqual(['EDIFACT_MISSING_UNE']);
    expect(codes(read(edi(UNB, ung, ...msg('M1'))))).toEqual(['EDIFACT_MISSING_UNE', 'EDIFACT_MISSING_UNZ']);
  });

  it('UNG needs its group identification and reference', () => {
    expect(codes(read(edi(UNB, 'UNG+CUSCAR+A+B+240101:1200', ...msg('M1'), 'UNE+1+', 'UNZ+1+IC1')))).toEqual([
      'EDIFACT_UNG_INVALID',
    ]);
  });

  it('groups and ungrouped messages may not be mixed', () => {
    const r = read(edi(UNB, ...msg('M0'), ung, ...msg('M1'), 'UNE+1+G1', 'UNZ+1+IC1'));
    expect(codes(r)).toContain('EDIFACT_GROUPS_MIXED');
    expect(r.ok).toBe(false);
  });
});

describe('interchange checks (UNB/UNZ)', () => {
  it('UNZ01 must be the number of messages', () => {
    const r = read(edi(UNB, ...msg('M1'), ...msg('M2'), 'UNZ+1+IC1'));
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_UNZ_COUNT',
        segmentTag: 'UNZ',
        element: 1,
        interchangeControl: 'IC1',
        segmentIndex: 7,
      }),
    ]);
    expect(r.messages.every((m) => m.result.ok)).toBe(true);
    expect(r.interchanges[0]?.result.ok).toBe(false);
  });

  it('UNZ02 must equal UNB 0020 as a string', () => {
    const r = read(edi(UNB.replace('IC1', '6002'), ...msg('M1'), 'UNZ+1+00000000000001'));
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({ code: 'EDIFACT_UNZ_REFERENCE', element: 2 }),
    ]);
    expect(codes(read(edi(UNB.replace('IC1', '0001'), ...msg('M1'), 'UNZ+1+1')))).toEqual([
      'EDIFACT_UNZ_REFERENCE',
    ]);
  });

  it('an interchange without UNZ is truncated: interchangeEnd(ok:false) at end of input', () => {
    const r = read(edi(UNB, ...msg('M1')));
    expect(r.events.at(-1)?.kind).toBe('interchangeEnd');
    expect(r.interchanges[0]?.result.ok).toBe(false);
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({ code: 'EDIFACT_MISSING_UNZ', byteOffset: expect.any(Number) }),
    ]);
  });

  it('a UNB before UNZ closes the open interchange as truncated', () => {
    const r = read(edi(UNB, ...msg('M1'), UNB.replace('IC1', 'IC2'), ...msg('M1'), 'UNZ+1+IC2'));
    expect(r.interchanges.map((i) => [i.header.controlNumber, i.result.ok])).toEqual([
      ['IC1', false],
      ['IC2', true],
    ]);
  });

  it('UNB needs syntax, sender, recipient, date/time and control reference', () => {
    const r = read(edi('UNB+UNOA:4+SENDER++20240101:1200+IC1', ...msg('M1'), 'UNZ+1+IC1'));
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({ code: 'EDIFACT_UNB_INVALID', element: 3, component: 1, segmentIndex: 0 }),
    ]);
  });

  it('a message before any UNB belongs to no interchange', () => {
    const r = read(edi('UNA:+.? ', 'BGM+999', ...msg('1'), 'UNZ+1+1').replace("UNA:+.? '\n", "UNA:+.? '"));
    expect(r.interchanges).toEqual([]);
    expect(r.messages).toEqual([]);
    expect(r.fileIssues.map((i) => [i.code, i.segmentIndex, i.segmentTag])).toEqual([
      ['EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE', 1, 'BGM'],
      ['EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE', 2, 'UNH'],
    ]);
    expect(r.ok).toBe(false);
  });

  it('data after UNZ that is not a new interchange is junk', () => {
    const text = `${edi(UNB, ...msg('M1'), 'UNZ+1+IC1')}13Nov09`;
    const r = read(text);
    expect(r.interchanges[0]?.result.ok).toBe(true);
    expect(r.fileIssues).toContainEqual(
      expect.objectContaining({
        code: 'EDIFACT_JUNK_AFTER_UNZ',
        severity: 'error',
        byteOffset: text.indexOf('13Nov09'),
        segmentIndex: 5,
      }),
    );
    expect(r.ok).toBe(false);
  });

  it('a UNA with no UNB after it is reported', () => {
    const r = read("UNA:+.? '");
    expect(r.fileIssues.map((i) => i.code)).toEqual(['EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE']);
  });

  it('never reports an error in a clean interchange under strict, and every error names a position', () => {
    const broken = edi(UNB, 'BGM', 'UNH+M1+CUSCAR:D:03B:UN', 'UNT+9+M2', 'UNE+1+G', 'UNZ+5+IC9', 'JUNK');
    const r = read(broken, { strict: true });
    expect(errors(r).length).toBeGreaterThan(4);
    for (const issue of errors(r)) {
      expect(issue.segmentIndex !== undefined || issue.byteOffset !== undefined).toBe(true);
      expect(issue.file).toBe('test.edi');
    }
  });
});
