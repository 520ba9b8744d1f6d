/**
 * Decisions → outbound files: one file per recipient and channel per processing batch. Each file is
 * generated once, with the control numbers its partner would get next, and those are reserved
 * (persisted) only once it could be generated; the file and the "emitted" mark
 * on its decisions are recorded in one store transaction, then written to disk (temp + rename) and
 * marked written — a crash in between is repaired by `unwrittenOutbound` on the next run, so a
 * decision is never lost and never sent in two files.
 *
 * Files recorded by others are written the same way: in queue mode the ingest worker records the
 * acknowledgments of every input (channel 'ack', no decisions, src/app/queue/ingest-acks.ts) and
 * the emitter, which owns the output folders, writes them to the acknowledgment folder.
 */
import { constants, copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateOutbound, type OutboundBatch } from '../core/generate/index.js';
import type { Decision } from '../core/model/decision.js';
import { formatIssue, type Issue } from '../core/model/issue.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionStore, OutboundRecord } from '../ports/decision-store.js';
import { ACK_CHANNEL, defaultPartners, type PartnerLookup } from './partner-lookup.js';

export interface EmitSummary {
  files: string[];
  decisions: number;
  issues: Issue[];
  /** One past the highest decision seq this call looked at (`fromSeq` when none was pending). */
  nextSeq: number;
}

export { defaultPartners, type PartnerLookup } from './partner-lookup.js';

const X12_MAX = 999_999_999;

/**
 * Where files go: outbound files (only what is sent to partners: a transmitter may pick up every
 * file there), acknowledgments, and `records`: what is not for partners — the JSON twin of each
 * outbound file and the `report` channel's JSON lines.
 */
export interface OutputDirs {
  outbound: string;
  acks: string;
  /** Default: `records` beside the outbound folder. */
  records?: string;
}

/** A single folder: outbound files in it, acknowledgments in `acks/`, twins and reports in `records/`. */
export function outputDirs(dir: string | OutputDirs): Required<OutputDirs> {
  if (typeof dir === 'string')
    return { outbound: dir, acks: join(dir, 'acks'), records: join(dir, 'records') };
  return { ...dir, records: dir.records ?? join(dirname(dir.outbound), 'records') };
}

/** Refused: a file of that name exists with other content (another database wrote this folder). */
export class OutputExistsError extends Error {
  readonly exitCode = 2;
  constructor(readonly path: string) {
    super(
      `${path} exists with other content and was not overwritten (this output folder was written from another database?); its decisions stay pending: move the file away or use a new --out`,
    );
    this.name = 'OutputExistsError';
  }
}

/**
 * Writes a new file, never replacing one: content to a temp file, then a hard link to the name
 * (which fails if the name exists, atomically). An existing file with the same content is a file
 * written before a crash kept it from being marked written: accepted.
 */
export function writeNewFile(path: string, content: string, encoding: BufferEncoding): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content, encoding);
    try {
      linkSync(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        // A file system without hard links: an exclusive copy, not atomic but never replacing.
        copyFileSync(tmp, path, constants.COPYFILE_EXCL);
      } else throw err;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!readFileSync(path).equals(Buffer.from(content, encoding))) throw new OutputExistsError(path);
  } finally {
    rmSync(tmp, { force: true }); // also when the disk was full mid-write
  }
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

type ControlNumbers = OutboundBatch['control'];

/** A file's interchange, group and first message numbers: peeked or reserved, in that order. */
async function controlNumbers(
  store: DecisionStore,
  partnerKey: string,
  messages: number,
  how: 'peekControlNumbers' | 'reserveControlNumbers',
): Promise<ControlNumbers> {
  return {
    interchange: await store[how](partnerKey, 'interchange', 1, X12_MAX),
    group: await store[how](partnerKey, 'group', 1, X12_MAX),
    firstMessage: await store[how](partnerKey, 'message', messages, X12_MAX),
  };
}

const sameControl = (a: ControlNumbers, b: ControlNumbers): boolean =>
  a.interchange === b.interchange && a.group === b.group && a.firstMessage === b.firstMessage;

/** One file per recipient and channel of the page's decisions. */
async function emitPage(
  pending: Decision[],
  store: DecisionStore,
  dirs: Required<OutputDirs>,
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
    const batch = (control: ControlNumbers): OutboundBatch => ({
      recipient: first.recipient,
      channel: first.channel,
      decisions,
      control,
      created,
    });
    // Generated once, with the numbers a reservation would give now, and reserved only when the file
    // could be generated: a file that cannot be (e.g. a profile without a port) must not use up
    // control numbers, or the partner sees a gap.
    const expected = await controlNumbers(store, partnerKey, decisions.length, 'peekControlNumbers');
    let file = generateOutbound(batch(expected), partner);
    if (!file.ok) {
      // Its issues name the file and messages by the numbers they would have had (the next free
      // ones), not by placeholders that are the names of files already sent.
      if (file.issues.length > 0) report(file.issues);
      continue; // decisions stay pending; the issues say why
    }
    const control = await controlNumbers(store, partnerKey, decisions.length, 'reserveControlNumbers');
    if (!sameControl(control, expected)) {
      // Another emitter of this partner reserved in between: generated again with what we hold.
      file = generateOutbound(batch(control), partner);
    }
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

/** Writes recorded files (never replacing one) and marks them written. */
export async function writeRecords(
  records: OutboundRecord[],
  dirs: Required<OutputDirs>,
  store: DecisionStore,
  summary: EmitSummary,
): Promise<void> {
  if (records.length === 0) return;
  // Synchronous writes: small files, written on the aggregation thread's critical path, where each
  // awaited libuv call waited behind SQLite's write-back (see acks.ts; a 1M replay spent 17.9 s in
  // emit with four awaited calls per file).
  // Folders are made on first use: a worker started on a fresh data folder (s321 serve, s321 worker
  // emit) had every file fail with ENOENT and its decisions left unwritten.
  // Never replaces a file (writeNewFile): an --out reused with another database restarted control
  // numbers and overwrote earlier runs' files.
  const made = new Set<string>();
  const folder = (dir: string): string => {
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    return dir;
  };
  for (const r of records) {
    const dir = r.channel === ACK_CHANNEL ? dirs.acks : r.channel === 'report' ? dirs.records : dirs.outbound;
    if (r.twin !== '') writeNewFile(join(folder(dirs.records), `${r.name}.json`), r.twin, 'utf8');
    writeNewFile(join(folder(dir), r.name), r.content, r.charset ?? 'utf8');
    summary.files.push(r.name);
  }
  await store.markWritten(records.map((r) => r.name));
}

export function describeIssues(issues: Issue[]): string[] {
  return issues.map(formatIssue);
}
