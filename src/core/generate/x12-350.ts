/**
 * X12 350 Customs Status Information (GS01 AU, GS08 004060), shared by the truck and the
 * ocean/rail carrier channels: one interchange and one group per file, one transaction set per
 * (carrier, mode, port, day), M10 + P4, then per bill an X4 and a K1 with the text (≤ 60 characters,
 * split over K1-01/K1-02 which are 30 characters each in the X12 dictionary).
 */
import type { Decision } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import {
  writeX12Interchange,
  type X12SegmentInput,
  type X12TransactionInput,
  x12IdentifierProblem,
} from '../x12/writer.js';
import { codeToSend, type Emitted, finishFile, messageRef, prepareBatch } from './common.js';
import { ccyymmdd, hhmm, parseCalendarDate } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { charLength, cutChars, wrapText } from './text-safety.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

interface Bill {
  decision: Decision;
  code: string;
}

interface StatusGroup {
  carrier: string;
  modeCode: string;
  port: string;
  day: string;
  bills: Bill[];
}

export function generateX12Status350(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const base: IssuePosition = { file: prep.fileName };
  const cfg = partner.x12.status350;
  const groups = new Map<string, StatusGroup>();

  for (const d of prep.decisions) {
    const pos = base;
    const reject = (code: 'GENERATE_MISSING_VALUE' | 'GENERATE_VALUE_TOO_LONG', message: string) =>
      issues.push(generateIssue(code, `decision ${d.decisionId}: ${message}`, pos));
    let port = d.port;
    if (port === undefined || port === '') {
      if (partner.defaultPort === null) {
        reject('GENERATE_MISSING_VALUE', 'no port for P4-01 and no profile defaultPort');
        continue;
      }
      port = partner.defaultPort;
      issues.push(
        generateIssue(
          'GENERATE_DEFAULT_USED',
          `decision ${d.decisionId}: P4-01 port defaulted to ${port}`,
          pos,
        ),
      );
    }
    const day = parseCalendarDate(d.day);
    if (day === null) {
      reject('GENERATE_MISSING_VALUE', `day ${JSON.stringify(d.day)} is not a calendar date`);
      continue;
    }
    const code = codeToSend(d, partner, issues, pos);
    if (!/^[A-Z0-9]{2}$/.test(code)) {
      reject(
        'GENERATE_VALUE_TOO_LONG',
        `X4-07 disposition code ${JSON.stringify(code)} is not 2 alphanumerics`,
      );
      continue;
    }
    if (!/^[A-Z0-9]{2,4}$/.test(d.issuer)) {
      reject(
        'GENERATE_VALUE_TOO_LONG',
        `X4-09 issuer SCAC ${JSON.stringify(d.issuer)} is not 2–4 alphanumerics`,
      );
      continue;
    }
    if (!/^[A-Z0-9]{2,4}$/.test(d.carrierScac)) {
      reject(
        'GENERATE_VALUE_TOO_LONG',
        `M10-01 carrier SCAC ${JSON.stringify(d.carrierScac)} is not 2–4 alphanumerics`,
      );
      continue;
    }
    if (d.scn === '' || charLength(d.scn) > cfg.billMaxLength) {
      reject(
        'GENERATE_VALUE_TOO_LONG',
        `X4-01 bill ${JSON.stringify(d.scn)} must have 1–${cfg.billMaxLength} characters`,
      );
      continue;
    }
    const unwritable = (
      [
        ['X4-01 bill', d.scn],
        ['X4-04 entry number', d.entryNumber ?? ''],
        ['P4-01 port', port],
      ] as const
    ).flatMap(([what, v]) => {
      const problem = x12IdentifierProblem(v, partner.x12.delimiters);
      return problem === null ? [] : [`${what} ${problem}`];
    });
    if (unwritable.length > 0) {
      issues.push(
        generateIssue(
          'GENERATE_IDENTIFIER_UNREPRESENTABLE',
          `decision ${d.decisionId}: ${unwritable.join('; ')}; identifiers are never altered, not sent`,
          pos,
        ),
      );
      continue;
    }
    const modeCode = partner.modeCodes[d.mode];
    const key = [d.carrierScac, modeCode, port, d.day].join('\u0000');
    let g = groups.get(key);
    if (g === undefined) {
      g = { carrier: d.carrierScac, modeCode, port, day: ccyymmdd(day), bills: [] };
      groups.set(key, g);
    }
    g.bills.push({ decision: d, code });
  }

  const createdDate = prep.created === null ? '' : ccyymmdd(prep.created.date);
  const createdTime = prep.created === null ? '' : hhmm(prep.created.time);
  const transactions: X12TransactionInput[] = [];
  const emitted: Emitted[] = [];
  [...groups.values()].forEach((g, i) => {
    const ref = messageRef(batch, i);
    const segments: X12SegmentInput[] = [
      { tag: 'M10', elements: [g.carrier, g.modeCode], identifiers: [1] },
      { tag: 'P4', elements: [g.port, g.day], identifiers: [1] },
    ];
    for (const bill of g.bills) {
      const d = bill.decision;
      segments.push({
        tag: 'X4',
        elements: [
          d.scn,
          d.pieces === undefined ? '' : String(d.pieces),
          d.entryNumber === undefined ? '' : '86',
          d.entryNumber ?? '',
          createdDate,
          createdTime,
          bill.code,
          '',
          d.issuer,
        ],
        identifiers: [1, 4, 9],
      });
      // K1-01 and K1-02 are 30 characters each: the text is word-wrapped over both, at most 60 in all.
      const capped =
        charLength(d.text) > cfg.remarkMaxLength ? cutChars(d.text, cfg.remarkMaxLength) : d.text;
      const count = Math.max(1, Math.floor(cfg.remarkMaxLength / cfg.remarkElementLength));
      const wrapped = wrapText(capped, cfg.remarkElementLength, count);
      if (capped !== d.text || wrapped.cut) {
        issues.push(
          generateIssue(
            'GENERATE_VALUE_TRUNCATED',
            `decision ${d.decisionId}: K1 text cut to fit ${count} × ${cfg.remarkElementLength} characters`,
            {
              ...base,
              messageRef: ref,
              segmentTag: 'K1',
            },
          ),
        );
      }
      if (wrapped.parts.length > 0) segments.push({ tag: 'K1', elements: wrapped.parts });
      emitted.push({ decision: d, messageRef: ref, code: bill.code });
    }
    transactions.push({ type: '350', controlNumber: ref, segments });
  });

  if (transactions.length === 0) {
    return finishFile({
      batch,
      fileName: prep.fileName,
      content: '',
      charset: 'ascii',
      issues,
      emitted: [],
      messageRefs: [],
      group: batch.control.group,
      writerOk: false,
    });
  }
  const written = writeX12Interchange(
    {
      senderQualifier: partner.senderQualifier,
      senderId: partner.senderId,
      receiverQualifier: partner.receiverQualifier,
      receiverId: partner.receiverId,
      date: batch.created.date,
      time: batch.created.time,
      controlNumber: batch.control.interchange,
      version: partner.x12.isaVersion,
      ackRequested: partner.x12.ackRequested,
      usage: partner.usage,
      groups: [
        {
          functionalId: cfg.functionalId,
          appSenderId: partner.appSenderId ?? partner.senderId,
          appReceiverId: partner.appReceiverId ?? partner.receiverId,
          date: batch.created.date,
          time: batch.created.time,
          controlNumber: batch.control.group,
          version: cfg.version,
          transactions,
        },
      ],
    },
    {
      delimiters: partner.x12.delimiters,
      replacement: partner.replacement,
      lineBreak: partner.x12.lineBreak,
      fileName: prep.fileName,
    },
  );
  issues.push(...written.issues);
  return finishFile({
    batch,
    fileName: prep.fileName,
    content: written.content,
    charset: 'ascii',
    issues,
    emitted,
    messageRefs: transactions.map((t) => t.controlNumber),
    group: batch.control.group,
    writerOk: written.ok,
  });
}

export const generateTruckX12350 = generateX12Status350;
export const generateCarrierX12350 = generateX12Status350;
