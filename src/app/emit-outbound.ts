/**
 * Decisions → outbound files: one file per recipient and channel per processing batch. Control
 * numbers are reserved (persisted) per partner before generating; the file and the "emitted" mark
 * on its decisions are recorded in one store transaction, then written to disk (temp + rename) and
 * marked written — a crash in between is repaired by `unwrittenOutbound` on the next run, so a
 * decision is never lost and never sent in two files.
 *
 * Files recorded by others are written the same way: in queue mode the ingest worker records the
 * acknowledgments of every input (channel 'ack', no decisions, src/app/queue/ingest-acks.ts) and
 * the emitter, which owns the output folders, writes them to the acknowledgment folder.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PARTNER_PROFILE, generateOutbound, type PartnerProfile } from '../core/generate/index.js';
import type { Channel, Decision } from '../core/model/decision.js';
import { formatIssue, type Issue } from '../core/model/issue.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionStore, OutboundRecord } from '../ports/decision-store.js';
import { ACK_CHANNEL } from './acks.js';

export interface EmitSummary {
  files: string[];
  decisions: number;
  issues: Issue[];
  /** One past the highest decision seq this call looked at (`fromSeq` when none was pending). */
  nextSeq: number;
}

export type PartnerLookup = (recipient: string, channel: Channel) => PartnerProfile;

export const defaultPartners: PartnerLookup = (recipient) => ({
  ...DEFAULT_PARTNER_PROFILE,
  id: recipient,
  receiverId: recipient,
});

const X12_MAX = 999_999_999;

/** Where files go: outbound files, and acknowledgments recorded in the store (queue mode). */
export interface OutputDirs {
  outbound: string;
  acks: string;
}

/** A single folder: outbound files in it, acknowledgments in its `acks/` subfolder. */
export function outputDirs(dir: string | OutputDirs): OutputDirs {
  return typeof dir === 'string' ? { outbound: dir, acks: join(dir, 'acks') } : dir;
}

export async function emitOutbound(
  store: DecisionStore,
  dir: string | OutputDirs,
  clock: Clock,
  partners: PartnerLookup = defaultPartners,
  /**
   * Only decisions from this seq on. A long run passes the previous call's `nextSeq`, so a decision
   * that cannot be sent (e.g. no airport for its port) is not regenerated at every batch; the run's
   * last call passes 0 and retries them all once.
   */
  fromSeq = 0,
  /**
   * Receives each page's issues instead of `summary.issues` (which then stays empty): a long run's
   * last emit can retry hundreds of thousands of stuck decisions, and their issues must not pile up.
   */
  onIssues?: (issues: Issue[]) => void,
  /** Decisions read and generated at a time (memory is bounded by a page, not by what is pending). */
  pageSize = EMIT_PAGE_DECISIONS,
): Promise<EmitSummary> {
  const summary: EmitSummary = { files: [], decisions: 0, issues: [], nextSeq: fromSeq };
  const report = onIssues ?? ((issues: Issue[]) => summary.issues.push(...issues));
  const dirs = outputDirs(dir);
  await writeRecords(await store.unwrittenOutbound(), dirs, store, summary);
  const created = clock.now();
  for (;;) {
    const pending = await store.pendingDecisions(summary.nextSeq, pageSize);
    if (pending.length === 0) break;
    summary.nextSeq = (pending[pending.length - 1] as Decision).seq + 1;
    await emitPage(pending, store, dirs, created, partners, summary, report);
    if (pending.length < pageSize) break;
  }
  return summary;
}

export const EMIT_PAGE_DECISIONS = 10_000;

/** One file per recipient and channel of the page's decisions. */
async function emitPage(
  pending: Decision[],
  store: DecisionStore,
  dirs: OutputDirs,
  created: ReturnType<Clock['now']>,
  partners: PartnerLookup,
  summary: EmitSummary,
  report: (issues: Issue[]) => void,
): Promise<void> {
  const groups = new Map<string, Decision[]>();
  for (const d of pending) {
    const key = `${d.channel}\u0000${d.recipient}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [d]);
    else list.push(d);
  }
  const records: OutboundRecord[] = [];
  for (const decisions of groups.values()) {
    const first = decisions[0] as Decision;
    const partner = partners(first.recipient, first.channel);
    const partnerKey = `${first.channel}:${first.recipient}`;
    const control = {
      interchange: await store.reserveControlNumbers(partnerKey, 'interchange', 1, X12_MAX),
      group: await store.reserveControlNumbers(partnerKey, 'group', 1, X12_MAX),
      firstMessage: await store.reserveControlNumbers(partnerKey, 'message', decisions.length, X12_MAX),
    };
    const file = generateOutbound(
      { recipient: first.recipient, channel: first.channel, decisions, control, created },
      partner,
    );
    if (file.issues.length > 0) report(file.issues);
    if (!file.ok) continue; // decisions stay pending; the issues say why (e.g. a profile without a port)
    records.push({
      name: file.fileName,
      recipient: file.recipient,
      channel: file.channel,
      content: file.content,
      twin: `${JSON.stringify(file.twin, null, 2)}\n`,
      decisionIds: file.sent.map((s) => s.decisionId),
    });
    summary.decisions += file.sent.length;
  }
  if (records.length > 0) await store.recordOutbound(records);
  await writeRecords(records, dirs, store, summary);
}

async function writeRecords(
  records: OutboundRecord[],
  dirs: OutputDirs,
  store: DecisionStore,
  summary: EmitSummary,
): Promise<void> {
  if (records.length === 0) return;
  // Synchronous writes: small files, written on the aggregation thread's critical path, where each
  // awaited libuv call waited behind SQLite's write-back (see acks.ts; a 1M replay spent 17.9 s in
  // emit with four awaited calls per file).
  // Folders are made on first use: a worker started on a fresh data folder (s321 serve, s321 worker
  // emit) had every file fail with ENOENT and its decisions left unwritten.
  const made = new Set<string>();
  for (const r of records) {
    const ack = r.channel === ACK_CHANNEL;
    const dir = ack ? dirs.acks : dirs.outbound;
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const path = join(dir, r.name);
    writeFileSync(`${path}.tmp`, r.content, r.charset ?? 'utf8');
    if (r.twin !== '') {
      writeFileSync(`${path}.json.tmp`, r.twin, 'utf8');
      renameSync(`${path}.json.tmp`, `${path}.json`);
    }
    renameSync(`${path}.tmp`, path);
    summary.files.push(r.name);
  }
  await store.markWritten(records.map((r) => r.name));
}

export function describeIssues(issues: Issue[]): string[] {
  return issues.map(formatIssue);
}
