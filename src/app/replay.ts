/**
 * The main job on the embedded default: read input files → shipment events → per-person-day
 * decisions in SQLite → outbound EDI files, acknowledgments, quarantine and an accounting ledger.
 * Running it twice on the same input with the same database adds no decision.
 */
import { appendFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { aggregationConfig, type AggregationOverrides } from '../core/rules/defaults.js';
import { allIssues, hasRejections, type FileOutcome } from '../core/pipeline/outcome.js';
import { SqliteDecisionStore } from '../adapters/store/sqlite/sqlite-store.js';
import { fixedClock, systemClock } from '../adapters/clock/system-clock.js';
import { safeOutputName } from '../adapters/fs/safe-name.js';
import type { Clock } from '../ports/clock.js';
import { AggregateBatcher } from './aggregate-batcher.js';
import type { IngestDriver } from './ingest-files.js';
import { bestIngestDriver, type IngestThreadOptions } from './ingest-thread.js';
import { listInputs } from './list-inputs.js';
import type { NormalizeSettings } from './normalizers.js';
import { writeAcknowledgments } from './acks.js';
import { defaultPartners, emitOutbound, type PartnerLookup } from './emit-outbound.js';
import type { Issue } from '../core/model/issue.js';
import { type OnProgress, ProgressCounter } from './progress.js';

export interface ReplayOptions {
  inputs: string[];
  dbPath: string;
  outDir: string;
  rules?: AggregationOverrides['rulesOverride'];
  strict?: boolean;
  /** Fixed clock for outbound creation stamps (certification replay, golden tests). */
  now?: string;
  maxFileBytes?: number;
  batchEvents?: number;
  normalize?: NormalizeSettings;
  /** Emit outbound files whenever this many decisions are pending. Default 10k. */
  emitEvery?: number;
  /** Write acknowledgments (999/TA1/CONTRL) for every inbound interchange. Default true. */
  acks?: boolean;
  /** Outbound partner profiles by recipient and channel (default: the shipped defaults). */
  partners?: PartnerLookup;
  /** How files are read: a worker thread when the compiled module is there (default), else in-process. */
  ingest?: IngestDriver;
  /** Settings of the default ingest thread (heap budget, in-flight window). */
  ingestThread?: IngestThreadOptions;
  /** Called as files and shipments are read (the CLI draws a progress line on a TTY). */
  onProgress?: OnProgress;
}

export interface ReplaySummary {
  files: number;
  bytes: number;
  interchanges: number;
  interchangesRejected: number;
  duplicates: number;
  messages: number;
  messagesRejected: number;
  shipments: number;
  shipmentsRejected: number;
  decisions: number;
  outboundFiles: number;
  /**
   * Problems that kept decisions from going out (they stay pending and are retried on the next run):
   * the first MAX_REPORTED_EMIT_ERRORS; all of them are in outbound-issues.jsonl.
   */
  emitIssues: Array<{ code: string; message: string }>;
  emitIssueCount: number;
  quarantined: string[];
  skipped: Array<{ path: string; reason: string }>;
  /** The first MAX_REPORTED_REJECTIONS error issues of rejected input (all are in the quarantine). */
  rejections: Array<{ file: string; code: string; message: string }>;
  rejectionCount: number;
  elapsedMs: number;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
/**
 * Events per store transaction. Larger batches write fewer WAL pages per event (new person-days and
 * bills land on random index pages, each dirtied page is written once per COMMIT): at 4M shipments
 * (heap-capped) 10k-event batches took 460 s, 5k-event batches 490 s.
 */
export const DEFAULT_BATCH_EVENTS = 10_000;
export const MAX_REPORTED_EMIT_ERRORS = 100;
export const MAX_REPORTED_REJECTIONS = 1000;

export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const clock: Clock = options.now !== undefined ? fixedClock(options.now) : systemClock();
  const config = aggregationConfig(options.rules !== undefined ? { rulesOverride: options.rules } : {});
  await mkdir(dirname(options.dbPath), { recursive: true });
  const store = new SqliteDecisionStore(options.dbPath);
  const dirs = {
    out: options.outDir,
    outbound: join(options.outDir, 'outbound'),
    acks: join(options.outDir, 'acks'),
    quarantine: join(options.outDir, 'quarantine'),
  };
  await mkdir(dirs.outbound, { recursive: true });
  await mkdir(dirs.acks, { recursive: true });
  await mkdir(dirs.quarantine, { recursive: true });

  const summary: ReplaySummary = {
    files: 0,
    bytes: 0,
    interchanges: 0,
    interchangesRejected: 0,
    duplicates: 0,
    messages: 0,
    messagesRejected: 0,
    shipments: 0,
    shipmentsRejected: 0,
    decisions: 0,
    outboundFiles: 0,
    emitIssues: [],
    emitIssueCount: 0,
    quarantined: [],
    skipped: [],
    rejections: [],
    rejectionCount: 0,
    elapsedMs: 0,
  };
  // Decisions and audit records are appended as each batch commits, never held for the whole run
  // (memory must not grow with the input).
  let decisionsSinceEmit = 0;
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  const batcher = new AggregateBatcher(store, config, batchEvents, (decisions, records) => {
    summary.decisions += decisions.length;
    decisionsSinceEmit += decisions.length;
    if (decisions.length > 0) appendFileSync(join(dirs.out, 'decisions.jsonl'), jsonLines(decisions));
    if (records.length > 0) appendFileSync(join(dirs.out, 'audit.jsonl'), jsonLines(records));
  });
  const emitted = { files: 0, errors: [] as Issue[], errorCount: 0 };
  let emitFrom = 0;
  /** `final`: the run's last emit, which also retries decisions earlier emits could not send. */
  const emit = async (final: boolean): Promise<void> => {
    // Warnings (a value truncated, a default used) and the final emit's errors (decisions that stay
    // pending) go to outbound-issues.jsonl page by page; the summary keeps the first errors and a
    // count, so memory does not grow with the number of decisions.
    const onIssues = (issues: Issue[]): void => {
      const logged = final ? issues : issues.filter((i) => i.severity !== 'error');
      if (logged.length > 0) appendFileSync(join(dirs.out, 'outbound-issues.jsonl'), jsonLines(logged));
      if (!final) return;
      for (const issue of issues) {
        if (issue.severity !== 'error') continue;
        emitted.errorCount += 1;
        if (emitted.errors.length < MAX_REPORTED_EMIT_ERRORS) emitted.errors.push(issue);
      }
    };
    const out = await emitOutbound(
      store,
      dirs.outbound,
      clock,
      options.partners ?? defaultPartners,
      final ? 0 : emitFrom,
      onIssues,
    );
    emitFrom = out.nextSeq;
    emitted.files += out.files.length;
  };

  // The parse thread may run a whole batch ahead: while one batch is applied, the next one fills
  // (with a window of half a batch, each thread waited on the other ~25–40% of the time).
  const driver =
    options.ingest ?? bestIngestDriver({ maxInFlightEvents: batchEvents, ...options.ingestThread });

  try {
    const listing = await listInputs(options.inputs);
    summary.skipped = listing.skipped;
    const progress = await ProgressCounter.over(listing.files, options.onProgress);
    const settings = {
      strict: options.strict ?? false,
      maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      normalize: options.normalize ?? {},
    };
    await driver(listing.files, settings, {
      interchange: async (input, ic) => {
        if (ic.ok) progress.items(ic.events.length);
        if (decisionsSinceEmit >= (options.emitEvery ?? 10_000)) {
          decisionsSinceEmit = 0;
          await emit(false);
        }
        if (ic.ok && ic.events.length > 0) {
          await batcher.add({
            sender: ic.header.senderId.trim(),
            controlNumber: ic.header.controlNumber,
            fingerprint: ic.fingerprint,
            file: input.name,
            events: ic.events,
          });
        }
      },
      file: async (input, { outcome, sha256 }) => {
        account(summary, outcome);
        progress.file(outcome.bytes);
        if (options.acks ?? true) await writeAcknowledgments(outcome, dirs.acks, clock, store);
        const rejected = hasRejections(outcome);
        if (rejected) {
          const base = safeOutputName(input.name);
          await copyFile(input.path, join(dirs.quarantine, base));
          await writeFile(
            join(dirs.quarantine, `${base}.reason.json`),
            `${JSON.stringify({ file: input.name, sha256, issues: allIssues(outcome).filter((i) => i.severity === 'error') }, null, 2)}\n`,
          );
          summary.quarantined.push(input.name);
        }
        // Synchronous like the acknowledgments (acks.ts): one short line per file, on the
        // aggregation thread, where an awaited write waits behind SQLite's write-back.
        appendFileSync(
          join(dirs.out, 'ledger.jsonl'),
          `${JSON.stringify({
            file: input.name,
            sha256,
            bytes: outcome.bytes,
            standard: outcome.standard,
            interchanges: outcome.interchanges.length,
            outcome: rejected ? 'processed-with-rejections' : 'processed',
          })}\n`,
        );
      },
    });
    await batcher.flush();
    summary.duplicates = batcher.totals.duplicates.length;
    await emit(true);
    summary.outboundFiles = emitted.files;
    summary.emitIssues = emitted.errors.map((i) => ({ code: i.code, message: i.message }));
    summary.emitIssueCount = emitted.errorCount;
  } finally {
    await store.close();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

function jsonLines(records: readonly object[]): string {
  let out = '';
  for (const r of records) out += `${JSON.stringify(r)}\n`;
  return out;
}

/** Keeps the first MAX_REPORTED_REJECTIONS (all are in quarantine/*.reason.json) and counts them all. */
function reject(summary: ReplaySummary, file: string, issues: readonly Issue[]): void {
  for (const issue of issues) {
    summary.rejectionCount += 1;
    if (summary.rejections.length < MAX_REPORTED_REJECTIONS) {
      summary.rejections.push({ file, code: issue.code, message: issue.message });
    }
  }
}

const errorsOf = (issues: readonly Issue[]): Issue[] => issues.filter((i) => i.severity === 'error');

function account(summary: ReplaySummary, outcome: FileOutcome): void {
  summary.files += 1;
  summary.bytes += outcome.bytes;
  reject(summary, outcome.file, errorsOf(outcome.fileIssues));
  for (const ic of outcome.interchanges) {
    summary.interchanges += 1;
    if (!ic.ok) {
      summary.interchangesRejected += 1;
      reject(summary, outcome.file, errorsOf(ic.issues));
    }
    for (const m of ic.messages) {
      summary.messages += 1;
      if (!m.ok || !m.supported) {
        summary.messagesRejected += 1;
        reject(summary, outcome.file, errorsOf(m.issues));
      }
      if (ic.ok && m.ok) summary.shipments += m.events;
      summary.shipmentsRejected += m.rejected.length;
      for (const r of m.rejected) reject(summary, outcome.file, r.issues);
    }
  }
}
