/**
 * EDIFACT CONTRL acknowledging one inbound interchange: UCI (interchange, action 7 acknowledged or
 * 4 rejected, with the 0085 error code when the envelope is at fault), then per message UCM with
 * its action and, for rejections, UCS (segment position in the message) and UCD (element and
 * component position) carrying the 0085 codes. CONTRL version follows the inbound syntax version
 * (4:1 for syntax 4, D:3 before). Messages inside UNG groups are reported with UCM directly (no UCF).
 */
import { type EdifactSegmentInput, writeEdifactInterchange } from '../edifact/writer.js';
import { generateIssue } from '../generate/issues.js';
import type { EdifactInterchangeHeader } from '../model/reader.js';
import { type ClassifiedAck, classifyAck } from './classify.js';
import { ackFileName, emptySummary } from './x12-ack.js';
import type { AckRequest, AckSummary, GeneratedAck } from './types.js';

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
      controlNumbers: { interchange: req.control.interchange, group: null, messages: [], nextMessage: req.control.firstMessage },
      issues: [generateIssue('GENERATE_ACK_NOT_APPLICABLE', `a CONTRL cannot acknowledge an ${header.standard} interchange`, { file: fileName })],
      summary: emptySummary(header.controlNumber),
    };
  }
  return writeContrl(req, header, fileName, classifyAck(req.input));
}

function party(id: string, qualifier: string): string[] {
  return qualifier.trim() === '' ? [id.trim()] : [id.trim(), qualifier.trim()];
}

function writeContrl(req: AckRequest, header: EdifactInterchangeHeader, fileName: string, c: ClassifiedAck): GeneratedAck {
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
    interchange: { controlNumber: header.controlNumber, status: rejected ? 'rejected' : 'accepted', ta1Code: null },
    groups: [],
    messages: [],
  };
  if (!rejected) {
    for (const m of c.messages) {
      const groupBad = c.groups.find((g) => g.groupControl === m.header.groupControl)?.rejected === true;
      const bad = m.rejected || groupBad;
      const code = m.contrl[0] ?? (bad && m.segments.length === 0 ? '18' : undefined);
      segments.push({
        tag: 'UCM',
        elements: [m.header.reference, [m.header.type, ...m.header.version.split(':')], bad ? '4' : '7', ...(bad && code !== undefined ? [code] : [])],
      });
      for (const seg of m.segments) {
        segments.push({ tag: 'UCS', elements: [String(seg.position), ...(seg.contrl[0] === undefined ? [] : [seg.contrl[0]])] });
        for (const e of seg.elements) {
          segments.push({ tag: 'UCD', elements: [e.contrl, e.component === null ? [String(e.element)] : [String(e.element), String(e.component)]] });
        }
      }
      summary.messages.push({
        groupControl: m.header.groupControl,
        reference: m.header.reference,
        type: m.header.type,
        status: bad ? 'rejected' : 'accepted',
        codes: bad ? [...m.contrl, ...m.segments.flatMap((s) => [...s.contrl, ...s.elements.map((e) => e.contrl)])] : [],
      });
    }
    for (const g of c.groups) {
      const msgs = summary.messages.filter((m) => m.groupControl === g.groupControl);
      const badCount = msgs.filter((m) => m.status === 'rejected').length;
      const status = g.rejected || (msgs.length > 0 && badCount === msgs.length) ? 'rejected' : badCount > 0 ? 'partially-accepted' : 'accepted';
      summary.groups.push({ groupControl: g.groupControl, status, codes: g.contrl });
    }
    const bad = summary.messages.filter((m) => m.status === 'rejected').length;
    if (bad > 0) summary.interchange.status = bad === summary.messages.length ? 'rejected' : 'partially-accepted';
  }

  const ref = String(req.control.firstMessage).padStart(4, '0');
  const written = writeEdifactInterchange(
    {
      syntaxId,
      syntaxVersion,
      sender: { id: header.receiverId.trim(), ...(header.receiverQualifier.trim() === '' ? {} : { qualifier: header.receiverQualifier.trim() }) },
      recipient: { id: header.senderId.trim(), ...(header.senderQualifier.trim() === '' ? {} : { qualifier: header.senderQualifier.trim() }) },
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
