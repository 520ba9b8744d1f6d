/**
 * Embedded DecisionStore on SQLite (better-sqlite3), its aggregation state in the append layout
 * (append-layout/, docs/append-layout.md): bills and person-days are rows appended in rowid order,
 * found through typed-array hash indexes rebuilt on open. One write transaction per batch
 * (openBatch): the batch use case (app/apply-batch.ts) reads through the layout's StateView
 * (better-sqlite3 is synchronous, so it needs no preloading) and the ChangeSet is written before
 * COMMIT, with the interchange de-dup rows. WAL mode, explicit transactions only (dependencies.md:
 * RETURNING in autocommit kept the WAL from checkpointing).
 */
import type Database from 'better-sqlite3';
import { StateKeys } from '../../../core/aggregate/engine.js';
import type { RetentionPolicy } from '../../../core/aggregate/retention.js';
import type {
  AuditRecord,
  ChangeSet,
  PersonDayOpener,
  PersonDayRecord,
} from '../../../core/aggregate/state.js';
import {
  type PartyDay,
  type SplitSuspectGroup,
  suspectAuditRecord,
} from '../../../core/consignee/split-suspects.js';
import type { Decision } from '../../../core/model/decision.js';
import type { Party, ShipmentEvent } from '../../../core/model/shipment-event.js';
import type { ApiReads, ListedPersonDay, PersonDayScan } from '../../../ports/api.js';
import {
  type BatchCommit,
  type BatchSession,
  checkControlRange,
  type DecisionStore,
  OutboundConflictError,
  type OutboundRecord,
  type PersonDayReport,
  type ReadSession,
} from '../../../ports/decision-store.js';
import { SqliteApiReads } from './api-reads.js';
import { AppendLayoutState, type AppendStateOptions } from './append-layout/append-state.js';
import { openAppendSchema } from './append-layout/migrate.js';
import { openDatabaseForWriting, openDatabaseReadOnly } from './open-database.js';
import { partyRowValues } from './party-row.js';
import { SqliteReportQueries } from './report-queries.js';
import {
  ensureRetentionSchema,
  latestDay,
  type PruneCounts,
  pruneSqliteStore,
  type RetentionTotals,
  retentionTotals,
  SqliteRetentionView,
} from './retention.js';

const PERSON_DAY_COLUMNS = 'id, day, ck, total, bills, ever_exceeded, unnotified_from';

/** The tables a run's JSON-lines files are derived from. */
export type Journal = 'decisions' | 'audit' | 'ledger';

export interface LedgerRow {
  name: string;
  sha256: string | null;
  outcome: string;
  /** The ledger.jsonl line, without its newline. */
  json: string;
}

interface PersonDayRow {
  id: number;
  day: string;
  ck: string;
  total: number;
  bills: number;
  ever_exceeded: number;
  unnotified_from: number;
}

export class SqliteDecisionStore implements DecisionStore, ApiReads {
  private readonly db: Database.Database;
  private readonly stmt;
  /** The aggregation state (hot state in typed arrays); absent when opened read-only (reports need none). */
  private readonly appendState: AppendLayoutState | undefined;
  /** A read-only open's hot state for snapshots (openSnapshot) and the data_version it was built at. */
  private readState: AppendLayoutState | undefined;
  private readStateVersion = -1;
  private apiReadsOnce: SqliteApiReads | undefined;
  /** What this open pruned (docs/retention.md); undefined when nothing was. */
  readonly pruned: PruneCounts | undefined;
  private retentionView: SqliteRetentionView | undefined;
  /** The latest person-day day held, for stamping acknowledgments (retention ages them by it). */
  private latest: string | undefined;
  /** The decisions and audit records of the last commit and the JSON text each row holds. */
  private lastCommitted: {
    decisions: readonly Decision[];
    decisionJson: string[];
    audit: readonly AuditRecord[];
    auditJson: string[];
  } = { decisions: [], decisionJson: [], audit: [], auditJson: [] };

