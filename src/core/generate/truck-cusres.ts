/**
 * Truck carrier notifications as UN/EDIFACT CUSRES D:03B in the shape of ACE's own status
 * notifications (published CUSRES samples, ace-sources.md): UNB, a UNG group, and per message
 *   BGM+34:::ST+<reference>     status notice
 *   DTM+163:<CCYYMMDDHHMM>:203  status date/time
 * then per shipment
 *   RFF+AAM:<shipment control number>
 *   DTM+163:<CCYYMMDDHHMM>:203
 *   ERP+2                       shipment level
 *   ERC+SN517                   shipment-level status (CSMS 62931096), or the partner's hold code
 *   FTX+AAO+++<text>
 * ACE's BGM 1004 is the trip number; decisions hold no trip, so s321 writes its own reference
 * (S321-<interchange>-<message>). Bills are split over messages of at most maxBillsPerMessage.
 */
import {
  type EdifactMessageInput,
  type EdifactSegmentInput,
  edifactIdentifierProblem,
  writeEdifactInterchange,
} from '../edifact/writer.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import {
  codeToSend,
  type Emitted,
  finishFile,
  messageRef,
  noteUnconfirmed,
  prepareBatch,
  usageFor,
} from './common.js';
import { ccyymmdd, hhmm } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { charLength, cutChars } from './text-safety.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateTruckCusres(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const base: IssuePosition = { file: prep.fileName };
  const cfg = partner.edifact.cusres;
  const used: string[] = [];
  const created = prep.created;
  const stamp = created === null ? '' : `${ccyymmdd(created.date)}${hhmm(created.time)}`;

  const bills: Array<{ segments: EdifactSegmentInput[]; emitted: Omit<Emitted, 'messageRef'> }> = [];
  for (const d of prep.decisions) {
    if (d.scn === '' || charLength(d.scn) > 70) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TOO_LONG',
          `decision ${d.decisionId}: RFF 1154 shipment control number must have 1–70 characters`,
          base,
        ),
      );
      continue;
    }
    const unwritable = edifactIdentifierProblem(d.scn, partner.edifact);
    if (unwritable !== null) {
      issues.push(
        generateIssue(
          'GENERATE_IDENTIFIER_UNREPRESENTABLE',
          `decision ${d.decisionId}: RFF shipment control number ${unwritable}; identifiers are never altered, not sent`,
          base,
        ),
      );
      continue;
    }
    const code = codeToSend(d, partner, issues, base, used);
    if (code === '' || charLength(code) > 8) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TOO_LONG',
          `decision ${d.decisionId}: ERC 9321 code ${JSON.stringify(code)} must have 1–8 characters`,
          base,
        ),
      );
      continue;
    }
    let text = d.text;
    if (charLength(text) > cfg.textMaxLength) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TRUNCATED',
          `decision ${d.decisionId}: FTX text cut to ${cfg.textMaxLength} characters`,
          base,
        ),
      );
      text = cutChars(text, cfg.textMaxLength);
    }
    const segments: EdifactSegmentInput[] = [
      { tag: 'RFF', elements: [[cfg.billQualifier, d.scn]], identifiers: [[1, 2]] },
      { tag: 'DTM', elements: [[cfg.dateQualifier, stamp, cfg.dateFormat]] },
      { tag: 'ERP', elements: [[cfg.shipmentStatusLevel]] },
      { tag: 'ERC', elements: [[code]] },
    ];
    if (text !== '') segments.push({ tag: 'FTX', elements: [cfg.textQualifier, '', '', [text]] });
    bills.push({ segments, emitted: { decision: d, code } });
  }

  const messages: EdifactMessageInput[] = [];
  const emitted: Emitted[] = [];
  for (let start = 0, i = 0; start < bills.length; start += cfg.maxBillsPerMessage, i += 1) {
    const ref = messageRef(batch, i);
    const chunk = bills.slice(start, start + cfg.maxBillsPerMessage);
    const segments: EdifactSegmentInput[] = [
      {
        tag: 'BGM',
        elements: [[cfg.documentCode, '', '', cfg.documentName], `S321-${batch.control.interchange}-${ref}`],
      },
      { tag: 'DTM', elements: [[cfg.dateQualifier, stamp, cfg.dateFormat]] },
      ...chunk.flatMap((b) => b.segments),
    ];
    messages.push({
      reference: ref,
      type: 'CUSRES',
      version: cfg.version,
      release: cfg.release,
      agency: cfg.agency,
      ...(cfg.associationCode === undefined ? {} : { associationCode: cfg.associationCode }),
      segments,
    });
    emitted.push(...chunk.map((b) => ({ ...b.emitted, messageRef: ref })));
  }

  const e = partner.edifact;
  const sender = { id: partner.senderId, qualifier: partner.senderQualifier };
  const recipient = { id: partner.receiverId, qualifier: partner.receiverQualifier };
  if (cfg.applicationReference !== '') used.push('edifact.cusres.applicationReference');
  const written =
    messages.length === 0
      ? null
      : writeEdifactInterchange(
          {
            syntaxId: e.syntaxId,
            syntaxVersion: e.syntaxVersion,
            sender,
            recipient,
            date: batch.created.date,
            time: batch.created.time,
            controlReference: batch.control.interchange,
            ...(cfg.applicationReference === '' ? {} : { applicationReference: cfg.applicationReference }),
            test:
              usageFor(
                emitted.map((x) => x.decision),
                partner,
              ) === 'T',
            ...(cfg.group
              ? {
                  group: {
                    functionalId: 'CUSRES',
                    sender: {
                      id: partner.appSenderId ?? partner.senderId,
                      qualifier: partner.senderQualifier,
                    },
                    recipient: {
                      id: partner.appReceiverId ?? partner.receiverId,
                      qualifier: partner.receiverQualifier,
                    },
                    reference: batch.control.group,
                    agency: cfg.agency,
                    version: cfg.version,
                    release: cfg.release,
                  },
                }
              : {}),
            messages,
          },
          {
            delimiters: e.delimiters,
            una: e.una,
            replacement: partner.replacement,
            lineBreak: e.lineBreak,
            fileName: prep.fileName,
          },
        );
  if (written !== null) issues.push(...written.issues);
  noteUnconfirmed(partner, used, issues, base);
  return finishFile({
    batch,
    fileName: prep.fileName,
    content: written?.content ?? '',
    charset: written?.charset ?? 'ascii',
    issues,
    emitted,
    messageRefs: messages.map((m) => m.reference),
    group: cfg.group ? batch.control.group : null,
    writerOk: written?.ok ?? false,
  });
}
