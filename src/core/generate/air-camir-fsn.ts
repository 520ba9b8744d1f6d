/**
 * Air carrier notifications as CAMIR Freight Status Notification (FSN), one message per bill:
 *   FSN
 *   <airport><carrier>
 *   <prefix>-<serial>[-<house>]
 *   ARR/<flight>/<DDMMM>              arrival flight and day (the decision's day)
 *   CSN/<2M|4M>-<pieces>/<DDMMMHHMM>/86SEC 321
 * ARR needs the flight: a decision without one goes out without ARR and the file says so
 * (GENERATE_DEFAULT_USED). The entry field ('86SEC 321', entry type 86 + "SEC 321") is a profile
 * default no source confirmed.
 */
import { FLIGHT_DESIGNATOR } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import { awbLine, awbOf, camirFile, camirText, cclLine } from './camir.js';
import { codeToSend, type Emitted, finishFile, messageRef, noteUnconfirmed, prepareBatch } from './common.js';
import { ddmmm, hhmm, parseCalendarDate } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateAirCamirFsn(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const messages: string[][] = [];
  const emitted: Emitted[] = [];
  const refs: string[] = [];
  const created = prep.created;
  const used: string[] = [];
  /** Decisions sent without ARR (no flight known): reported once per file, not once per bill. */
  const withoutArr: string[] = [];
  for (const d of created === null ? [] : prep.decisions) {
    const ref = messageRef(batch, messages.length);
    const pos: IssuePosition = { file: prep.fileName, messageRef: ref };
    const reject = (why: string) =>
      issues.push(generateIssue('GENERATE_MISSING_VALUE', `decision ${d.decisionId}: ${why}`, pos));
    const ccl = cclLine(d, partner, issues, pos);
    if (typeof ccl !== 'string') {
      reject(ccl.error);
      continue;
    }
    const awb = awbOf(d);
    if (typeof awb === 'string') {
      reject(awb);
      continue;
    }
    const code = codeToSend(d, partner, issues, pos, used);
    if (!/^[A-Z0-9]{2}$/.test(code)) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TOO_LONG',
          `decision ${d.decisionId}: CSN action code ${JSON.stringify(code)} is not 2 alphanumerics`,
          pos,
        ),
      );
      continue;
    }
    let pieces = d.pieces;
    if (pieces === undefined) {
      pieces = partner.camir.defaultPieces;
      issues.push(
        generateIssue(
          'GENERATE_DEFAULT_USED',
          `decision ${d.decisionId}: CSN pieces unknown, sent ${pieces}`,
          pos,
        ),
      );
    }
    if (pieces > 9999) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TOO_LONG',
          `decision ${d.decisionId}: CSN pieces ${pieces} exceeds 4 digits`,
          pos,
        ),
      );
      continue;
    }
    const day = parseCalendarDate(d.day);
    if (day === null) {
      reject(`day ${JSON.stringify(d.day)} is not a calendar date`);
      continue;
    }
    let arr: string[] = [];
    if (d.flight === undefined || d.flight === '') {
      withoutArr.push(d.decisionId);
    } else if (!FLIGHT_DESIGNATOR.test(d.flight)) {
      issues.push(
        generateIssue(
          'GENERATE_IDENTIFIER_UNREPRESENTABLE',
          `decision ${d.decisionId}: flight ${JSON.stringify(d.flight)} is not carrier code + flight number; identifiers are never altered, not sent`,
          pos,
        ),
      );
      continue;
    } else {
      arr = [`ARR/${d.flight}/${ddmmm(day)}`];
    }
    if (created === null) continue;
    const entry = camirText(partner.camir.csnEntryField, partner.replacement, issues, pos);
    used.push('camir.csnEntryField');
    const when = `${ddmmm(created.date)}${hhmm(created.time)}`;
    messages.push(['FSN', ccl, awbLine(awb), ...arr, `CSN/${code}-${pieces}/${when}/${entry}`]);
    refs.push(ref);
    emitted.push({ decision: d, messageRef: ref, code });
  }
  const sentIds = new Set(emitted.map((e) => e.decision.decisionId));
  const noArr = withoutArr.filter((id) => sentIds.has(id));
  if (noArr.length > 0) {
    issues.push(
      generateIssue(
        'GENERATE_DEFAULT_USED',
        `${noArr.length} FSN message(s) sent without their ARR line: no arrival flight known (first: ${noArr.slice(0, 3).join(', ')})`,
        { file: prep.fileName },
      ),
    );
  }
  noteUnconfirmed(partner, used, issues, { file: prep.fileName });
  return finishFile({
    batch,
    fileName: prep.fileName,
    content: camirFile(messages, partner),
    charset: 'ascii',
    issues,
    emitted,
    messageRefs: refs,
    group: null,
    writerOk: created !== null,
  });
}
