/**
 * X12 acknowledgments of one inbound interchange: a TA1 for interchange envelope errors (or for
 * every interchange when the partner wants it), then one 999 (or 997) transaction set per functional
 * group: AK1, per transaction set AK2 + IK3/IK4 (AK3/AK4) + IK5 (AK5), and AK9. An interchange
 * rejected at envelope level gets the TA1 alone: its groups were not processed.
 */
import { safeNamePart } from '../generate/common.js';
import { generateIssue } from '../generate/issues.js';
import type { Issue } from '../model/issue.js';
import type { X12InterchangeHeader } from '../model/reader.js';
import { writeX12Interchange, type X12SegmentInput, type X12TransactionInput } from '../x12/writer.js';
import { type ClassifiedAck, classifyAck, type MessageFinding } from './classify.js';
import type { AckRequest, AckStatus, AckSummary, GeneratedAck } from './types.js';

const MAX_CODES = 5;

/** 'ack-999_<partner>_<interchange>.x12', same character rule as outbound files. */
export function ackFileName(kind: string, sender: string, interchange: number, ext: string): string {
  const n =
    Number.isSafeInteger(interchange) && interchange >= 0 ? String(interchange).padStart(9, '0') : 'invalid';
  return `ack-${kind.toLowerCase()}_${safeNamePart(sender)}_${n}.${ext}`;
}

/**
 * 'ack-999_<partner>.x12' ('.edi' for a CONTRL): the name of an acknowledgment without its own
 * control number, so the same inbound interchange always gets the same name (queue mode records
 * acknowledgments under names that a redelivered input must find again).
 */
export function ackBaseName(kind: GeneratedAck['kind'], sender: string): string {
  return `ack-${kind.toLowerCase()}_${safeNamePart(sender)}.${kind === 'CONTRL' ? 'edi' : 'x12'}`;
}

export function emptySummary(controlNumber: string): AckSummary {
  return { interchange: { controlNumber, status: 'rejected', ta1Code: null }, groups: [], messages: [] };
}

function groupStatus(rejected: boolean, msgs: MessageFinding[]): AckStatus {
  if (rejected) return 'rejected';
  const bad = msgs.filter((m) => m.rejected).length;
  if (bad === 0) return 'accepted';
  return bad === msgs.length ? 'rejected' : 'partially-accepted';
}

const AK9_CODE: Record<AckStatus, string> = {
  accepted: 'A',
  'accepted-with-errors': 'E',
  'partially-accepted': 'P',
  rejected: 'R',
};

function transactionSegments(kind: '999' | '997', m: MessageFinding): X12SegmentInput[] {
  const is999 = kind === '999';
  const out: X12SegmentInput[] = [{ tag: 'AK2', elements: [m.header.type, m.header.reference] }];
  for (const seg of m.segments) {
    if (seg.tag === '') continue;
    const segCode = seg.codes[0] ?? '8';
    out.push({ tag: is999 ? 'IK3' : 'AK3', elements: [seg.tag, String(seg.position), '', segCode] });
    for (const e of seg.elements) {
      const position = e.component === null ? String(e.element) : [String(e.element), String(e.component)];
      out.push({ tag: is999 ? 'IK4' : 'AK4', elements: [position, '', e.code] });
    }
  }
  const codes = m.rejected ? (m.codes.length > 0 ? m.codes : ['5']).slice(0, MAX_CODES) : [];
  out.push({ tag: is999 ? 'IK5' : 'AK5', elements: [m.rejected ? 'R' : 'A', ...codes] });
  return out;
}

export function buildX12Ack(req: AckRequest): GeneratedAck {
  const header = req.input.interchange;
  const kind = req.kind ?? req.partner.x12.ack.kind;
  const fileName = ackFileName(
    kind,
    header.senderId.trim(),
    req.control.interchange,
    kind === 'CONTRL' ? 'edi' : 'x12',
  );
  const controlNumbers = {
    interchange: req.control.interchange,
    group: null as number | null,
    messages: [] as string[],
    nextMessage: req.control.firstMessage,
  };
  if (header.standard !== 'x12' || kind === 'CONTRL') {
    return {
      kind: kind === 'CONTRL' ? 'CONTRL' : kind,
      fileName,
      content: '',
      charset: 'ascii',
      ok: false,
      messages: 0,
      controlNumbers,
      issues: [
        generateIssue(
          'GENERATE_ACK_NOT_APPLICABLE',
          `a ${kind} cannot acknowledge an ${header.standard} interchange`,
          { file: fileName },
        ),
      ],
      summary: emptySummary(header.controlNumber),
    };
  }
  return writeX12Ack(req, header, kind, fileName, classifyAck(req.input));
}

