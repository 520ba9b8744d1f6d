/**
 * The main job on the embedded default: read input files → shipment events → per-person-day
 * decisions in SQLite → outbound EDI files, acknowledgments, quarantine and an accounting ledger.
 * Running it twice on the same input with the same database adds no decision.
 */
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fixedClock, systemClock } from '../adapters/clock/system-clock.js';
import { quarantineInput } from '../adapters/fs/quarantine.js';
import type { PruneCounts } from '../adapters/store/sqlite/retention.js';
import { SqliteDecisionStore } from '../adapters/store/sqlite/sqlite-store.js';
import { lockStore } from '../adapters/store/sqlite/store-lock.js';
import { DEFAULT_RETENTION_DAYS } from '../core/aggregate/retention.js';
import type { Issue } from '../core/model/issue.js';
import type { InterchangeOutcome } from '../core/pipeline/outcome.js';
import { type AggregationOverrides, aggregationConfig } from '../core/rules/defaults.js';
import type { Clock } from '../ports/clock.js';
import type { OutboundRecord } from '../ports/decision-store.js';
import { noMetrics, type PipelineMetrics } from '../ports/metrics.js';
import { ACK_CHANNEL, buildAcknowledgments, embeddedAckName } from './acks.js';
import { AggregateBatcher } from './aggregate-batcher.js';
import { DerivedJournal } from './derived-journal.js';
import { defaultPartners, emitOutbound, type PartnerLookup, writeRecords } from './emit-outbound.js';
import { faultPoint } from './fault-points.js';
import type { IngestedFile } from './ingest-file.js';
import type { IngestDriver } from './ingest-files.js';
import { bestIngestDriver, type IngestThreadOptions } from './ingest-thread.js';
import { type InputFile, type InputListing, listInputs } from './list-inputs.js';
import type { NormalizeSettings } from './normalizers.js';
import { countRead } from './pipeline-metrics.js';
import { type OnProgress, ProgressCounter } from './progress.js';
import { findSplitSuspects } from './report-data.js';

export interface ReplayOptions {
  inputs: string[];
  /** Called as files and shipments are read (the CLI draws a progress line on a TTY). */
  onProgress?: OnProgress;
  dbPath: string;
  outDir: string;
  rules?: AggregationOverrides['rulesOverride'];
  strict?: boolean;
  /** Fixed clock for outbound creation stamps (certification replay, golden tests). */
  now?: string;
  maxFileBytes?: number;
  batchEvents?: number;
  /** Events per store transaction, at most (a batch commits in several; default DEFAULT_COMMIT_EVENTS). */
  commitEvents?: number;
  normalize?: NormalizeSettings;
  /** Emit outbound files whenever this many decisions are pending. Default 10k. */
  emitEvery?: number;
  /** Write acknowledgments (999/TA1/CONTRL) for every inbound interchange. Default true. */
  acks?: boolean;
  /** Outbound partner profiles by recipient and channel (default: the shipped defaults). */
  partners?: PartnerLookup;
  /** Shipments read, rejections and decisions, counted as the run goes (src/ports/metrics.ts). */
  metrics?: PipelineMetrics;
  /** How files are read: a worker thread when the compiled module is there (default), else in-process. */
  ingest?: IngestDriver;
  /** Settings of the default ingest thread (heap budget, in-flight window). */
  ingestThread?: IngestThreadOptions;
  /**
   * Retention window in days after a person-day's day (docs/retention.md); 0 keeps everything.
   * Default DEFAULT_RETENTION_DAYS. The store prunes when it opens, counting back from the latest
   * day it holds (never from after the clock's today).
   */
  retentionDays?: number;
  /**
   * Days the SQLite store holds in memory behind the newest day (older ones are evicted and read
   * through SQLite: docs/replay-memory.md). Default DEFAULT_HOT_DAYS (0: only the newest day); tests
   * set a large window to compare with nothing evicted.
   */
  hotDays?: number;
  /**
   * Held rows (person-days + bills) past which the SQLite store evicts the oldest, of any day.
   * Default DEFAULT_MAX_HELD_ROWS (docs/replay-memory.md, "The row cap"); tests set a small one.
   */
  maxHeldRows?: number;
}