  /**
   * `readOnly`: an existing file of this schema, opened read-only (reports): a missing file is an
   * error instead of a new empty database, and nothing is migrated or written.
   */
  constructor(
    path: string,
    options: { readOnly?: boolean; retention?: RetentionPolicy } & AppendStateOptions = {},
  ) {
    if (options.readOnly === true) {
      this.db = openDatabaseReadOnly(path);
      this.stmt = this.prepare(this.db);
      this.appendState = undefined;
      this.pruned = undefined;
      return;
    }
    this.db = openDatabaseForWriting(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -16384'); // 16 MiB page cache: part of the 300 MB RSS budget
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('temp_store = MEMORY');
    // Fewer, larger checkpoints: batches are 10k events, the default 1000-page autocheckpoint ran
    // several times per batch.
    this.db.pragma('wal_autocheckpoint = 16384');
    // A row-schema file (SCHEMA_VERSION and older) is migrated in place on first open.
    openAppendSchema(this.db, path);
    ensureRetentionSchema(this.db);
    // Pruning runs before the hot state is built, so the scan never loads a pruned row.
    this.pruned = options.retention !== undefined ? pruneSqliteStore(this.db, options.retention) : undefined;
    this.latest = latestDay(this.db);
    this.stmt = this.prepare(this.db);
    this.appendState = new AppendLayoutState(this.db, options);
  }

  private prepare(db: Database.Database) {
    return {
      putParty: db.prepare(
        `INSERT OR IGNORE INTO person_day_parties
           (pd, name, street, city, state, postal, country, id_qualifier, id, name_key, address_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      copyParty: db.prepare(
        `INSERT OR IGNORE INTO person_day_parties
           (pd, name, street, city, state, postal, country, id_qualifier, id, name_key, address_key)
         SELECT ?, name, street, city, state, postal, country, id_qualifier, id, name_key, address_key
           FROM person_day_parties WHERE pd = ?`,
      ),
      findInterchange: db.prepare<[string, string, string], { file: string }>(
        'SELECT file FROM interchanges WHERE sender = ? AND icn = ? AND fingerprint = ?',
      ),
      putInterchange: db.prepare(
        'INSERT INTO interchanges (sender, icn, fingerprint, file, events) VALUES (?, ?, ?, ?, ?)',
      ),
      putDecision: db.prepare('INSERT INTO decisions (seq, id, json) VALUES (?, ?, ?)'),
      // A decision is pending while its seq is listed (schema 7: the flag lives apart from the row).
      putPending: db.prepare('INSERT INTO decisions_pending (seq) VALUES (?)'),
      pendingDecisions: db.prepare<[number, number], { json: string }>(
        `SELECT d.json FROM decisions_pending p JOIN decisions d ON d.seq = p.seq
         WHERE p.seq >= ? ORDER BY p.seq LIMIT ?`,
      ),
      // Claims a decision: only a pending one. With one owner per store (store-lock.ts) it always
      // succeeds; the check makes a second emitter's file fail instead of sending a decision twice.
      markEmitted: db.prepare(
        'DELETE FROM decisions_pending WHERE seq = (SELECT seq FROM decisions WHERE id = ?)',
      ),
      putAudit: db.prepare('INSERT INTO audit (json) VALUES (?)'),
      getControl: db.prepare<[string, string], { next: number }>(
        'SELECT next FROM control_numbers WHERE partner = ? AND kind = ?',
      ),
      putControl: db.prepare(
        `INSERT INTO control_numbers (partner, kind, next) VALUES (?, ?, ?)
         ON CONFLICT (partner, kind) DO UPDATE SET next = excluded.next`,
      ),
      // Decision files have no day (retention keeps them while a decision they hold is kept); an
      // acknowledgment has the latest day held when it was made.
      putFile: db.prepare(
        'INSERT INTO outbound_files (name, recipient, channel, content, twin, decision_ids, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      putUnwritten: db.prepare('INSERT INTO outbound_unwritten (id) VALUES (?)'),
      unwritten: db.prepare<
        [],
        {
          name: string;
          recipient: string;
          channel: string;
          content: string;
          twin: string;
          decision_ids: string;
        }
      >(
        `SELECT f.name, f.recipient, f.channel, f.content, f.twin, f.decision_ids
           FROM outbound_unwritten u JOIN outbound_files f ON f.id = u.id ORDER BY f.name`,
      ),
      // The name's own index finds the rowid; the file's row (content, overflow pages) is not read.
      markWritten: db.prepare(
        'DELETE FROM outbound_unwritten WHERE id = (SELECT id FROM outbound_files WHERE name = ?)',
      ),
      putAcknowledged: db.prepare('INSERT OR IGNORE INTO acknowledged (key, day) VALUES (?, ?)'),
      getAcknowledged: db.prepare<[string], { key: string }>('SELECT key FROM acknowledged WHERE key = ?'),
      putLedger: db.prepare('INSERT INTO ledger (name, sha256, outcome, json) VALUES (?, ?, ?, ?)'),
      findLedger: db.prepare<[string, string | null, string], { id: number }>(
        'SELECT id FROM ledger WHERE name = ? AND sha256 IS ? AND outcome != ? LIMIT 1',
      ),
      personDaysAll: db.prepare<[], PersonDayRow>(
        `SELECT ${PERSON_DAY_COLUMNS} FROM person_days ORDER BY day, ck`,
      ),
      personDaysOf: db.prepare<[string], PersonDayRow>(
        `SELECT ${PERSON_DAY_COLUMNS} FROM person_days WHERE day = ? ORDER BY ck`,
      ),
      // Members of every person-day (or of one day's) in one scan: bills have no index on pd.
      membersAll: db.prepare<[], { pd: number; key: string }>(
        'SELECT pd, key FROM bills WHERE counted = 1 ORDER BY pd, accepted_seq',
      ),
      membersOf: db.prepare<[string], { pd: number; key: string }>(
        `SELECT pd, key FROM bills WHERE counted = 1 AND pd IN (SELECT id FROM person_days WHERE day = ?)
         ORDER BY pd, accepted_seq`,
      ),
    };
  }

  private get state(): AppendLayoutState {
    if (this.appendState === undefined) throw new Error('the store was opened read-only');
    return this.appendState;
  }

  /**
   * One IMMEDIATE write transaction per batch, begun at the batch's first read: the view is the
   * append layout's (hot state, rows read by rowid; better-sqlite3 is synchronous, so there is no
   * load step and the use case reads and commits in one synchronous stretch) and the commit writes
   * the ChangeSet and the interchange rows before COMMIT. The hot state changes as rows are written,
   * so a rolled-back commit rebuilds it from the committed rows.
   */
  openBatch(): BatchSession {
    const state = this.state;
    let open = false;
    const begin = (): void => {
      if (open) return;
      this.db.exec('BEGIN IMMEDIATE');
      open = true;
      state.beginBatch();
    };
    const end = (sql: 'COMMIT' | 'ROLLBACK'): void => {
      if (!open) return;
      open = false;
      this.db.exec(sql);
    };
    return {
      view: () => {
        begin();
        return state;
      },
      appliedFile: (ic) => {
        begin();
        return this.stmt.findInterchange.get(ic.sender, ic.controlNumber, ic.fingerprint)?.file;
      },
      retention: () => {
        this.retentionView ??= new SqliteRetentionView(this.db);
        return this.retentionView;
      },
      commit: async (batch: BatchCommit) => {
        begin();
        try {
          for (const ic of batch.fresh)
            this.stmt.putInterchange.run(
              ic.sender,
              ic.controlNumber,
              ic.fingerprint,
              ic.file,
              ic.events.length,
            );
          this.commit(state, batch.changes, batch.fresh);
          end('COMMIT');
          for (const pd of batch.changes.personDays.values())
            if (this.latest === undefined || pd.day > this.latest) this.latest = pd.day;
        } catch (err) {
          if (this.db.inTransaction) end('ROLLBACK');
          open = false;
          state.reload();
          throw err;
        }
        return true;
      },
      close: () => {
        if (open && this.db.inTransaction) end('ROLLBACK');
        open = false;
      },
    };
  }

  /**
   * A read that is never committed (the pre-check): a deferred transaction, so it takes no write
   * lock and reads one snapshot (WAL) until `close` rolls it back. A writing open reads its own hot
   * state (this process is the only writer). A read-only open (`s321 api` beside a replay) builds a
   * hot state of its own at the first snapshot and rebuilds it when another connection has committed
   * since (PRAGMA data_version, checked inside the snapshot's transaction, so the hot state is the
   * snapshot's).
   */
  openSnapshot(): ReadSession {
    let open = false;
    let state: AppendLayoutState | undefined;
    const begin = (): AppendLayoutState => {
      if (state !== undefined) return state;
      this.db.exec('BEGIN');
      open = true;
      // The WAL snapshot starts at the first read, not at BEGIN.
      this.stmt.findInterchange.get('', '', '');
      state = this.snapshotState();
      state.beginBatch();
      return state;
    };
    return {
      view: () => begin(),
      appliedFile: (ic) => {
        begin();
        return this.stmt.findInterchange.get(ic.sender, ic.controlNumber, ic.fingerprint)?.file;
      },
      // Read in the snapshot, not cached: a writer beside a read-only open may prune at its open.
      retention: () => {
        begin();
        return new SqliteRetentionView(this.db);
      },
      close: () => {
        if (open && this.db.inTransaction) this.db.exec('ROLLBACK');
        open = false;
      },
    };
  }

  /** Runs `read` in one read transaction over the snapshot's hot state (the API's reads). */
  private inSnapshot<T>(read: (state: AppendLayoutState) => T): T {
    const session = this.openSnapshot();
    try {
      return read(session.view(new StateKeys()) as AppendLayoutState);
    } finally {
      session.close();
    }
  }

  private get apiReads(): SqliteApiReads {
    this.apiReadsOnce ??= new SqliteApiReads(this.db, (read) => this.inSnapshot(read));
    return this.apiReadsOnce;
  }

  scanPersonDays(scan: PersonDayScan): Promise<ListedPersonDay[]> {
    return this.apiReads.scanPersonDays(scan);
  }

  billOnRecord(key: string): ReturnType<ApiReads['billOnRecord']> {
    return this.apiReads.billOnRecord(key);
  }

  decisionsWithStatus(ids: readonly string[]): ReturnType<ApiReads['decisionsWithStatus']> {
    return this.apiReads.decisionsWithStatus(ids);
  }

  /**
   * Frees the writer's hot state until its next use (AppendLayoutState.releaseHotState): a replay's
   * end-of-run passes read SQLite only.
   */
  releaseHotState(): void {
    this.appendState?.releaseHotState();
  }

  /** Outside a snapshot: the candidate query sets temp_store, which a transaction may not change. */
  async splitCandidateBlocks(day: string): Promise<PartyDay[][]> {
    return [...this.reportQueries().splitCandidateBlocks(day)];
  }

  /** The hot state a snapshot reads: the writer's own, or a read-only open's, rebuilt when stale. */
  private snapshotState(): AppendLayoutState {
    if (this.appendState !== undefined) return this.appendState;
    const version = Number(this.db.pragma('data_version', { simple: true }));
    if (this.readState === undefined || this.readStateVersion !== version) {
      this.readState = new AppendLayoutState(this.db);
      this.readStateVersion = version;
    }
    return this.readState;
  }

  private commit(state: AppendLayoutState, changes: ChangeSet, fresh: BatchCommit['fresh']): void {
    const inserted = state.commit(changes);
    if (inserted.size > 0) {
      // The consignee as sent for a new person-day: its name and address for reports, and the
      // blocking keys of split-shipment detection (schema 4), keyed by the person-day's rowid.
      const { parties, copyFrom } = partiesByPersonDay(changes, fresh, inserted);
      for (const [key, id] of inserted) {
        const pd = changes.personDays.get(key);
        const party = parties.get(key);
        if (pd !== undefined && party !== undefined)
          this.stmt.putParty.run(id, partyRowValues(party, pd.consigneeKey));
      }
      // After the rows above: the person-day a bill left may be one this commit created.
      for (const [key, left] of copyFrom) {
        const from = state.personDayRowId(left.consigneeKey, left.day);
        if (from !== 0) this.stmt.copyParty.run(inserted.get(key), from);
      }
    }
    const decisionJson: string[] = new Array(changes.decisions.length);
    for (let i = 0; i < changes.decisions.length; i++) {
      const d = changes.decisions[i] as Decision;
      const json = JSON.stringify(d);
      decisionJson[i] = json;
      this.stmt.putDecision.run(d.seq, d.decisionId, json);
      this.stmt.putPending.run(d.seq);
    }
    const auditJson = changes.audit.map((a) => JSON.stringify(a));
    for (const json of auditJson) this.stmt.putAudit.run(json);
    this.lastCommitted = { decisions: changes.decisions, decisionJson, audit: changes.audit, auditJson };
  }

  /**
   * The journal lines of committed decisions: the JSON text their rows hold. For the last commit's
   * own list (what the batch use case hands on) the texts the commit wrote, so each decision is
   * serialized once (JSON.stringify of the ~700-character decisions was ~4 µs each, twice);
   * otherwise each one's JSON.stringify, which is the same text.
   */
  decisionLines(decisions: readonly Decision[]): string[] {
    if (decisions === this.lastCommitted.decisions) return this.lastCommitted.decisionJson;
    return decisions.map((d) => JSON.stringify(d));
  }

  /** The journal lines of committed audit records, as decisionLines. */
  auditLines(audit: readonly AuditRecord[]): string[] {
    if (audit === this.lastCommitted.audit) return this.lastCommitted.auditJson;
    return audit.map((a) => JSON.stringify(a));
  }

  async pendingDecisions(fromSeq = 0, limit = -1): Promise<Decision[]> {
    // LIMIT -1: no limit (SQLite)
    return this.stmt.pendingDecisions.all(fromSeq, limit).map((r) => JSON.parse(r.json) as Decision);
  }

  async reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    const reserve = this.db.transaction((): number => {
      const first = this.nextControlNumber(partner, kind, count, max);
      this.stmt.putControl.run(partner, kind, first + count);
      return first;
    });
    return reserve.immediate();
  }

  async peekControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    return this.nextControlNumber(partner, kind, count, max);
  }

  private nextControlNumber(partner: string, kind: string, count: number, max: number): number {
    const first = this.stmt.getControl.get(partner, kind)?.next ?? 1;
    // Control numbers wrap to 1 after the largest the envelope field can hold.
    return first + count - 1 > max ? 1 : first;
  }

  async recordOutbound(files: OutboundRecord[]): Promise<void> {
    const record = this.db.transaction(() => {
      for (const f of files) {
        this.putUnwrittenFile(f, JSON.stringify(f.decisionIds), null);
        for (const id of f.decisionIds) {
          if (this.stmt.markEmitted.run(id).changes !== 1)
            throw new OutboundConflictError('PIPELINE_DECISION_ALREADY_EMITTED', id);
        }
      }
    });
    record.immediate();
  }

  /** Records one input's ledger line (after the batch holding its interchanges committed). */
  recordInput(ledger: LedgerRow): void {
    this.stmt.putLedger.run(ledger.name, ledger.sha256, ledger.outcome, ledger.json);
  }

  /**
   * Records acknowledgments (outbound files of channel 'ack', written afterwards like any recorded
   * file) and the keys of the interchanges they acknowledge (also those that needed none), in one
   * transaction.
   */
  recordAcknowledgments(acks: OutboundRecord[], keys: string[]): void {
    this.db
      .transaction(() => {
        for (const f of acks) {
          this.putUnwrittenFile(f, '[]', this.latest ?? null);
        }
        for (const k of keys) this.stmt.putAcknowledged.run(k, this.latest ?? null);
      })
      .immediate();
  }

  /**
   * Inserts an outbound file's row, listed as not yet written, inside the caller's transaction. A
   * taken name (the name's UNIQUE index) is the port's typed error. Left to the index rather than
   * looked up first: one probe instead of two (schema 6 kept files WITHOUT ROWID, where each
   * comparison on the way to a name read the compared row whole, overflow pages included: 0.16 ms
   * per lookup at 200k).
   */
  private putUnwrittenFile(f: OutboundRecord, decisionIds: string, day: string | null): void {
    let row: number;
    try {
      row = Number(
        this.stmt.putFile.run(f.name, f.recipient, f.channel, f.content, f.twin, decisionIds, day)
          .lastInsertRowid,
      );
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new OutboundConflictError('PIPELINE_OUTBOUND_NAME_TAKEN', f.name);
      throw err;
    }
    this.stmt.putUnwritten.run(row);
  }

  /** Whether the interchange with this key (see recordAcknowledgments) was acknowledged before. */
  acknowledged(key: string): boolean {
    return this.stmt.getAcknowledged.get(key) !== undefined;
  }

  /** Whether this input (same name, same content) was accounted by an earlier run. */
  inputAccounted(name: string, sha256: string | null): boolean {
    return this.stmt.findLedger.get(name, sha256, 'skipped') !== undefined;
  }

  /** Rows of a derived journal (decisions.jsonl, audit.jsonl, ledger.jsonl), in order. */
  journalCount(journal: Journal): number {
    return this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${journal}`).get()?.n ?? 0;
  }

  /** `limit` journal lines from row `offset` (0-based) on, as their JSON text. */
  journalPage(journal: Journal, offset: number, limit: number): string[] {
    const order = journal === 'decisions' ? 'seq' : 'id';
    return this.db
      .prepare<[number, number], { json: string }>(
        `SELECT json FROM ${journal} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(limit, offset)
      .map((r) => r.json);
  }

  /**
   * The decisions journal by seq rather than by position: retention deletes decisions of pruned
   * days from the table, and decisions.jsonl keeps their lines (docs/retention.md), so line n is no
   * longer row n. The JSON of decisions with seq > `afterSeq`, in seq order, at most `limit`.
   */
  decisionLinesAfter(afterSeq: number, limit: number): Array<{ seq: number; json: string }> {
    return this.db
      .prepare<[number, number], { seq: number; json: string }>(
        'SELECT seq, json FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit);
  }

  /** One decision's JSON by seq (undefined: never written, or pruned). */
  decisionLine(seq: number): string | undefined {
    return this.db.prepare<[number], { json: string }>('SELECT json FROM decisions WHERE seq = ?').get(seq)
      ?.json;
  }

  /** The next decision seq this store will hand out (every seq below it was written once). */
  nextDecisionSeq(): number {
    return (
      this.db.prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?').get('decision_seq')?.v ?? 0
    );
  }

  async unwrittenOutbound(): Promise<OutboundRecord[]> {
    return this.stmt.unwritten.all().map((r) => ({
      name: r.name,
      recipient: r.recipient,
      channel: r.channel,
      content: r.content,
      twin: r.twin,
      decisionIds: JSON.parse(r.decision_ids) as string[],
    }));
  }

  async markWritten(names: string[]): Promise<void> {
    const mark = this.db.transaction(() => {
      for (const name of names) this.stmt.markWritten.run(name);
    });
    mark.immediate();
  }

  async personDays(day?: string): Promise<PersonDayReport[]> {
    const rows = day === undefined ? this.stmt.personDaysAll.all() : this.stmt.personDaysOf.all(day);
    const members = new Map<number, string[]>();
    const memberRows = day === undefined ? this.stmt.membersAll.iterate() : this.stmt.membersOf.iterate(day);
    for (const m of memberRows) {
      const keys = members.get(m.pd);
      if (keys === undefined) members.set(m.pd, [m.key]);
      else keys.push(m.key);
    }
    return rows.map((row) => ({ ...toPersonDay(row), billKeys: members.get(row.id) ?? [] }));
  }

  /** A read of the schema: throws when the database can no longer be read (readiness probes). */
  ping(): void {
    this.db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
  }

  /** Read-only queries of `s321 report` (person-days with their consignee, split-shipment candidates). */
  reportQueries(): SqliteReportQueries {
    return new SqliteReportQueries(this.db);
  }

  /**
   * Writes a suspect group to the audit the first time it is found and again when its combined
   * total changed (split_suspects remembers what was recorded). Returns the records written.
   */
  recordSplitSuspects(groups: readonly SplitSuspectGroup[]): AuditRecord[] {
    const seen = this.db.prepare<[string], { combined: number }>(
      'SELECT combined FROM split_suspects WHERE id = ?',
    );
    const mark = this.db.prepare(
      'INSERT INTO split_suspects (id, combined) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET combined = excluded.combined',
    );
    const record = this.db.transaction((): AuditRecord[] => {
      const written: AuditRecord[] = [];
      for (const g of groups) {
        if (seen.get(g.id)?.combined === g.combinedCents) continue;
        const audit = suspectAuditRecord(g);
        this.stmt.putAudit.run(JSON.stringify(audit));
        mark.run(g.id, g.combinedCents);
        written.push(audit);
      }
      return written;
    });
    return record.immediate();
  }

  /** Decisions in seq order (all, including emitted): for reports and tests. */
  allDecisions(): Decision[] {
    return this.db
      .prepare<[], { json: string }>('SELECT json FROM decisions ORDER BY seq')
      .all()
      .map((r) => JSON.parse(r.json) as Decision);
  }

  /** Ineligible-shipment reports (channel 'report') in seq order, of one day or all: for `s321 report`. */
  ineligibleReports(day?: string): Decision[] {
    return this.db
      .prepare<[string | null, string | null], { json: string }>(
        `SELECT json FROM decisions WHERE json_extract(json, '$.channel') = 'report'
           AND (? IS NULL OR json_extract(json, '$.day') = ?) ORDER BY seq`,
      )
      .all(day ?? null, day ?? null)
      .map((r) => JSON.parse(r.json) as Decision);
  }

  /** The watermark and what retention pruned over the store's life (`s321 report`, logs). */
  retentionTotals(): RetentionTotals {
    return retentionTotals(this.db);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * The consignee of each inserted person-day, as sent on the event that first counted a bill in it
 * (the core's openers). A status line that moved a bill to its arrival day sends none: the
 * person-day the bill left has the same consignee (`copyFrom`, resolved by the caller), and failing
 * that the bill's last event in the batch that sent one. A received event parses its consignee from
 * the transferred bytes when read (app/event-transfer.ts): only openers' events are asked.
 */
function partiesByPersonDay(
  changes: ChangeSet,
  fresh: BatchCommit['fresh'],
  inserted: ReadonlyMap<string, number>,
): { parties: Map<string, Party>; copyFrom: Map<string, NonNullable<PersonDayOpener['left']>> } {
  const parties = new Map<string, Party>();
  const copyFrom = new Map<string, NonNullable<PersonDayOpener['left']>>();
  const byBill = new Map<string, string>(); // bill key -> person-day key still wanting a party
  for (const key of inserted.keys()) {
    const pd = changes.personDays.get(key);
    const opener = pd === undefined ? undefined : changes.openers.get(pd);
    if (opener === undefined) continue; // a person-day no bill joined (none is created that way)
    const party = opener.event.consignee;
    if (party !== undefined) parties.set(key, party);
    else if (opener.left !== undefined) copyFrom.set(key, opener.left);
    else byBill.set(opener.event.bill.key, key);
  }
  for (let i = fresh.length - 1; i >= 0 && byBill.size > 0; i--) {
    const events = (fresh[i] as BatchCommit['fresh'][number]).events as readonly ShipmentEvent[];
    for (let j = events.length - 1; j >= 0 && byBill.size > 0; j--) {
      const ev = events[j] as ShipmentEvent;
      const key = byBill.get(ev.bill.key);
      if (key === undefined || ev.consignee === undefined) continue;
      parties.set(key, ev.consignee);
      byBill.delete(ev.bill.key);
    }
  }
  return { parties, copyFrom };
}

function toPersonDay(row: PersonDayRow): PersonDayRecord {
  return {
    consigneeKey: row.ck,
    day: row.day,
    totalCents: row.total,
    bills: row.bills,
    everExceeded: row.ever_exceeded === 1,
    unnotifiedFrom: row.unnotified_from,
  };
}
