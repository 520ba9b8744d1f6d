import { describe, expect, it } from 'vitest';
import { buildAck } from '../../src/core/ack/index.js';
import type { AckInput, AckRequest } from '../../src/core/ack/types.js';
import { DEFAULT_PARTNER_PROFILE, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { Issue } from '../../src/core/model/issue.js';
import type {
  EdifactInterchangeHeader,
  MessageHeader,
  X12InterchangeHeader,
} from '../../src/core/model/reader.js';
import { readX12 } from './read-inbound.js';

const x12Header: X12InterchangeHeader = {
  standard: 'x12',
  senderQualifier: 'ZZ',
  senderId: 'PARTNER        ',
  receiverQualifier: 'ZZ',
  receiverId: 'S321           ',
  controlNumber: '000000123',
  date: '20250310',
  time: '1200',
  usage: 'P',
  segmentIndex: 0,
  byteOffset: 0,
  version: '00401',
  delimiters: { element: '*', component: '>', repetition: null, segment: '~' },
};

const msg = (reference: string, groupControl = '7', type = '309'): MessageHeader => ({
  type,
  reference,
  version: '004060',
  functionalId: 'AQ',
  groupControl,
  appSender: 'PARTNER',
  appReceiver: 'S321',
  segmentIndex: 2,
  byteOffset: 0,
});

const issue = (code: string, extra: Partial<Issue> = {}): Issue =>
  ({ code, severity: 'error', message: code, ...extra }) as Issue;

function request(
  input: Partial<AckInput> & { messages: AckInput['messages'] },
  over: Partial<AckRequest> = {},
): AckRequest {
  return {
    input: {
      interchange: x12Header,
      result: { ok: true, issues: [], groupCount: 1, messageCount: input.messages.length, byteLength: 100 },
      ...input,
    },
    partner: DEFAULT_PARTNER_PROFILE,
    control: { interchange: 1, group: 1, firstMessage: 1 },
    created: { date: '2025-03-11', time: '08:00' },
    ...over,
  };
}

const ok = (h: MessageHeader, issues: Issue[] = []) => ({
  header: h,
  result: { ok: !issues.some((i) => i.severity === 'error'), issues, segmentCount: 5 },
});
const segmentsOf = (content: string) =>
  content
    .split('~')
    .map((s) => s.trim())
    .filter((s) => s !== '');

describe('X12 999 / 997 / TA1', () => {
  it('accepts an interchange without errors and ignores warnings', () => {
    const ack = buildAck(
      request({ messages: [ok(msg('0001'), [issue('X12_LAYOUT_WHITESPACE', { severity: 'warning' })])] }),
    );
    expect(ack.kind).toBe('999');
    expect(segmentsOf(ack.content)).toEqual(expect.arrayContaining(['AK2*309*0001', 'IK5*A', 'AK9*A*1*1*1']));
    expect(ack.summary.interchange.status).toBe('accepted');
    expect(ack.content).not.toContain('TA1');
  });

  it('swaps sender and receiver and trims padded ids', () => {
    const isa = buildAck(request({ messages: [ok(msg('0001'))] })).content.slice(0, 106);
    expect(isa.split('*').slice(5, 9)).toEqual(['ZZ', 'S321           ', 'ZZ', 'PARTNER        ']);
  });

  it('reports an unknown element-level issue with IK3 8 / IK4 7 and rejects the set', () => {
    const bad = issue('NORMALIZE_SOMETHING', {
      positionInMessage: 12,
      segmentTag: 'N4',
      element: 3,
      component: 2,
    });
    const ack = buildAck(request({ messages: [ok(msg('0001'), [bad]), ok(msg('0002'))] }));
    const segs = segmentsOf(ack.content);
    expect(segs).toEqual(expect.arrayContaining(['IK3*N4*12**8', 'IK4*3>2**7', 'IK5*R*5', 'AK9*P*2*2*1']));
    expect(ack.summary.groups[0]?.status).toBe('partially-accepted');
  });

  it('reports a segment-level issue without element as IK3 alone', () => {
    const ack = buildAck(
      request({
        messages: [
          ok(msg('0001'), [issue('X12_SEGMENT_TAG_INVALID', { positionInMessage: 4, segmentTag: 'Q1' })]),
        ],
      }),
    );
    const segs = segmentsOf(ack.content);
    expect(segs).toContain('IK3*Q1*4**1');
    expect(segs.some((s) => s.startsWith('IK4'))).toBe(false);
  });

  it('rejects a message whose result is not ok even without issues', () => {
    const ack = buildAck(
      request({ messages: [{ header: msg('0001'), result: { ok: false, issues: [], segmentCount: 3 } }] }),
    );
    expect(segmentsOf(ack.content)).toContain('IK5*R*5');
  });

  it('answers an ISA field error with a TA1 naming the element, and nothing else', () => {
    const bad = issue('X12_ISA_FIELD', { segmentTag: 'ISA', element: 6 });
    const ack = buildAck(
      request({
        messages: [ok(msg('0001'))],
        result: { ok: false, issues: [bad], groupCount: 1, messageCount: 1, byteLength: 100 },
      }),
    );
    expect(ack.kind).toBe('TA1');
    expect(segmentsOf(ack.content).slice(1)).toEqual(['TA1*000000123*250310*1200*R*006', 'IEA*0*000000001']);
    expect(ack.messages).toBe(0);
  });

  it('answers an interchange that is not ok, without any issue, with TA1 024', () => {
    const ack = buildAck(
      request({
        messages: [],
        result: { ok: false, issues: [], groupCount: 0, messageCount: 0, byteLength: 10 },
      }),
    );
    expect(ack.content).toContain('TA1*000000123*250310*1200*R*024');
  });

  it('writes nothing for an empty, error-free interchange, and no TA1 when the partner wants none', () => {
    expect(buildAck(request({ messages: [] })).content).toBe('');
    const never = resolvePartnerProfile({ x12: { ack: { ta1: 'never' } } });
    if (!never.ok) throw new Error('profile');
    const rejected = buildAck(
      request(
        {
          messages: [],
          result: {
            ok: false,
            issues: [issue('X12_IEA_MISSING')],
            groupCount: 0,
            messageCount: 0,
            byteLength: 10,
          },
        },
        { partner: never.profile },
      ),
    );
    expect(rejected.content).toBe('');
    expect(rejected.summary.interchange.status).toBe('rejected');
  });

  it('places a message issue reported only at interchange level on its message', () => {
    const se = issue('X12_SE_MISSING', { groupControl: '7', messageRef: '0002' });
    const ack = buildAck(
      request({
        messages: [ok(msg('0001')), ok(msg('0002'))],
        result: { ok: false, issues: [se], groupCount: 1, messageCount: 2, byteLength: 100 },
      }),
    );
    expect(ack.summary.messages.map((m) => [m.reference, m.status, m.codes])).toEqual([
      ['0001', 'accepted', []],
      ['0002', 'rejected', ['2']],
    ]);
  });

  it('writes one 999 per functional group and numbers them from firstMessage', () => {
    const ack = buildAck(
      request(
        { messages: [ok(msg('0001', '7')), ok(msg('0001', '8'))] },
        { control: { interchange: 5, group: 6, firstMessage: 41 } },
      ),
    );
    const segs = segmentsOf(ack.content);
    expect(segs.filter((s) => s.startsWith('ST*999'))).toEqual([
      'ST*999*0041*005010X231A1',
      'ST*999*0042*005010X231A1',
    ]);
    expect(segs.filter((s) => s.startsWith('AK1'))).toEqual(['AK1*AQ*7*004060', 'AK1*AQ*8*004060']);
    expect(ack.controlNumbers).toEqual({
      interchange: 5,
      group: 6,
      messages: ['0041', '0042'],
      nextMessage: 43,
    });
    const back = readX12(new TextEncoder().encode(ack.content));
    expect(back.interchanges[0]?.ack.result.ok).toBe(true);
  });

  it('refuses to acknowledge EDIFACT with a 999', () => {
    const edifactHeader = {
      ...x12Header,
      standard: 'edifact',
      syntax: 'UNOA:4',
      charset: 'ascii',
      una: false,
      delimiters: {
        component: ':',
        element: '+',
        decimal: '.',
        release: '?',
        repetition: null,
        segment: "'",
      },
    } as unknown as EdifactInterchangeHeader;
    const ack = buildAck(request({ interchange: edifactHeader, messages: [] }, { kind: '999' }));
    expect(ack.ok).toBe(false);
    expect(ack.issues.map((i) => i.code as string)).toEqual(['GENERATE_ACK_NOT_APPLICABLE']);
  });
});