export interface ReplaySummary {
  files: number;
  bytes: number;
  interchanges: number;
  interchangesRejected: number;
  duplicates: number;
  /** Split-shipment suspect groups audited by this run (new, or with a changed combined total). */
  splitSuspectGroups: number;
  /** Inputs whose every applied interchange was applied before, or accounted by an earlier run. */
  duplicateFiles: string[];
  messages: number;
  messagesRejected: number;
  /** Shipment events of manifests (309, CUSCAR). */
  shipments: number;
  /** Status events (350, CUSRES): counted apart, they are not shipments. */
  statusEvents: number;
  shipmentsRejected: number;
  decisions: number;
  outboundFiles: number;
  /** Acknowledgment files written for this run's inputs. */
  acknowledgments: number;
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
  /** What the store pruned when this run opened it (undefined: nothing). */
  pruned: PruneCounts | undefined;
  /** Events rejected because they name a pruned day or a pruned bill (each is in `rejections`). */
  prunedEvents: number;
  /** What the --out folder holds after the run (files, and folders with something in them). */
  outputs: string[];
  elapsedMs: number;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
/**
 * Events per store transaction. Larger batches write fewer WAL pages per event (new person-days and
 * bills land on random index pages, each dirtied page is written once per COMMIT): at 4M shipments
 * (heap-capped) 10k-event batches took 460 s, 5k-event batches 490 s.
 */
export const DEFAULT_BATCH_EVENTS = 10_000;
/**
 * Events per store transaction within a batch (AggregateBatcher: the batch still schedules
 * acknowledgments, accounting and emits, so outputs do not depend on it). Smaller commits let a
 * commit's events and working state die young instead of being promoted (README, Performance).
 */
export const DEFAULT_COMMIT_EVENTS = 2_000;
export const MAX_REPORTED_EMIT_ERRORS = 100;
export const MAX_REPORTED_REJECTIONS = 1000;
/** Error issues kept per input for its quarantine reason (the rest are counted: `moreIssues`). */
export const MAX_REASON_ISSUES = 1000;
/** Interchange summaries waiting for a commit before they are acknowledged (bounds memory). */
export const MAX_PENDING_ACKS = 1000;

export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const started = performance.now();
  const clock: Clock = options.now !== undefined ? fixedClock(options.now) : systemClock();
  const config = aggregationConfig(options.rules !== undefined ? { rulesOverride: options.rules } : {});
  // Inputs first: a path that cannot be read is refused before anything is created, and the run's
  // own database and outputs are never inputs (a replay of "." read its own acks back).
  const listing = await listInputs(options.inputs, {
    ownDatabase: options.dbPath,
    ownOutput: options.outDir,
  });
  await mkdir(dirname(options.dbPath), { recursive: true });
  const lock = lockStore(options.dbPath);
  let store: SqliteDecisionStore | undefined;
  try {
    store = new SqliteDecisionStore(options.dbPath, {
      retention: { days: options.retentionDays ?? DEFAULT_RETENTION_DAYS, today: clock.now().date },
      ...(options.hotDays !== undefined ? { hotDays: options.hotDays } : {}),
      ...(options.maxHeldRows !== undefined ? { maxHeldRows: options.maxHeldRows } : {}),
    });
    return await replayLocked(options, store, listing, clock, config, started);
  } finally {
    await store?.close();
    lock.release();
  }
}

/** Where the run's files go (README "Where outputs go"). */
export function replayDirs(outDir: string) {
  return {
    out: outDir,
    /** Only files for partners: a transmitter may send everything in it. */
    outbound: join(outDir, 'outbound'),
    acks: join(outDir, 'acks'),
    /** Not for partners: JSON twins of outbound files and the report channel's JSON lines. */
    records: join(outDir, 'records'),
    quarantine: join(outDir, 'quarantine'),
  };
}

