/**
 * ABI transmission shared by the broker channels, as real ABI traffic is laid out: an A record
 * (transmission header), then per port a block B (block header: port, filer, application) … Y
 * (block trailer with the count of the records between B and Y), then a Z record (transmission
 * trailer); one 80-column record per line. The application records per decision come from the
 * channel (SX: echoed SE10 + SE90 condition; SO: SO10 / SO40 / SO50).
 */
import type { Decision } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import { ABI_LAYOUTS, type AbiLayouts, renderAbiRecord } from './abi-records.js';
import { codeToSend, type Emitted, finishFile, messageRef, noteUnconfirmed, prepareBatch } from './common.js';
import { type CalendarDate, mmddyy } from './dates.js';
import { generateIssue } from './issues.js';
import type { PartnerProfile } from './profile.js';
import { asciiRepertoire, makeSafe } from './text-safety.js';
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
  /** The decision's text, or the channel's profile text when it has none (noted as unconfirmed). */
  text: string;
  entry: EntryNumber;
  code: string;
  port: string;
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
  /** Profile path of the text sent when a decision has none ('abi.sxText' / 'abi.soText'). */
  defaultText: 'sxText' | 'soText',
  layouts: AbiLayouts = ABI_LAYOUTS,
): GeneratedFile {
  const prep = prepareBatch(batch);
  const issues: Issue[] = [...prep.issues];
  const filePos: IssuePosition = { file: prep.fileName };
  const created = prep.created;
  const eol = partner.abi.lineEnd;
  const used: string[] = [];
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
  /** Port → its block's records, in first-seen order. */
  const blocks = new Map<string, string[]>();
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
    let port = d.port ?? '';
    if (!/^\d{4}$/.test(port)) {
      if (partner.defaultPort === null || !/^\d{4}$/.test(partner.defaultPort)) {
        issues.push(
          generateIssue(
            'GENERATE_MISSING_VALUE',
            `decision ${d.decisionId}: port ${JSON.stringify(d.port ?? null)} is not a 4-digit Schedule D port and no profile defaultPort`,
            pos,
          ),
        );
        continue;
      }
      port = partner.defaultPort;
      issues.push(
        generateIssue('GENERATE_DEFAULT_USED', `decision ${d.decisionId}: port defaulted to ${port}`, pos),
      );
    }
    const code = codeToSend(d, partner, issues, pos, used);
    let text = d.text;
    // A text with nothing an ABI record can carry (empty, spaces, controls, unrepresentable
    // characters) gives way to the profile's: SE90 and SO50 text is mandatory.
    const carried = makeSafe(text, {
      reserved: new Set(),
      replacement: ' ',
      repertoire: asciiRepertoire(true),
    });
    if (carried.value.trim() === '') {
      text = partner.abi[defaultText];
      used.push(`abi.${defaultText}`);
    }
    const lines: string[] = [];
    let ok = true;
    for (const rec of entryRecords({ decision: d, text, entry, code, port, created, partner })) {
      const line = renderAbiRecord(layouts, rec.id, rec.values, partner.replacement, issues, pos);
      if (line === null) ok = false;
      else lines.push(line);
    }
    if (!ok) continue;
    const block = blocks.get(port) ?? [];
    block.push(...lines);
    blocks.set(port, block);
    refs.push(ref);
    emitted.push({ decision: d, messageRef: ref, code });
  }

  let content = '';
  if (headerOk && created !== null && blocks.size > 0) {
    const date = mmddyy(created.date);
    const filerCode = batch.recipient;
    const site = partner.abi.site;
    used.push('abi.site');
    const render = (id: string, values: Record<string, string | number>) =>
      renderAbiRecord(layouts, id, values, partner.replacement, issues, { ...filePos, segmentTag: id });
    const out: Array<string | null> = [render('A', { site, filerCode, date, application })];
    for (const [port, records] of blocks) {
      out.push(render('B', { port, filerCode, application }));
      out.push(...records);
      out.push(render('Y', { port, filerCode, application, recordCount: records.length }));
    }
    out.push(render('Z', { site, filerCode, date }));
    if (out.some((l) => l === null)) headerOk = false;
    else content = out.map((l) => `${l}${eol}`).join('');
  }
  noteUnconfirmed(partner, used, issues, filePos);
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
