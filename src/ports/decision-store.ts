/**
 * Port: where aggregation state lives. The SQLite store (embedded), the Redis store (queue mode) and
 * the memory store implement it. None of them decides anything: the application's batch use case
 * (app/apply-batch.ts) opens a BatchSession, reads the state through it, runs the pure core once
 * (duplicate rule, crossing prediction, decisions: core/aggregate/engine.ts and aggregator.ts) and
 * hands the session the ChangeSet with the interchange records to commit atomically, so a batch is
 * either wholly applied or not at all, whatever the store.
 */
import type { DuplicateInterchange, InterchangeEvents, StateKeys } from '../core/aggregate/engine.js';
import type { RetentionView } from '../core/aggregate/retention.js';
import type { AuditRecord, ChangeSet, PersonDayRecord, StateView } from '../core/aggregate/state.js';
import type { Decision } from '../core/model/decision.js';
import type { Issue } from '../core/model/issue.js';

export type { DuplicateInterchange, InterchangeEvents };

export interface BatchOutcome {
  decisions: Decision[];
  audit: AuditRecord[];
  /** Interchanges skipped because the same sender, control number and content was already applied. */
  duplicates: DuplicateInterchange[];
  eventsApplied: number;
  /**
   * Events rejected by the retention rule (core/aggregate/retention.ts): they name a pruned day or a
   * pruned bill and were not applied. Absent when none were (and in outcomes stored before it).
   */
  pruned?: Issue[];
}

export interface PersonDayReport extends PersonDayRecord {
  /** Counted bills, in acceptance order. */
  billKeys: string[];
}

/**
 * A consistent read of the store's state, through the same view a batch reads: what a batch session
 * is without its commit. The use case reads through `view` and `appliedFile` (and `load`, for a store
 * that must fetch first) and `close` ends it. Nothing read through it can be written back: a
 * pre-check (issue #16) runs the one engine over it and discards the ChangeSet.
 *
 * A store that reads synchronously (SQLite, memory) has no `load`: the use case then reads and
 * commits in one synchronous stretch, so the store may hold a transaction open from the first read
 * to the commit without another caller's work interleaving. A store that must fetch state first
 * (Redis) has `load`; its view records what was asked and not loaded in `misses`, and the use case
 * loads those and runs the batch again until a run misses nothing. Only such a run is committed.
 */
export interface ReadSession {
  /** The state as this attempt reads it. Reads of state not loaded are added to `misses`. */
  view(misses: StateKeys): StateView;
  /** The file an interchange (same sender, control number and fingerprint) was first applied from. */
  appliedFile(ic: InterchangeEvents): string | undefined;
  /** Fetches `need` and the interchange records of `interchanges` (stores that read ahead only). */
  load?(need: StateKeys, interchanges: readonly InterchangeEvents[]): Promise<void>;
  /** Load-and-rerun rounds before giving up (stores with `load`; default 64). */
  readonly maxLoadRounds?: number;
  /**
   * What the store pruned (docs/retention.md): its watermark and whether a bill was pruned. Read
   * after the first `load` (a store with `load` reads it in that snapshot); absent: nothing pruned.
   */
  retention?(): RetentionView;
  /** Ends the read (a transaction the session opened is rolled back). */
  close(): void;
}

/**
 * One attempt at applying a batch: a ReadSession that can commit once. `close` ends the attempt
 * (rolling back whatever `commit` did not commit).
 */
export interface BatchSession extends ReadSession {
  /**
   * Commits the batch atomically: the ChangeSet, the fresh interchanges' records and (Redis queue
   * mode) the part's outcome. false: the state changed since it was read (another writer got in);
   * nothing was written and the batch must be computed again from a new session.
   */
  commit(batch: BatchCommit): Promise<boolean>;
}

export interface BatchCommit {
  changes: ChangeSet;
  /** The interchanges applied (not duplicates), to record for de-duplication. */
  fresh: readonly InterchangeEvents[];
  outcome: BatchOutcome;
  /** Runs of the core this batch took (1 when everything it read was loaded up front). */
  rounds: number;
  computeMs: number;
}