async function replayLocked(
  options: ReplayOptions,
  store: SqliteDecisionStore,
  listing: InputListing,
  clock: Clock,
  config: ReturnType<typeof aggregationConfig>,
  started: number,
): Promise<ReplaySummary> {
  const dirs = replayDirs(options.outDir);
  await mkdir(dirs.outbound, { recursive: true });
  await mkdir(dirs.acks, { recursive: true });
  await mkdir(dirs.quarantine, { recursive: true });
  // The JSON-lines files are brought up to the database first: what a crash or a full disk kept
  // from them after a commit is appended now (derived-journal.ts).
  const journals = {
    decisions: DerivedJournal.open(join(dirs.out, 'decisions.jsonl'), store, 'decisions'),
    audit: DerivedJournal.open(join(dirs.out, 'audit.jsonl'), store, 'audit'),
    ledger: DerivedJournal.open(join(dirs.out, 'ledger.jsonl'), store, 'ledger'),
  };

  const summary: ReplaySummary = {
    splitSuspectGroups: 0,
    files: 0,
    bytes: 0,
    interchanges: 0,
    interchangesRejected: 0,
    duplicates: 0,
    duplicateFiles: [],
    messages: 0,
    messagesRejected: 0,
    shipments: 0,
    statusEvents: 0,
    shipmentsRejected: 0,
    decisions: 0,
    outboundFiles: 0,
    acknowledgments: 0,
    emitIssues: [],
    emitIssueCount: 0,
    quarantined: [],
    skipped: listing.skipped,
    rejections: [],
    rejectionCount: 0,
    pruned: store.pruned,
    prunedEvents: 0,
    outputs: [],
    elapsedMs: 0,
  };
  for (const s of listing.skipped) {
    const json = JSON.stringify({ file: s.path, path: s.path, outcome: 'skipped', reason: s.reason });
    store.recordInput({ name: s.path, sha256: null, outcome: 'skipped', json });
    journals.ledger.append([json]);
  }

  // Decisions and audit records are appended as each batch commits, never held for the whole run
  // (memory must not grow with the input).
  /** Decisions committed at the last batch boundary when the last emit ran (emits follow batches). */
  let decisionsAtLastEmit = 0;
  const metrics = options.metrics ?? noMetrics;
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  const batcher = new AggregateBatcher(
    store,
    config,
    batchEvents,
    (decisions, records) => {
      faultPoint('batch-committed');
      metrics.decisionsMade(decisions);
      summary.decisions += decisions.length;
      // The rows' own JSON texts (the journals are derived from those rows), serialized once.
      journals.decisions.append(store.decisionLines(decisions));
      journals.audit.append(store.auditLines(records));
    },
    options.commitEvents ?? DEFAULT_COMMIT_EVENTS,
  );
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
      dirs,
      clock,
      options.partners ?? defaultPartners,
      final ? 0 : emitFrom,
      onIssues,
    );
    emitFrom = out.nextSeq;
    emitted.files += out.files.length;
  };

  // An input is accounted (ledger line), acknowledged and quarantined only once the batch holding its
  // interchanges has committed: a kill before that leaves no trace of it, and the rerun reads it as
  // new; a kill after it leaves its acknowledgments and ledger line recorded in the store, written
  // out by the rerun, which adds none. Accounting and acknowledgments are per interchange, as they
  // come (a file of 50k interchanges kept 50k summaries until its end): what waits for a commit is
  // at most MAX_PENDING_ACKS interchange summaries and a few counters per input.
  const acksOn = options.acks ?? true;
  const pendingAcks: Array<{ key: string; input: InputFile; ic: InterchangeOutcome; account: InputAccount }> =
    [];
  const finishing: Array<{ input: InputFile; ingested: IngestedFile; account: InputAccount }> = [];
  let current: InputAccount | undefined;
  let currentName: string | undefined;
  let duplicatesSeen = 0;
  const duplicatesByFile = new Map<string, number>();

  const recordPendingAcks = async (): Promise<void> => {
    if (pendingAcks.length === 0) return;
    const records: OutboundRecord[] = [];
    for (const { input, ic, account } of pendingAcks) {
      // Control numbers are reserved here, after the commit: a killed run reserves none for
      // acknowledgments it never recorded, so the rerun sends them under the same numbers.
      const acks = await buildAcknowledgments(
        { file: input.name, standard: null, interchanges: [ic], fileIssues: [], bytes: 0 },
        clock,
        store,
        { partners: options.partners ?? defaultPartners },
      );
      account.acks += acks.length;
      for (const ack of acks)
        records.push({
          name: embeddedAckName(input.name, ack),
          recipient: ack.recipient,
          channel: ACK_CHANNEL,
          content: ack.content,
          twin: '',
          decisionIds: [],
          charset: ack.charset,
        });
    }
    store.recordAcknowledgments(
      records,
      pendingAcks.map((p) => p.key),
    );
    pendingAcks.length = 0;
    faultPoint('acks-recorded');
    await writeRecords(records, dirs, store, { files: [], decisions: 0, issues: [], nextSeq: 0 });
    summary.acknowledgments += records.length;
  };

  /** Runs when nothing is waiting for a commit: everything read so far is durable. */
  const finishCommitted = async (): Promise<void> => {
    const dups = batcher.totals.duplicates;
    for (; duplicatesSeen < dups.length; duplicatesSeen++) {
      const { file, firstFile } = dups[duplicatesSeen] as { file: string; firstFile: string };
      // Applied before under the same name: by a run killed before it accounted the input, which
      // this run accounts now (an input accounted before is known by `inputAccounted`).
      if (firstFile === file) continue;
      duplicatesByFile.set(file, (duplicatesByFile.get(file) ?? 0) + 1);
    }
    // Events the retention rule rejected are the input's rejections, like a rejected shipment: the
    // input is quarantined with their reason, and they are never counted as applied.
    for (const issue of batcher.takePruned()) {
      const account =
        finishing.find((f) => f.input.name === issue.file)?.account ??
        (issue.file === currentName ? current : undefined);
      summary.prunedEvents += 1;
      reject(summary, issue.file ?? '', [issue]);
      if (account === undefined) continue;
      account.rejected = true;
      keepErrors(account, [issue]);
    }
    await recordPendingAcks();
    while (finishing.length > 0) {
      const next = finishing.shift() as { input: InputFile; ingested: IngestedFile; account: InputAccount };
      const duplicates = duplicatesByFile.get(next.input.name) ?? 0;
      duplicatesByFile.delete(next.input.name);
      finishInput(next.input, next.ingested, next.account, duplicates);
    }
  };

  const finishInput = (
    input: InputFile,
    { outcome, sha256 }: IngestedFile,
    account: InputAccount,
    duplicates: number,
  ): void => {
    summary.files += 1;
    summary.bytes += outcome.bytes;
    const fileErrors = errorsOf(outcome.fileIssues);
    reject(summary, input.name, fileErrors);
    const again = store.inputAccounted(input.name, sha256);
    const duplicate = again || (account.applied > 0 && duplicates >= account.applied);
    const rejected = account.rejected || fileErrors.length > 0;
    let quarantined: string | undefined;
    if (rejected && !again) {
      const issues = [...fileErrors, ...account.errors].slice(0, MAX_REASON_ISSUES);
      const more = fileErrors.length + account.errorCount - issues.length;
      quarantined = quarantineInput(dirs.quarantine, input.path, {
        file: input.name,
        sha256,
        issues,
        ...(more > 0 ? { moreIssues: more } : {}),
      }).name;
      summary.quarantined.push(input.name);
    }
    const outcomeName = duplicate ? 'duplicate' : rejected ? 'processed-with-rejections' : 'processed';
    if (duplicate) summary.duplicateFiles.push(input.name);
    const json = JSON.stringify({
      file: input.name,
      path: input.path,
      sha256,
      bytes: outcome.bytes,
      standard: outcome.standard,
      interchanges: account.interchanges,
      outcome: outcomeName,
      ...(quarantined !== undefined ? { quarantine: quarantined } : {}),
      acknowledgments: account.acks,
    });
    faultPoint('input-accounting');
    store.recordInput({ name: input.name, sha256, outcome: outcomeName, json });
    faultPoint('input-recorded');
    journals.ledger.append([json]);
  };

  // The parse thread may run a whole batch ahead: while one batch is applied, the next one fills
  // (with a window of half a batch, each thread waited on the other ~25–40% of the time).
  const driver =
    options.ingest ?? bestIngestDriver({ maxInFlightEvents: batchEvents, ...options.ingestThread });

  const settings = {
    strict: options.strict ?? false,
    maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    normalize: options.normalize ?? {},
    summaries: false,
  };
  const progress = await ProgressCounter.over(listing.files, options.onProgress);
  await driver(listing.files, settings, {
    interchange: async (input, ic) => {
      if (ic.ok) progress.items(ic.events.length);
      if (batcher.decisionsAtBoundary - decisionsAtLastEmit >= (options.emitEvery ?? 10_000)) {
        decisionsAtLastEmit = batcher.decisionsAtBoundary;
        await emit(false);
      }
      current ??= newInputAccount();
      currentName = input.name;
      const index = current.interchanges;
      accountInterchange(summary, input.name, ic, current);
      countRead(metrics, ic.ok ? ic.events : [], interchangeIssues(ic));
      if (acksOn) {
        const key = `${input.name}\u0000${index}\u0000${ic.fingerprint}`;
        if (!store.acknowledged(key)) {
          pendingAcks.push({ key, input, ic: { ...ic, events: [] }, account: current });
        }
      }
      const before = batcher.batches;
      if (ic.ok && ic.events.length > 0) {
        await batcher.add({
          sender: ic.header.senderId.trim(),
          controlNumber: ic.header.controlNumber,
          fingerprint: ic.fingerprint,
          file: input.name,
          events: ic.events,
        });
      }
      // Acknowledgments wait for the commit of their batch; interchanges without events (all
      // rejected) commit early rather than holding more than MAX_PENDING_ACKS of them.
      if (pendingAcks.length >= MAX_PENDING_ACKS) await batcher.flush();
      if (batcher.batches !== before || batcher.pendingInterchanges === 0) await finishCommitted();
    },
    file: async (input, ingested) => {
      progress.file(ingested.outcome.bytes);
      countRead(metrics, [], ingested.outcome.fileIssues);
      finishing.push({ input, ingested, account: current ?? newInputAccount() });
      current = undefined;
      currentName = undefined;
      if (batcher.pendingInterchanges === 0) await finishCommitted();
    },
  });
  await batcher.flush();
  await finishCommitted();
  // The last commit is done: the split-suspect pass and the final emit read SQLite, so the held rows'
  // memory is freed before theirs is taken (rebuilt if anything reads the state again).
  store.releaseHotState();
  summary.duplicates = batcher.totals.duplicates.length;
  // Split-shipment suspects (near-identical consignees of a day) go to the audit, each group once and
  // again only when its combined total changed; under this run's lock, through the derived journal.
  const suspects = store.recordSplitSuspects(findSplitSuspects(store.reportQueries()));
  journals.audit.append(suspects.map((r) => JSON.stringify(r)));
  summary.splitSuspectGroups = suspects.length;
  await emit(true);
  summary.outboundFiles = emitted.files;
  summary.emitIssues = emitted.errors.map((i) => ({ code: i.code, message: i.message }));
  summary.emitIssueCount = emitted.errorCount;
  summary.outputs = writtenOutputs(dirs);
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

