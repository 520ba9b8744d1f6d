/**
 * Embedded DecisionStore on SQLite (better-sqlite3). One write transaction per batch (openBatch): the
 * batch use case (app/apply-batch.ts) reads through prepared statements (better-sqlite3 is
 * synchronous, so the StateView needs no preloading) and the ChangeSet is written before COMMIT,
 * with the interchange de-dup rows. WAL mode,
 * explicit transactions only (dependencies.md: RETURNING in autocommit kept the WAL from checkpointing).
 */
import type Database from 'better-sqlite3';
import {
  type AuditRecord,
  type ChangeSet,
  type PersonDayRecord,
  personDayKey,
  type StateView,
} from '../../../core/aggregate/state.js';
import { type SplitSuspectGroup, suspectAuditRecord } from '../../../core/consignee/split-suspects.js';
import type { Decision } from '../../../core/model/decision.js';
import type { Party, ShipmentEvent } from '../../../core/model/shipment-event.js';
import {
  type BatchCommit,
  type BatchSession,
  checkControlRange,
  type DecisionStore,
  OutboundConflictError,
  type OutboundRecord,
  type PersonDayReport,
} from '../../../ports/decision-store.js';
import { type BillColumns, decodeBillRow, encodeBillData } from './bill-row.js';
import { KeyFilter, keyHash52 } from './key-filter.js';
import { openSchema } from './migrate.js';
import { openDatabaseForWriting, openDatabaseReadOnly } from './open-database.js';
import { partyRowValues } from './party-row.js';
import { SqliteReportQueries } from './report-queries.js';

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

export class SqliteDecisionStore implements DecisionStore {
  private readonly db: Database.Database;
  private readonly stmt;
  /** Keys ever written to bills / person_days: a miss here skips the SELECT (see key-filter.ts). */
  private readonly billKeys = new KeyFilter();
  private readonly personDayKeys = new KeyFilter();