/** The state a session read changed before its commit: compute the batch again. */
export class StaleStateError extends Error {
  constructor() {
    super('the store changed while a batch was being read');
    this.name = 'StaleStateError';
  }
}

/**
 * An outbound file could not be recorded, and nothing of its call was: its name is taken (also by
 * another file of the same call) or one of its decisions is already in a file (two emitters raced).
 */
export class OutboundConflictError extends Error {
  constructor(
    readonly code: 'PIPELINE_OUTBOUND_NAME_TAKEN' | 'PIPELINE_DECISION_ALREADY_EMITTED',
    /** The file name or decision id concerned. */
    readonly subject: string,
  ) {
    super(
      code === 'PIPELINE_OUTBOUND_NAME_TAKEN'
        ? `outbound not recorded: a file named ${subject} is already recorded`
        : `outbound not recorded: decision ${subject} is already in an outbound file`,
    );
    this.name = 'OutboundConflictError';
  }
}

/** A control-number reservation the envelope field cannot hold (none, or more than `max`). */
export class ControlRangeError extends Error {
  readonly code = 'PIPELINE_CONTROL_NUMBER_RANGE';
  constructor(count: number, max: number) {
    super(`cannot reserve ${count} control numbers in 1..${max}`);
    this.name = 'ControlRangeError';
  }
}

/** Refuses a reservation no wrap can satisfy (the stores wrap to 1 past `max`). */
export function checkControlRange(count: number, max: number): void {
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(max) || count < 1 || count > max)
    throw new ControlRangeError(count, max);
}

export interface DecisionStore {
  /** Starts one attempt at applying a batch (see app/apply-batch.ts, the only caller). */
  openBatch(): BatchSession;
  /**
   * Starts a read of the current state that is never committed (app/apply-batch.ts `computeDiscarded`,
   * the pre-check): a consistent snapshot for as long as it is open, holding no write lock.
   */
  openSnapshot(): ReadSession;
  /**
   * Decisions not yet put into an outbound file, in seq order: from `fromSeq` on (default all), at
   * most `limit` (default no limit).
   */
  pendingDecisions(fromSeq?: number, limit?: number): Promise<Decision[]>;
  /**
   * Reserves `count` consecutive control numbers for a partner and kind (interchange/group/message),
   * wrapping to 1 when they would pass `max`; ControlRangeError when count is not in 1..max.
   */
  reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number>;
  /**
   * The number `reserveControlNumbers` with the same arguments would return now, reserving nothing
   * (same wrap, same ControlRangeError). The emitter generates a file once with these numbers and
   * reserves them only when the file could be generated; another reservation in between (a second
   * emitter of the same partner) shows as a different reserved number, and the file is generated again.
   */
  peekControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number>;
  /**
   * Records generated outbound files and marks their decisions emitted, atomically. Files are written
   * to disk after this commits (`markWritten`); `unwrittenOutbound` lists what a crash left unwritten,
   * by name. OutboundConflictError, recording nothing, when a name is taken or a decision is not
   * pending.
   */
  recordOutbound(files: OutboundRecord[]): Promise<void>;
  unwrittenOutbound(): Promise<OutboundRecord[]>;
  markWritten(names: string[]): Promise<void>;
  /** Person-day totals for reports (all days, or one), by day then consignee key (code-unit order). */
  personDays(day?: string): Promise<PersonDayReport[]>;
  close(): Promise<void>;
}

export interface OutboundRecord {
  /** The file's name (one path component); unique in the store. */
  name: string;
  recipient: string;
  /** A decision channel, or 'ack' for an acknowledgment (written to the acknowledgment folder). */
  channel: string;
  content: string;
  /** The JSON twin written beside the file as `<name>.json`; '' for none (acknowledgments). */
  twin: string;
  /** The decisions the file sends (none for an acknowledgment). */
  decisionIds: string[];
  /** How the content is written: 'utf8' (default) or 'latin1' (EDIFACT UNOC acknowledgments). */
  charset?: 'utf8' | 'latin1';
}
