/**
 * EDIFACT CONTRL acknowledging one inbound interchange: UCI (interchange, action 7 acknowledged or
 * 4 rejected, with the 0085 error code when the envelope is at fault), then per message UCM with
 * its action and, for rejections, UCS (segment position in the message) and UCD (element and
 * component position) carrying the 0085 codes. CONTRL version follows the inbound syntax version
 * (4:1 for syntax 4, D:3 before). Messages of UNG groups are reported under a UCF per group.
 */
import { type EdifactSegmentInput, writeEdifactInterchange } from '../edifact/writer.js';
import { generateIssue } from '../generate/issues.js';
import type { EdifactInterchangeHeader } from '../model/reader.js';
import { type ClassifiedAck, classifyAck } from './classify.js';
import type { AckRequest, AckSummary, GeneratedAck } from './types.js';
import { ackFileName, emptySummary } from './x12-ack.js';

export function buildContrl(req: AckRequest): GeneratedAck {
  const header = req.input.interchange;
  const fileName = ackFileName('CONTRL', header.senderId.trim(), req.control.interchange, 'edi');
  if (header.standard !== 'edifact' || (req.kind !== undefined && req.kind !== 'CONTRL')) {
    return {
      kind: 'CONTRL',
      fileName,
      content: '',
      charset: 'ascii',
      ok: false,
      messages: 0,
      controlNumbers: {
        interchange: req.control.interchange,
        group: null,
        messages: [],
        nextMessage: req.control.firstMessage,
      },
      issues: [
        generateIssue(
          'GENERATE_ACK_NOT_APPLICABLE',
          `a CONTRL cannot acknowledge an ${header.standard} interchange`,
          { file: fileName },
        ),
      ],
      summary: emptySummary(header.controlNumber),
    };
  }
  return writeContrl(req, header, fileName, classifyAck(req.input));
}

function party(id: string, qualifier: string): string[] {
  return qualifier.trim() === '' ? [id.trim()] : [id.trim(), qualifier.trim()];
}

function writeContrl(
  req: AckRequest,
  header: EdifactInterchangeHeader,
  fileName: string,
  c: ClassifiedAck,
): GeneratedAck {
  const [syntaxId = 'UNOA', syntaxVersion = '4'] = header.syntax.split(':');
  const cfg = req.partner.edifact.contrl;
  const v4 = syntaxVersion === '4';
  const rejected = c.interchange.rejected;
  const segments: EdifactSegmentInput[] = [
    {
      tag: 'UCI',
      elements: [
        header.controlNumber,
        party(header.senderId, header.senderQualifier),
        party(header.receiverId, header.receiverQualifier),
        rejected ? '4' : '7',
        ...(rejected ? [c.interchange.contrl[0] ?? '18'] : []),
      ],
    },
  ];
  const summary: AckSummary = {
    interchange: {
      controlNumber: header.controlNumber,
      status: rejected ? 'rejected' : 'accepted',
      ta1Code: null,
    },
    groups: [],
    messages: [],
  };
  if (!rejected) {
    const messageSegments = (
      m: ClassifiedAck['messages'][number],
      groupBad: boolean,
    ): EdifactSegmentInput[] => {
      const bad = m.rejected || groupBad;
      const code = m.contrl[0] ?? (bad && m.segments.length === 0 ? '18' : undefined);
      const out: EdifactSegmentInput[] = [
        {
          tag: 'UCM',
          elements: [
            m.header.reference,
            [m.header.type, ...m.header.version.split(':')],
            bad ? '4' : '7',
            ...(bad && code !== undefined ? [code] : []),
          ],
        },
      ];
      for (const seg of m.segments) {
        out.push({
          tag: 'UCS',
          elements: [String(seg.position), ...(seg.contrl[0] === undefined ? [] : [seg.contrl[0]])],
        });
        for (const e of seg.elements) {
          out.push({
            tag: 'UCD',
            elements: [
              e.contrl,
              e.component === null ? [String(e.element)] : [String(e.element), String(e.component)],
            ],
          });
        }
      }
      summary.messages.push({
        groupControl: m.header.groupControl,
        reference: m.header.reference,
        type: m.header.type,
        status: bad ? 'rejected' : 'accepted',
        codes: bad
          ? [...m.contrl, ...m.segments.flatMap((x) => [...x.contrl, ...x.elements.map((e) => e.contrl)])]
          : [],
      });
      return out;
    };
    // Messages outside UNG groups: UCM directly under UCI; grouped messages under their UCF.
    for (const m of c.messages.filter((x) => x.header.groupControl === ''))
      segments.push(...messageSegments(m, false));
    for (const g of c.groups) {
      if (g.groupControl === '') continue;
      const msgs = c.messages.filter((x) => x.header.groupControl === g.groupControl);
      const anyBad = g.rejected || msgs.some((x) => x.rejected);
      const first = msgs[0]?.header;
      segments.push({
        tag: 'UCF',
        elements: [
          g.groupControl,
          [first?.appSender ?? ''],
          [first?.appReceiver ?? ''],
          anyBad ? '4' : '7',
          ...(g.rejected ? [g.contrl[0] ?? '18'] : []),
        ],
      });
      for (const m of msgs) segments.push(...messageSegments(m, g.rejected));
    }
    for (const g of c.groups) {
      const msgs = summary.messages.filter((m) => m.groupControl === g.groupControl);
      const badCount = msgs.filter((m) => m.status === 'rejected').length;
      const status =
        g.rejected || (msgs.length > 0 && badCount === msgs.length)
          ? 'rejected'
          : badCount > 0
            ? 'partially-accepted'
            : 'accepted';
      summary.groups.push({ groupControl: g.groupControl, status, codes: g.contrl });
    }
    const bad = summary.messages.filter((m) => m.status === 'rejected').length;
    if (bad > 0)
      summary.interchange.status = bad === summary.messages.length ? 'rejected' : 'partially-accepted';
  }

  const ref = String(req.control.firstMessage).padStart(4, '0');
  const written = writeEdifactInterchange(
    {
      syntaxId,
      syntaxVersion,
      sender: {
        id: header.receiverId.trim(),
        ...(header.receiverQualifier.trim() === '' ? {} : { qualifier: header.receiverQualifier.trim() }),
      },
      recipient: {
        id: header.senderId.trim(),
        ...(header.senderQualifier.trim() === '' ? {} : { qualifier: header.senderQualifier.trim() }),
      },
      date: req.created.date,
      time: req.created.time,
      controlReference: req.control.interchange,
      test: header.usage === '1',
      messages: [
        {
          reference: ref,
          type: 'CONTRL',
          version: v4 ? cfg.version : cfg.versionSyntax3,
          release: v4 ? cfg.release : cfg.releaseSyntax3,
          agency: cfg.agency,
          segments,
        },
      ],
    },
    {
      delimiters: req.partner.edifact.delimiters,
      una: req.partner.edifact.una,
      replacement: req.partner.replacement,
      lineBreak: req.partner.edifact.lineBreak,
      fileName,
    },
  );
  return {
    kind: 'CONTRL',
    fileName,
    content: written.content,
    charset: written.charset,
    ok: written.ok,
    messages: written.ok ? 1 : 0,
    controlNumbers: {
      interchange: req.control.interchange,
      group: null,
      messages: written.ok ? [ref] : [],
      nextMessage: req.control.firstMessage + (written.ok ? 1 : 0),
    },
    issues: written.issues,
    summary,
  };
}
