/**
 * Air express carrier warning as CAMIR Freight Error Report (FER), one message per bill:
 *   FER
 *   [<airport><carrier>]            (only when camir.ferIncludesCcl)
 *   <prefix>-<serial>[-<house>]
 *   ERR/098VALUE MAY EXCEED CONSIGNEE DAILY MAX ET86
 * ERR is code then text with no slash between them, as real FERs are written (ERR/040BILL DATA
 * ON FILE…); no length limit unless the partner sets one (no source gives one: CBP's own 098 text
 * has 41 characters). The text is the decision's text (profile ferText when empty), upper-cased
 * with '/' and '-' replaced (they are Cargo-IMP separators).
 */
import type { Issue, IssuePosition } from '../model/issue.js';
import { awbLine, awbOf, camirFile, camirText, cclLine } from './camir.js';
import { type Emitted, finishFile, messageRef, prepareBatch } from './common.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { charLength, cutChars } from './text-safety.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateAirCamirFer(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const messages: string[][] = [];
  const emitted: Emitted[] = [];
  const refs: string[] = [];
  for (const d of prep.created === null ? [] : prep.decisions) {
    const ref = messageRef(batch, messages.length);
    const pos: IssuePosition = { file: prep.fileName, messageRef: ref };
    const reject = (why: string) =>
      issues.push(generateIssue('GENERATE_MISSING_VALUE', `decision ${d.decisionId}: ${why}`, pos));
    const awb = awbOf(d);
    if (typeof awb === 'string') {
      reject(awb);
      continue;
    }
    if (!/^\d{3}$/.test(d.code)) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TOO_LONG',
          `decision ${d.decisionId}: ERR code ${JSON.stringify(d.code)} is not 3 digits`,
          pos,
        ),
      );
      continue;
    }
    const lines = ['FER'];
    if (partner.camir.ferIncludesCcl) {
      const ccl = cclLine(d, partner, issues, pos);
      if (typeof ccl !== 'string') {
        reject(ccl.error);
        continue;
      }
      lines.push(ccl);
    }
    // A text that is empty, or nothing but characters CAMIR cannot carry, gives way to the profile's.
    let text = camirText(d.text, partner.replacement, issues, pos).trim();
    if (text === '') text = camirText(partner.camir.ferText, partner.replacement, issues, pos);
    const max = partner.camir.errTextMaxLength;
    if (max !== null && charLength(text) > max) {
      issues.push(
        generateIssue(
          'GENERATE_VALUE_TRUNCATED',
          `decision ${d.decisionId}: ERR text cut to ${max} characters`,
          pos,
        ),
      );
      text = cutChars(text, max);
    }
    lines.push(awbLine(awb), `ERR/${d.code}${text}`);
    messages.push(lines);
    refs.push(ref);
    emitted.push({ decision: d, messageRef: ref, code: d.code });
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
    writerOk: prep.created !== null,
  });
}