function writeX12Ack(
  req: AckRequest,
  header: X12InterchangeHeader,
  kind: '999' | '997',
  fileName: string,
  c: ClassifiedAck,
): GeneratedAck {
  const cfg = req.partner.x12.ack;
  const issues: Issue[] = [];
  const ta1Policy = cfg.ta1;
  const rejected = c.interchange.rejected;
  const ta1Code = rejected ? (c.interchange.ta1[0] ?? '024') : '000';
  const withTa1 = rejected ? ta1Policy !== 'never' : ta1Policy === 'always';
  const leading: X12SegmentInput[] = withTa1
    ? [
        {
          tag: 'TA1',
          elements: [header.controlNumber, header.date.slice(-6), header.time, rejected ? 'R' : 'A', ta1Code],
        },
      ]
    : [];

  const transactions: X12TransactionInput[] = [];
  const summary: AckSummary = {
    interchange: {
      controlNumber: header.controlNumber,
      status: rejected ? 'rejected' : 'accepted',
      ta1Code: withTa1 ? ta1Code : null,
    },
    groups: [],
    messages: [],
  };
  if (!rejected) {
    for (const g of c.groups) {
      const msgs = c.messages.filter((m) => m.header.groupControl === g.groupControl);
      const first = msgs[0];
      if (first === undefined) {
        // A group known only from a group-level issue: without GS01/GS08 no AK1 can be written.
        issues.push(
          generateIssue(
            'GENERATE_ACK_NOT_APPLICABLE',
            `group ${g.groupControl} has no transaction set; it is not acknowledged`,
            { file: fileName, groupControl: g.groupControl },
          ),
        );
        continue;
      }
      const status = groupStatus(g.rejected, msgs);
      const ref = String(req.control.firstMessage + transactions.length).padStart(4, '0');
      const segments: X12SegmentInput[] = [
        {
          tag: 'AK1',
          elements:
            kind === '999'
              ? [first.header.functionalId, g.groupControl, first.header.version]
              : [first.header.functionalId, g.groupControl],
        },
        ...msgs.flatMap((m) => transactionSegments(kind, m)),
        {
          tag: 'AK9',
          elements: [
            AK9_CODE[status],
            String(msgs.length),
            String(msgs.length),
            // A rejected group accepts none of its sets, even those without errors of their own.
            String(g.rejected ? 0 : msgs.filter((m) => !m.rejected).length),
            ...g.codes.slice(0, MAX_CODES),
          ],
        },
      ];
      transactions.push({
        type: kind,
        controlNumber: ref,
        ...(kind === '999' ? { implementationRef: cfg.version999 } : {}),
        segments,
      });
      summary.groups.push({ groupControl: g.groupControl, status, codes: g.codes });
      for (const m of msgs) {
        summary.messages.push({
          groupControl: m.header.groupControl,
          reference: m.header.reference,
          type: m.header.type,
          status: m.rejected ? 'rejected' : 'accepted',
          codes: m.rejected ? (m.codes.length > 0 ? m.codes : ['5']) : [],
        });
      }
    }
    if (summary.groups.some((g) => g.status !== 'accepted'))
      summary.interchange.status = 'partially-accepted';
    if (summary.groups.length > 0 && summary.groups.every((g) => g.status === 'rejected'))
      summary.interchange.status = 'rejected';
  }

  const nothing = leading.length + transactions.length === 0;
  const resultKind = transactions.length > 0 ? kind : 'TA1';
  if (nothing) {
    // Nothing to acknowledge: an interchange without groups and without envelope errors.
    return {
      kind: resultKind,
      fileName,
      content: '',
      charset: 'ascii',
      ok: true,
      messages: 0,
      controlNumbers: {
        interchange: req.control.interchange,
        group: null,
        messages: [],
        nextMessage: req.control.firstMessage,
      },
      issues,
      summary,
    };
  }
  const first = c.messages[0]?.header;
  const appOk = (v: string | undefined): v is string => v !== undefined && v.length >= 2 && v.length <= 15;
  const ourId = header.receiverId.trim();
  const theirId = header.senderId.trim();
  const result = writeX12Interchange(
    {
      senderQualifier: header.receiverQualifier,
      senderId: ourId,
      receiverQualifier: header.senderQualifier,
      receiverId: theirId,
      date: req.created.date,
      time: req.created.time,
      controlNumber: req.control.interchange,
      version: kind === '999' ? cfg.isaVersion999 : cfg.isaVersion997,
      ackRequested: false,
      usage: header.usage === 'T' ? 'T' : 'P',
      leadingSegments: leading,
      groups:
        transactions.length === 0
          ? []
          : [
              {
                functionalId: 'FA',
                appSenderId: appOk(first?.appReceiver) ? first.appReceiver : ourId,
                appReceiverId: appOk(first?.appSender) ? first.appSender : theirId,
                date: req.created.date,
                time: req.created.time,
                controlNumber: req.control.group,
                version: kind === '999' ? cfg.version999 : cfg.version997,
                transactions,
              },
            ],
    },
    {
      delimiters: req.partner.x12.delimiters,
      replacement: req.partner.replacement,
      lineBreak: req.partner.x12.lineBreak,
      fileName,
    },
  );
  issues.push(...result.issues);
  const refs = result.ok ? transactions.map((t) => t.controlNumber) : [];
  return {
    kind: resultKind,
    fileName,
    content: result.content,
    charset: 'ascii',
    ok: result.ok,
    messages: refs.length,
    controlNumbers: {
      interchange: req.control.interchange,
      group: transactions.length > 0 ? req.control.group : null,
      messages: refs,
      nextMessage: req.control.firstMessage + refs.length,
    },
    issues,
    summary,
  };
}
