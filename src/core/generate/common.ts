/** Steps shared by every channel generator: batch checks, decision order, file naming, result assembly. */
import type { Channel, Decision } from '../model/decision.js';
import { DecisionSchema } from '../model/decision.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import { type CalendarDate, parseCalendarDate, parseClockTime } from './dates.js';
import { exactDecision } from './exact-decision.js';
import { generateIssue, hasErrors } from './issues.js';
import type { PartnerProfile } from './profile.js';
import type { ControlNumbersUsed, GeneratedFile, OutboundBatch, SentLine } from './types.js';

export const FILE_EXTENSIONS: Record<Channel, string> = {
  'truck-x12-350': 'x12',
  'carrier-x12-350': 'x12',
  'truck-cusres': 'edi',
  'air-camir-fsn': 'txt',
  'air-camir-fer': 'txt',
  'broker-abi-sx': 'abi',
  'broker-abi-so': 'abi',
  report: 'jsonl',
};

/**
 * Injective mapping onto [A-Za-z0-9-]: any other character ('_' and '.' included) becomes '_' plus
 * its code point in hex, so two recipients never share a file name and none can spell a path.
 */
export function safeNamePart(value: string): string {
  let out = '';
  for (const ch of value) {
    out += /^[A-Za-z0-9-]$/.test(ch)
      ? ch
      : `_${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out === '' ? '_' : out;
}

export function outboundFileName(channel: Channel, recipient: string, interchange: number): string {
  const n =
    Number.isSafeInteger(interchange) && interchange >= 0 ? String(interchange).padStart(9, '0') : 'invalid';
  return `${channel}_${safeNamePart(recipient)}_${n}.${FILE_EXTENSIONS[channel]}`;
}

export interface PreparedBatch {
  fileName: string;
  decisions: Decision[];
  issues: Issue[];
  created: { date: CalendarDate; time: { hour: number; minute: number } } | null;
}

/**
 * Validates each decision, keeps those of this channel and recipient, drops repeated decision ids,
 * and orders them by processing order (seq, then decisionId) so the output never depends on the
 * order the caller happened to pass.
 */
export function prepareBatch(batch: OutboundBatch): PreparedBatch {
  const fileName = outboundFileName(batch.channel, batch.recipient, batch.control.interchange);
  const base: IssuePosition = { file: fileName };
  const issues: Issue[] = [];
  const kept: Decision[] = [];
  const seen = new Set<string>();
  batch.decisions.forEach((raw, i) => {
    // A decision already in the schema's exact form (what the core makes and the store reads back)
    // is checked field by field without zod's copy; any other goes through zod, which rejects it
    // with its message or returns its own copy (exact-decision.ts says why).
    if (exactDecision(raw)) {
      keep(raw);
      return;
    }
    const parsed = DecisionSchema.safeParse(raw);
    if (!parsed.success) {
      issues.push(
        generateIssue(
          'GENERATE_DECISION_MISMATCH',
          `decision #${i} is not a valid decision: ${parsed.error.issues[0]?.message ?? ''}`,
          base,
        ),
      );
      return;
    }
    keep(parsed.data);
  });
  function keep(d: Decision): void {
    if (d.channel !== batch.channel || d.recipient !== batch.recipient) {
      issues.push(
        generateIssue(
          'GENERATE_DECISION_MISMATCH',
          `decision ${d.decisionId} is for ${d.channel}/${d.recipient}, batch is ${batch.channel}/${batch.recipient}`,
          base,
        ),
      );
      return;
    }
    if (seen.has(d.decisionId)) {
      issues.push(
        generateIssue(
          'GENERATE_DUPLICATE_DECISION',
          `decision ${d.decisionId} occurs twice; sent once`,
          base,
        ),
      );
      return;
    }
    seen.add(d.decisionId);
    kept.push(d);
  }
  kept.sort(
    (a, b) => a.seq - b.seq || (a.decisionId < b.decisionId ? -1 : a.decisionId > b.decisionId ? 1 : 0),
  );
  const date = parseCalendarDate(batch.created.date);
  const time = parseClockTime(batch.created.time);
  if (date === null || time === null) {
    issues.push(
      generateIssue(
        'GENERATE_INVALID_ENVELOPE',
        `batch creation ${batch.created.date} ${batch.created.time} is not a date and HH:MM time`,
        base,
      ),
    );
  }
  return {
    fileName,
    decisions: kept,
    issues,
    created: date === null || time === null ? null : { date, time },
  };
}