/** The outputs this --out folder holds (the summary names only what is there). */
function writtenOutputs(dirs: ReturnType<typeof replayDirs>): string[] {
  const out: string[] = [];
  for (const f of ['decisions.jsonl', 'audit.jsonl', 'ledger.jsonl', 'outbound-issues.jsonl'])
    if (existsSync(join(dirs.out, f))) out.push(f);
  for (const d of ['outbound', 'acks', 'records', 'quarantine'] as const)
    if (existsSync(dirs[d]) && readdirSync(dirs[d]).length > 0) out.push(`${d}/`);
  return out;
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

/** The issues of one interchange: its envelope's, its messages' and their rejected shipments'. */
function interchangeIssues(ic: InterchangeOutcome): Issue[] {
  const out = [...ic.issues];
  for (const m of ic.messages) {
    out.push(...m.issues);
    for (const r of m.rejected) out.push(...r.issues);
  }
  return out;
}

/** Messages whose events are status events (an arrival, a customs response), not shipments. */
const STATUS_MESSAGES = new Set(['350', 'CUSRES']);

const errorsOf = (issues: readonly Issue[]): Issue[] => issues.filter((i) => i.severity === 'error');

/** What a replay keeps of one input while it is read: counters and its first errors. */
interface InputAccount {
  interchanges: number;
  /** Interchanges whose events went to the store. */
  applied: number;
  rejected: boolean;
  /** The first MAX_REASON_ISSUES error issues (for the quarantine reason), and how many in all. */
  errors: Issue[];
  errorCount: number;
  acks: number;
}

const newInputAccount = (): InputAccount => ({
  interchanges: 0,
  applied: 0,
  rejected: false,
  errors: [],
  errorCount: 0,
  acks: 0,
});

function keepErrors(account: InputAccount, issues: readonly Issue[]): void {
  for (const issue of issues) {
    account.errorCount += 1;
    if (account.errors.length < MAX_REASON_ISSUES) account.errors.push(issue);
  }
}

function accountInterchange(
  summary: ReplaySummary,
  file: string,
  ic: InterchangeOutcome,
  account: InputAccount,
): void {
  account.interchanges += 1;
  summary.interchanges += 1;
  if (ic.ok && ic.events.length > 0) account.applied += 1;
  if (!ic.ok) {
    summary.interchangesRejected += 1;
    account.rejected = true;
    const errors = errorsOf(ic.issues);
    reject(summary, file, errors);
    keepErrors(account, errors);
  }
  for (const m of ic.messages) {
    summary.messages += 1;
    if (!m.ok || !m.supported) {
      summary.messagesRejected += 1;
      account.rejected = true;
      const errors = errorsOf(m.issues);
      reject(summary, file, errors);
      keepErrors(account, errors);
    }
    if (ic.ok && m.ok) {
      if (STATUS_MESSAGES.has(m.header.type)) summary.statusEvents += m.events;
      else summary.shipments += m.events;
    }
    summary.shipmentsRejected += m.rejected.length;
    if (m.rejected.length > 0) account.rejected = true;
    for (const r of m.rejected) {
      reject(summary, file, r.issues); // as before: every issue of a rejected shipment
      keepErrors(account, errorsOf(r.issues));
    }
  }
}
