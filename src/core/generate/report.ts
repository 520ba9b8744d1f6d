/**
 * The 'report' channel: ineligible reports as JSON lines (one decision per line, keys in schema
 * order), no EDI. Message numbers are the line sequence.
 */
import { type Emitted, finishFile, messageRef, prepareBatch } from './common.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateReport(batch: OutboundBatch, _partner: PartnerProfile): GeneratedFile {
  const prep = prepareBatch(batch);
  const emitted: Emitted[] = prep.decisions.map((d, i) => ({
    decision: d,
    messageRef: messageRef(batch, i),
    code: d.code,
  }));
  // prepareBatch returns decisions in DecisionSchema's form (zod's copy, or the caller's own when
  // already exact), so key order follows the schema, not the caller.
  const content = emitted.map((e) => `${JSON.stringify(e.decision)}\n`).join('');
  return finishFile({
    batch,
    fileName: prep.fileName,
    content,
    charset: 'utf-8',
    issues: [...prep.issues],
    emitted,
    messageRefs: emitted.map((e) => e.messageRef),
    group: null,
    writerOk: true,
  });
}