/**
 * One warning naming the profile elements this file used whose shipped default is unconfirmed
 * (still in partner.unconfirmed, i.e. not overridden for this partner); nothing when none.
 */
export function noteUnconfirmed(
  partner: PartnerProfile,
  used: readonly string[],
  issues: Issue[],
  pos: IssuePosition,
): void {
  const open = [...new Set(used)].filter((path) => partner.unconfirmed.includes(path));
  if (open.length === 0) return;
  issues.push(
    generateIssue(
      'GENERATE_UNCONFIRMED_DEFAULT',
      `used unconfirmed profile default(s) ${open.join(', ')} (set them in the partner profile once agreed)`,
      pos,
    ),
  );
}

/**
 * The code sent for a decision: a withheld decision takes the partner's hold code when one is set.
 * No CBP source gives a Release 3 hold code for truck or ABI (CSMS 65085008 names 4M for air,
 * ocean and rail only): without a partner hold code the decision's own code goes out and the file
 * says so.
 */
export function codeToSend(
  d: Decision,
  partner: PartnerProfile,
  issues: Issue[],
  pos: IssuePosition,
  /** Collects the unconfirmed profile paths used (reported once per file by noteUnconfirmed). */
  used: string[],
): string {
  const hold = d.withhold ? partner.holdCodes[d.channel] : undefined;
  if (d.withhold && hold === undefined) used.push(`holdCodes.${d.channel}`);
  if (hold === undefined || hold === d.code) return d.code;
  issues.push(
    generateIssue(
      'GENERATE_CODE_MAPPED',
      `decision ${d.decisionId}: code ${d.code} sent as hold code ${hold}`,
      pos,
    ),
  );
  return hold;
}

/**
 * ISA15 / UNB 0035 of a file: the inputs' own indicator when mirroring is on and every decision's
 * input recorded one and they agree (a test manifest never yields a production notification, nor
 * the reverse); otherwise the partner's explicit `usage`.
 */
export function usageFor(decisions: readonly Decision[], partner: PartnerProfile): 'P' | 'T' {
  if (!partner.mirrorInputUsage || decisions.length === 0) return partner.usage;
  const seen = new Set(decisions.map((d) => d.cause.usage));
  const only = seen.size === 1 ? [...seen][0] : undefined;
  return only === 'P' || only === 'T' ? only : partner.usage;
}

export interface Emitted {
  decision: Decision;
  messageRef: string;
  code: string;
}

export function messageRef(batch: OutboundBatch, index: number): string {
  return String(batch.control.firstMessage + index).padStart(4, '0');
}

/** Assembles the GeneratedFile; when any error was recorded nothing is sent (content '', twin []). */
export function finishFile(args: {
  batch: OutboundBatch;
  fileName: string;
  content: string;
  charset: string;
  issues: Issue[];
  emitted: Emitted[];
  messageRefs: string[];
  group: number | null;
  writerOk: boolean;
}): GeneratedFile {
  const { batch, fileName, issues, emitted } = args;
  if (emitted.length === 0 && !issues.some((i) => (i.code as string) === 'GENERATE_EMPTY_BATCH')) {
    issues.push(
      generateIssue('GENERATE_EMPTY_BATCH', 'no decision of the batch could be sent', { file: fileName }),
    );
  }
  // Per-decision errors only drop that decision; envelope/writer errors stop the whole file.
  const fatal = !args.writerOk || emitted.length === 0;
  const ok = !fatal;
  const sent: SentLine[] = ok
    ? emitted.map((e) => ({ decisionId: e.decision.decisionId, messageRef: e.messageRef, code: e.code }))
    : [];
  const controlNumbers: ControlNumbersUsed = {
    interchange: batch.control.interchange,
    group: args.group,
    messages: ok ? args.messageRefs : [],
    nextMessage: batch.control.firstMessage + (ok ? args.messageRefs.length : 0),
  };
  return {
    channel: batch.channel,
    recipient: batch.recipient,
    fileName,
    content: ok ? args.content : '',
    charset: args.charset,
    messages: ok ? args.messageRefs.length : 0,
    controlNumbers,
    issues,
    twin: ok ? emitted.map((e) => e.decision) : [],
    sent,
    ok,
  };
}

export { hasErrors };
