/**
 * ABI transmission shared by the broker channels: A (transmission header), B (block header),
 * the application records of every entry, Y (block trailer with the record count), Z (transmission
 * trailer), one 80-column record per line. The application records per decision come from the
 * channel (SX or SO).
 */
import type { Decision } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import { ABI_LAYOUTS, type AbiLayouts, renderAbiRecord } from './abi-records.js';
import { codeToSend, type Emitted, finishFile, messageRef, prepareBatch } from './common.js';
import { type CalendarDate, hhmm, mmddyy } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export interface EntryNumber {
  filerCode: string;
  /** 7 digits + check digit. */
  number: string;
}

/** ET86 entry number as carried by decisions: filer code (3) + entry number (8), hyphens allowed. */
export function parseEntryNumber(value: string | undefined): EntryNumber | null {
  const m = /^([A-Z0-9]{3})-?(\d{7})-?(\d)$/.exec(value ?? '');
  return m === null ? null : { filerCode: m[1] ?? '', number: `${m[2] ?? ''}${m[3] ?? ''}` };
}

export interface AbiEntryContext {
  decision: Decision;
  entry: EntryNumber;
  code: string;
  created: { date: CalendarDate; time: { hour: number; minute: number } };
  partner: PartnerProfile;
}

/** Records (id + values) for one decision, in order. */
export type AbiEntryRecords = (
  ctx: AbiEntryContext,
) => Array<{ id: string; values: Record<string, string | number> }>;

export function generateAbi(
  batch: OutboundBatch,
  partner: PartnerProfile,
  application: string,
  entryRecords: AbiEntryRecords,
  layouts: AbiLayouts = ABI_LAYOUTS,
): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const filePos: IssuePosition = { file: prep.fileName };
  const created = prep.created;
  const eol = partner.abi.lineEnd;
  let headerOk = created !== null;
  if (!/^[A-Z0-9]{3}$/.test(batch.recipient)) {
    issues.push(
      generateIssue(
        'GENERATE_INVALID_ENVELOPE',
        `recipient ${JSON.stringify(batch.recipient)} is not a 3-character filer code`,
        filePos,
      ),
    );
    headerOk = false;
  }
  const body: string[] = [];
  const emitted: Emitted[] = [];
  const refs: string[] = [];
  for (const d of headerOk ? prep.decisions : []) {
    if (created === null) break;
    const ref = messageRef(batch, refs.length);
    const pos: IssuePosition = { ...filePos, messageRef: ref };
    const entry = parseEntryNumber(d.entryNumber);
    if (entry === null) {
      issues.push(
        generateIssue(
          'GENERATE_MISSING_VALUE',
          `decision ${d.decisionId}: entry number ${JSON.stringify(d.entryNumber ?? null)} is not filer code + 8 digits`,
          pos,
        ),
      );
      continue;
    }
    const code = codeToSend(d, partner, issues, pos);
    const lines: string[] = [];
    let ok = true;
    for (const rec of entryRecords({ decision: d, entry, code, created, partner })) {
      const line = renderAbiRecord(layouts, rec.id, rec.values, partner.replacement, issues, pos);
      if (line === null) ok = false;
      else lines.push(line);
    }
    if (!ok) continue;
    body.push(...lines);
    refs.push(ref);
    emitted.push({ decision: d, messageRef: ref, code });
  }

  let content = '';
  if (headerOk && created !== null && body.length > 0) {
    const date = mmddyy(created.date);
    const control = [
      {
        id: 'A',
        values: {
          filerCode: batch.recipient,
          date,
          time: hhmm(created.time),
          batchNumber: batch.control.interchange,
        },
      },
      { id: 'B', values: { filerCode: batch.recipient, application } },
    ];
    const trailer = [
      { id: 'Y', values: { filerCode: batch.recipient, application, recordCount: body.length } },
      { id: 'Z', values: { filerCode: batch.recipient, date, blockCount: 1 } },
    ];
    const render = (r: { id: string; values: Record<string, string | number> }) =>
      renderAbiRecord(layouts, r.id, r.values, partner.replacement, issues, { ...filePos, segmentTag: r.id });
    const head = control.map(render);
    const tail = trailer.map(render);
    if ([...head, ...tail].some((l) => l === null)) headerOk = false;
    else content = [...head, ...body, ...tail].map((l) => `${l}${eol}`).join('');
  }
  return finishFile({
    batch,
    fileName: prep.fileName,
    content,
    charset: 'ascii',
    issues,
    emitted,
    messageRefs: refs,
    group: null,
    writerOk: headerOk,
  });
}
