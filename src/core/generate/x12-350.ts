/**
 * X12 350 Customs Status Information, shared by the truck and the ocean/rail carrier channels: one
 * interchange per file, one transaction set per (carrier, mode, port, day), M10 + P4, then per
 * bill an X4 and one K1 whose K1-01 carries the remark.
 *
 * Envelopes differ by channel, as CBP's guides do:
 * - truck: ACE truck 350 guide (004060USCBP350, April 2018): group AU, X12 4060 base;
 * - ocean: CBP 350 Ocean Customs Status Information (May 2017 / February 2020): group SO, X12 6050
 *   base; rail: no CBP rail 350 guide was found, so its group and version are profile defaults
 *   listed as unconfirmed. One GS group per mode present in the file.
 * The remark is one K1-01 of up to 60 characters (CSMS 62931096 widened it from 30 to 60; not two
 * 30-character halves).
 */
import type { Decision } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import {
  writeX12Interchange,
  type X12GroupInput,
  type X12SegmentInput,
  type X12TransactionInput,
  x12IdentifierProblem,
} from '../x12/writer.js';
import {
  codeToSend,
  type Emitted,
  finishFile,
  messageRef,
  noteUnconfirmed,
  prepareBatch,
  usageFor,
} from './common.js';
import { ccyymmdd, hhmm, parseCalendarDate } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { charLength, cutChars } from './text-safety.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

interface Bill {
  decision: Decision;
  code: string;
}

interface StatusSet {
  envelope: string;
  carrier: string;
  modeCode: string;
  port: string;
  day: string;
  bills: Bill[];
}

interface Envelope {
  key: string;
  functionalId: string;
  version: string;
  unconfirmed: string[];
}

type EnvelopeOf = (d: Decision) => Envelope | string;

export function generateTruckX12350(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const cfg = partner.x12.status350;
  const truck: Envelope = {
    key: 'truck',
    functionalId: cfg.functionalId,
    version: cfg.version,
    unconfirmed: [],
  };
  return generateX12Status350(batch, partner, partner.x12.isaVersion, () => truck);
}

export function generateCarrierX12350(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const cfg = partner.x12.carrier350;
  return generateX12Status350(batch, partner, cfg.isaVersion, (d) => {
    if (d.mode !== 'ocean' && d.mode !== 'rail') return `mode ${d.mode} has no ocean/rail 350 envelope`;
    const g = cfg.byMode[d.mode];
    return {
      key: d.mode,
      functionalId: g.functionalId,
      version: g.version,
      // Ocean's GS01/GS08 come from CBP's ocean 350 guide; rail's and the ISA12 of both are guesses.
      unconfirmed:
        d.mode === 'rail'
          ? ['x12.carrier350.byMode.rail', 'x12.carrier350.isaVersion']
          : ['x12.carrier350.isaVersion'],
    };
  });
}

function generateX12Status350(
  batch: OutboundBatch,
  partner: PartnerProfile,
  isaVersion: string,
  envelopeOf: EnvelopeOf,
): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const base: IssuePosition = { file: prep.fileName };
  const cfg = partner.x12.status350;
  const sets = new Map<string, StatusSet>();
  const envelopes = new Map<string, Envelope>();
  const used: string[] = [];

  for (const d of prep.decisions) {
    const pos = base;
    const reject = (code: 'GENERATE_MISSING_VALUE' | 'GENERATE_VALUE_TOO_LONG', message: string) =>
      issues.push(generateIssue(code, `decision ${d.decisionId}: ${message}`, pos));
    const envelope = envelopeOf(d);
    if (typeof envelope === 'string') {
      reject('GENERATE_MISSING_VALUE', envelope);
      continue;
    }
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
    const code = codeToSend(d, partner, issues, pos, used);
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
    envelopes.set(envelope.key, envelope);
    const modeCode = partner.modeCodes[d.mode];
    const key = [envelope.key, d.carrierScac, modeCode, port, d.day].join('\u0000');
    let set = sets.get(key);
    if (set === undefined) {
      set = { envelope: envelope.key, carrier: d.carrierScac, modeCode, port, day: ccyymmdd(day), bills: [] };
      sets.set(key, set);
    }
    set.bills.push({ decision: d, code });
  }

  const createdDate = prep.created === null ? '' : ccyymmdd(prep.created.date);
  const createdTime = prep.created === null ? '' : hhmm(prep.created.time);
  const byEnvelope = new Map<string, X12TransactionInput[]>();
  const emitted: Emitted[] = [];
  const refs: string[] = [];
  for (const set of sets.values()) {
    const ref = messageRef(batch, refs.length);
    refs.push(ref);
    const segments: X12SegmentInput[] = [
      { tag: 'M10', elements: [set.carrier, set.modeCode], identifiers: [1] },
      { tag: 'P4', elements: [set.port, set.day], identifiers: [1] },
    ];
    for (const bill of set.bills) {
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
      let remark = d.text;
      if (charLength(remark) > cfg.remarkMaxLength) {
        issues.push(
          generateIssue(
            'GENERATE_VALUE_TRUNCATED',
            `decision ${d.decisionId}: K1-01 remark cut to ${cfg.remarkMaxLength} characters`,
            { ...base, messageRef: ref, segmentTag: 'K1' },
          ),
        );
        remark = cutChars(remark, cfg.remarkMaxLength);
      }
      if (remark !== '') segments.push({ tag: 'K1', elements: [remark] });
      emitted.push({ decision: d, messageRef: ref, code: bill.code });
    }
    const list = byEnvelope.get(set.envelope) ?? [];
    list.push({ type: '350', controlNumber: ref, segments });
    byEnvelope.set(set.envelope, list);
  }

  if (refs.length === 0) {
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
  // One GS group per envelope (mode); group control numbers count up from the reserved one, unique
  // within the interchange as X12 requires.
  const groups: X12GroupInput[] = [...byEnvelope.entries()].map(([key, transactions], i) => {
    const env = envelopes.get(key) as Envelope;
    used.push(...env.unconfirmed);
    return {
      functionalId: env.functionalId,
      appSenderId: partner.appSenderId ?? partner.senderId,
      appReceiverId: partner.appReceiverId ?? partner.receiverId,
      date: batch.created.date,
      time: batch.created.time,
      controlNumber: batch.control.group + i,
      version: env.version,
      transactions,
    };
  });
  const written = writeX12Interchange(
    {
      senderQualifier: partner.senderQualifier,
      senderId: partner.senderId,
      receiverQualifier: partner.receiverQualifier,
      receiverId: partner.receiverId,
      date: batch.created.date,
      time: batch.created.time,
      controlNumber: batch.control.interchange,
      version: isaVersion,
      ackRequested: partner.x12.ackRequested,
      usage: usageFor(
        emitted.map((e) => e.decision),
        partner,
      ),
      groups,
    },
    {
      delimiters: partner.x12.delimiters,
      replacement: partner.replacement,
      lineBreak: partner.x12.lineBreak,
      fileName: prep.fileName,
    },
  );
  issues.push(...written.issues);
  noteUnconfirmed(partner, used, issues, base);
  return finishFile({
    batch,
    fileName: prep.fileName,
    content: written.content,
    charset: 'ascii',
    issues,
    emitted,
    messageRefs: refs,
    group: batch.control.group,
    writerOk: written.ok,
  });
}