  /**
   * `readOnly`: an existing file of this schema, opened read-only (reports): a missing file is an
   * error instead of a new empty database, and nothing is migrated or written.
   */
  constructor(path: string, options: { readOnly?: boolean } = {}) {
    if (options.readOnly === true) {
      this.db = openDatabaseReadOnly(path);
      this.stmt = this.prepare(this.db);
      this.loadKeyFilters();
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
    openSchema(this.db, path);
    this.stmt = this.prepare(this.db);
    this.loadKeyFilters();
  }

  private prepare(db: Database.Database) {
    return {
      getMeta: db.prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?'),
      putMeta: db.prepare(
        'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
      ),
      getBill: db.prepare<[string], BillColumns & { data: string }>(
        'SELECT key, ck, day, counted, accepted_seq, data FROM bills WHERE key = ?',
      ),
      putBill: db.prepare(
        `INSERT INTO bills (key, ck, day, counted, accepted_seq, data, pd) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET ck = excluded.ck, day = excluded.day, counted = excluded.counted,
           accepted_seq = excluded.accepted_seq, data = excluded.data, pd = excluded.pd`,
      ),
      billsOf: db.prepare<[number], { key: string }>(
        'SELECT key FROM bills WHERE pd = ? AND counted = 1 ORDER BY accepted_seq',
      ),
      billsFrom: db.prepare<[number, number], { key: string }>(
        'SELECT key FROM bills WHERE pd = ? AND counted = 1 AND accepted_seq >= ? ORDER BY accepted_seq',
      ),
      getPersonDay: db.prepare<[number, string, string], PersonDayRow>(
        `SELECT ${PERSON_DAY_COLUMNS} FROM person_days WHERE h = ? AND day = ? AND ck = ?`,
      ),
      insertPersonDay: db.prepare<[number, string, string, number, number, number, number]>(
        'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded, unnotified_from) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updatePersonDay: db.prepare<[number, number, number, number, number]>(
        'UPDATE person_days SET total = ?, bills = ?, ever_exceeded = ?, unnotified_from = ? WHERE id = ?',
      ),
      putParty: db.prepare(
        `INSERT OR IGNORE INTO person_day_parties
           (pd, name, street, city, state, postal, country, id_qualifier, id, name_key, address_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      findInterchange: db.prepare<[string, string, string], { file: string }>(
        'SELECT file FROM interchanges WHERE sender = ? AND icn = ? AND fingerprint = ?',
      ),
      putInterchange: db.prepare(
        'INSERT INTO interchanges (sender, icn, fingerprint, file, events) VALUES (?, ?, ?, ?, ?)',
      ),
      putDecision: db.prepare('INSERT INTO decisions (seq, id, json) VALUES (?, ?, ?)'),
      pendingDecisions: db.prepare<[number, number], { json: string }>(
        'SELECT json FROM decisions WHERE emitted = 0 AND seq >= ? ORDER BY seq LIMIT ?',
      ),
      // Claims a decision: only a pending one. With one owner per store (store-lock.ts) it always
      // succeeds; the check makes a second emitter's file fail instead of sending a decision twice.
      markEmitted: db.prepare('UPDATE decisions SET emitted = 1 WHERE id = ? AND emitted = 0'),
      putAudit: db.prepare('INSERT INTO audit (json) VALUES (?)'),
      getControl: db.prepare<[string, string], { next: number }>(
        'SELECT next FROM control_numbers WHERE partner = ? AND kind = ?',
      ),
      putControl: db.prepare(
        `INSERT INTO control_numbers (partner, kind, next) VALUES (?, ?, ?)
         ON CONFLICT (partner, kind) DO UPDATE SET next = excluded.next`,
      ),
      putOutbound: db.prepare(
        'INSERT INTO outbound_files (name, recipient, channel, content, twin, decision_ids) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      hasOutbound: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM outbound_files WHERE name = ?'),
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
      >('SELECT * FROM outbound_files WHERE written = 0 ORDER BY name'),
      markWritten: db.prepare('UPDATE outbound_files SET written = 1 WHERE name = ?'),
      putAcknowledged: db.prepare('INSERT OR IGNORE INTO acknowledged (key) VALUES (?)'),
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
    };
  }

  /** Fills the key filters from an existing database (one scan at open). */
  private loadKeyFilters(): void {
    for (const row of this.db.prepare<[], { key: string }>('SELECT key FROM bills').iterate())
      this.billKeys.add(row.key);
    for (const row of this.db
      .prepare<[], { day: string; ck: string }>('SELECT day, ck FROM person_days')
      .iterate()) {
      this.personDayKeys.add(personDayKey(row.ck, row.day));
    }
  }

  /** Row ids of the person-days this batch read or wrote (the change set carries no ids). */
  private readonly batchIds = new Map<string, number>();

  private personDayRow(consigneeKey: string, day: string): PersonDayRow | undefined {
    const key = personDayKey(consigneeKey, day);
    if (!this.personDayKeys.mightHave(key)) return undefined;
    // The hash column is keyHash52 of the person-day key (the migration computes it the same way).
    const row = this.stmt.getPersonDay.get(keyHash52(key), day, consigneeKey);
    if (row !== undefined) this.batchIds.set(key, row.id);
    return row;
  }

  private personDayId(consigneeKey: string, day: string): number | undefined {
    return this.batchIds.get(personDayKey(consigneeKey, day)) ?? this.personDayRow(consigneeKey, day)?.id;
  }

  private meta(key: string): number {
    return this.stmt.getMeta.get(key)?.v ?? 0;
  }

  private readonly view: StateView = {
    bill: (key) => {
      if (!this.billKeys.mightHave(key)) return undefined;
      const row = this.stmt.getBill.get(key);
      return row === undefined ? undefined : decodeBillRow(row, row.data);
    },
    personDay: (consigneeKey, day) => {
      const row = this.personDayRow(consigneeKey, day);
      return row === undefined ? undefined : toPersonDay(row);
    },
    billsOf: (consigneeKey, day, fromSeq = 0) => {
      const id = this.personDayId(consigneeKey, day);
      return id === undefined ? [] : this.stmt.billsFrom.all(id, fromSeq).map((r) => r.key);
    },
    nextDecisionSeq: () => this.meta('decision_seq'),
    nextAcceptSeq: () => this.meta('accept_seq'),
  };

  /**
   * One IMMEDIATE write transaction per batch, begun at the batch's first read: the view reads
   * through prepared statements (better-sqlite3 is synchronous, so there is no load step and the
   * use case reads and commits in one synchronous stretch) and the commit writes the ChangeSet and
   * the interchange rows before COMMIT.
   */
  openBatch(): BatchSession {
    let open = false;
    const begin = (): void => {
      if (open) return;
      this.db.exec('BEGIN IMMEDIATE');
      open = true;
      this.batchIds.clear();
    };
    const end = (sql: 'COMMIT' | 'ROLLBACK'): void => {
      if (!open) return;
      open = false;
      this.db.exec(sql);
    };
    return {
      view: () => {
        begin();
        return this.view;
      },
      appliedFile: (ic) => {
        begin();
        return this.stmt.findInterchange.get(ic.sender, ic.controlNumber, ic.fingerprint)?.file;
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
          this.commit(batch.changes, batch.fresh);
          end('COMMIT');
        } catch (err) {
          if (this.db.inTransaction) end('ROLLBACK');
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

  private commit(changes: ChangeSet, fresh: BatchCommit['fresh']): void {
    let parties: Map<string, Party> | undefined;
    // Person-days first: a counted bill's row points at its person-day's row id.
    for (const [key, pd] of changes.personDays) {
      const id = this.batchIds.get(key);
      if (id === undefined) {
        const inserted = this.stmt.insertPersonDay.run(
          keyHash52(key),
          pd.day,
          pd.consigneeKey,
          pd.totalCents,
          pd.bills,
          pd.everExceeded ? 1 : 0,
          pd.unnotifiedFrom ?? 0,
        );
        const id = Number(inserted.lastInsertRowid);
        this.batchIds.set(key, id);
        this.personDayKeys.add(key);
        // The consignee as sent for a new person-day: its name and address for reports, and the
        // blocking keys of split-shipment detection (schema 4). Built once per batch, on demand.
        parties ??= partiesByPersonDay(changes, fresh);
        const party = parties.get(key);
        if (party !== undefined) this.stmt.putParty.run(id, ...partyRowValues(party, pd.consigneeKey));
      } else {
        this.stmt.updatePersonDay.run(
          pd.totalCents,
          pd.bills,
          pd.everExceeded ? 1 : 0,
          pd.unnotifiedFrom ?? 0,
          id,
        );
      }
    }
    for (const bill of changes.bills.values()) {
      this.billKeys.add(bill.key);
      const counted = bill.counted && bill.consigneeKey !== undefined && bill.day !== undefined;
      const pd = counted ? this.personDayId(bill.consigneeKey as string, bill.day as string) : undefined;
      if (counted && pd === undefined) throw new Error(`counted bill ${bill.key} has no person-day row`);
      this.stmt.putBill.run(
        bill.key,
        bill.consigneeKey ?? null,
        bill.day ?? null,
        bill.counted ? 1 : 0,
        bill.acceptedSeq,
        encodeBillData(bill),
        pd ?? null,
      );
    }
    for (const d of changes.decisions) this.stmt.putDecision.run(d.seq, d.decisionId, JSON.stringify(d));
    for (const a of changes.audit) this.stmt.putAudit.run(JSON.stringify(a));
    this.stmt.putMeta.run('decision_seq', changes.nextDecisionSeq);
    this.stmt.putMeta.run('accept_seq', changes.nextAcceptSeq);
  }

  async pendingDecisions(fromSeq = 0, limit = -1): Promise<Decision[]> {
    // LIMIT -1: no limit (SQLite)
    return this.stmt.pendingDecisions.all(fromSeq, limit).map((r) => JSON.parse(r.json) as Decision);
  }

  async reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    const reserve = this.db.transaction((): number => {
      let first = this.stmt.getControl.get(partner, kind)?.next ?? 1;
      // Control numbers wrap to 1 after the largest the envelope field can hold.
      if (first + count - 1 > max) first = 1;
      this.stmt.putControl.run(partner, kind, first + count);
      return first;
    });
    return reserve.immediate();
  }

  async recordOutbound(files: OutboundRecord[]): Promise<void> {
    const record = this.db.transaction(() => {
      for (const f of files) {
        // Checked, not left to the primary key: the port refuses a taken name with a typed error.
        if (this.stmt.hasOutbound.get(f.name) !== undefined)
          throw new OutboundConflictError('PIPELINE_OUTBOUND_NAME_TAKEN', f.name);
        this.stmt.putOutbound.run(
          f.name,
          f.recipient,
          f.channel,
          f.content,
          f.twin,
          JSON.stringify(f.decisionIds),
        );
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
          if (this.stmt.hasOutbound.get(f.name) !== undefined)
            throw new OutboundConflictError('PIPELINE_OUTBOUND_NAME_TAKEN', f.name);
          this.stmt.putOutbound.run(f.name, f.recipient, f.channel, f.content, f.twin, '[]');
        }
        for (const k of keys) this.stmt.putAcknowledged.run(k);
      })
      .immediate();
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
    return rows.map((row) => ({
      ...toPersonDay(row),
      billKeys: this.stmt.billsOf.all(row.id).map((r) => r.key),
    }));
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

  async close(): Promise<void> {
    this.db.close();
  }
}

/** The consignee of each person-day the batch's counted bills belong to (the last event of the bill). */
function partiesByPersonDay(changes: ChangeSet, fresh: BatchCommit['fresh']): Map<string, Party> {
  const byBill = new Map<string, Party>();
  for (const ic of fresh)
    for (const ev of ic.events as readonly ShipmentEvent[])
      if (ev.consignee !== undefined) byBill.set(ev.bill.key, ev.consignee);
  const out = new Map<string, Party>();
  for (const bill of changes.bills.values()) {
    if (!bill.counted || bill.consigneeKey === undefined || bill.day === undefined) continue;
    const party = byBill.get(bill.key);
    const key = personDayKey(bill.consigneeKey, bill.day);
    if (party !== undefined && !out.has(key)) out.set(key, party);
  }
  return out;
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
