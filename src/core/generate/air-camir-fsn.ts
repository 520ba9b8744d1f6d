/**
 * Air carrier notifications as CAMIR Freight Status Notification (FSN), one message per bill:
 *   FSN
 *   <airport><carrier>
 *   <prefix>-<serial>[-<house>]
 *   CSN/<2M|4M>-<pieces>/<DDMMMHHMM>/86SEC 321
 * The ARR (flight) line of CBP's FSN is not written: decisions carry no flight. The entry field
 * ('86SEC 321', entry type 86 + "SEC 321" as CBP sends for Section 321 releases) is profiled.
 */
import type { Issue, IssuePosition } from '../model/issue.js';
import { awbLine, awbOf, camirFile, camirText, cclLine } from './camir.js';
import { codeToSend, type Emitted, finishFile, messageRef, prepareBatch } from './common.js';
import { ddmmm, hhmm } from './dates.js';
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
    const code = codeToSend(d, partner, issues, pos);
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
    if (created === null) continue;
    const entry = camirText(partner.camir.csnEntryField, partner.replacement, issues, pos);
    const when = `${ddmmm(created.date)}${hhmm(created.time)}`;
    messages.push(['FSN', ccl, awbLine(awb), `CSN/${code}-${pieces}/${when}/${entry}`]);
    refs.push(ref);
    emitted.push({ decision: d, messageRef: ref, code });
  }
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
