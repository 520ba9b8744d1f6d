/**
 * Retention in the SQLite store (issue #15, docs/retention.md): prunes what lies before the
 * watermark — person-days and their consignee rows, bills, emitted decisions, written outbound
 * files whose decisions are all gone, acknowledgment files and acknowledged-interchange keys — in
 * one transaction, counting each, and keeps the watermark and the 52-bit hashes of the pruned
 * bills, which answer the core's "was this bill pruned?" (core/aggregate/retention.ts).
 *
 * Runs when the store opens for writing, before the append layout builds its hot state (the scan
 * then never loads a pruned row), and by `s321 prune`. It works beside the append layout, not in
 * it: rows are deleted by rowid and the rebuild on open tolerates the gaps.
 *
 * Kept: pending (not emitted) decisions, whatever their day (a notification is never dropped
 * unsent); the interchange de-dup rows (a re-sent old interchange stays a duplicate); the audit and
 * the ledger (history, as their journals are).
 */
import type Database from 'better-sqlite3';
import {
  nextWatermark,
  type RetentionPolicy,
  type RetentionView,
} from '../../../core/aggregate/retention.js';
import { keyHash52 } from './key-hash.js';

/** What one prune removed. */
export interface PruneCounts {
  /** The watermark after the prune: the earliest day held. */
  watermark: string;
  /** The watermark before it (undefined: the first prune). */
  previous: string | undefined;
  personDays: number;
  parties: number;
  bills: number;
  decisions: number;
  outboundFiles: number;
  ackFiles: number;
  acknowledged: number;
}

/** The pruned counts since the store was created (sum over retention_log) and the watermark. */
export interface RetentionTotals {
  watermark: string | undefined;
  prunes: number;
  personDays: number;
  bills: number;
  decisions: number;
  outboundFiles: number;
  ackFiles: number;
  acknowledged: number;
}

const WATERMARK = 'retention_watermark';

/** Tables and columns retention adds; additive (an older s321 ignores them). */
export function ensureRetentionSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS pruned_bills (h INTEGER PRIMARY KEY);
    CREATE TABLE IF NOT EXISTS retention_log (
      id INTEGER PRIMARY KEY,
      watermark TEXT NOT NULL,
      person_days INTEGER NOT NULL,
      parties INTEGER NOT NULL,
      bills INTEGER NOT NULL,
      decisions INTEGER NOT NULL,
      outbound_files INTEGER NOT NULL,
      ack_files INTEGER NOT NULL,
      acknowledged INTEGER NOT NULL
    );
  `);
  // Acknowledgments carry no day of their own: they are stamped with the latest day the store held
  // when they were recorded, and age out with it.
  for (const table of ['outbound_files', 'acknowledged']) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'day')) db.exec(`ALTER TABLE ${table} ADD COLUMN day TEXT`);
  }
}

/** The store's watermark (YYYY-MM-DD), kept in `meta` as the integer YYYYMMDD. */
export function readWatermark(db: Database.Database): string | undefined {
  const v = db.prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?').get(WATERMARK)?.v;
  if (v === undefined) return undefined;
  const s = String(v);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** The latest person-day day held (one scan of person_days: they have no index on day). */
export function latestDay(db: Database.Database): string | undefined {
  return db.prepare<[], { d: string | null }>('SELECT max(day) AS d FROM person_days').get()?.d ?? undefined;
}

/**
 * Moves the watermark by the policy and deletes what lies before it, in one IMMEDIATE transaction.
 * undefined when the watermark does not move (window off, empty store, nothing new to prune).
 */
export function pruneSqliteStore(db: Database.Database, policy: RetentionPolicy): PruneCounts | undefined {
  const run = db.transaction((): PruneCounts | undefined => {
    const previous = readWatermark(db);
    const latest = latestDay(db);
    const watermark = nextWatermark(policy, latest, previous);
    if (watermark === undefined || watermark === previous) return undefined;
    // A bill leaves with its day; a status stub (no day yet) with the day its status named.
    db.function('s321_bill_basis', { deterministic: true }, (data) => basisOfStub(String(data)));
    const prunedBill = `(day < @w OR (day IS NULL AND s321_bill_basis(data) < @w))`;
    const w = { w: watermark };
    db.prepare(`INSERT OR IGNORE INTO pruned_bills (h) SELECT h FROM bills WHERE ${prunedBill}`).run(w);
    const bills = db.prepare(`DELETE FROM bills WHERE ${prunedBill}`).run(w).changes;
    const parties = db
      .prepare('DELETE FROM person_day_parties WHERE pd IN (SELECT id FROM person_days WHERE day < @w)')
      .run(w).changes;
    const personDays = db.prepare('DELETE FROM person_days WHERE day < @w').run(w).changes;
    // The cold indexes' entries of pruned rows (readers skip them, but they would stay forever).
    db.exec(`DELETE FROM cold_bills WHERE id NOT IN (SELECT id FROM bills);
      DELETE FROM cold_person_days WHERE id NOT IN (SELECT id FROM person_days);
      DELETE FROM cold_members WHERE pd NOT IN (SELECT id FROM person_days) OR id NOT IN (SELECT id FROM bills);`);
    // Emitted decisions only: a pending one is still to be sent, whatever its day.
    const decisions = db
      .prepare(
        "DELETE FROM decisions WHERE seq NOT IN (SELECT seq FROM decisions_pending) AND json_extract(json, '$.day') < @w",
      )
      .run(w).changes;
    // A written decision file goes once none of its decisions is held any more.
    const outboundFiles = db
      .prepare(
        `DELETE FROM outbound_files WHERE id NOT IN (SELECT id FROM outbound_unwritten) AND channel != 'ack'
           AND NOT EXISTS (SELECT 1 FROM json_each(decision_ids) j JOIN decisions d ON d.id = j.value)`,
      )
      .run().changes;
    // Acknowledgments recorded before retention existed get today's latest day, and age from it.
    db.prepare("UPDATE outbound_files SET day = @l WHERE channel = 'ack' AND day IS NULL").run({ l: latest });
    db.prepare('UPDATE acknowledged SET day = @l WHERE day IS NULL').run({ l: latest });
    const ackFiles = db
      .prepare(
        "DELETE FROM outbound_files WHERE channel = 'ack' AND id NOT IN (SELECT id FROM outbound_unwritten) AND day < @w",
      )
      .run(w).changes;
    const acknowledged = db.prepare('DELETE FROM acknowledged WHERE day < @w').run(w).changes;
    const counts: PruneCounts = {
      watermark,
      previous,
      personDays,
      parties,
      bills,
      decisions,
      outboundFiles,
      ackFiles,
      acknowledged,
    };
    db.prepare(
      `INSERT INTO retention_log (watermark, person_days, parties, bills, decisions, outbound_files, ack_files, acknowledged)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(watermark, personDays, parties, bills, decisions, outboundFiles, ackFiles, acknowledged);
    db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(
      WATERMARK,
      Number(watermark.replaceAll('-', '')),
    );
    return counts;
  });
  return run.immediate();
}

/** Pruned counts over the store's life (readable on a read-only open of a store that has them). */
export function retentionTotals(db: Database.Database): RetentionTotals {
  const hasLog =
    db.prepare("SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = 'retention_log'").get() !==
    undefined;
  const sums = hasLog
    ? (db
        .prepare(
          `SELECT count(*) AS prunes, coalesce(sum(person_days), 0) AS personDays, coalesce(sum(bills), 0) AS bills,
             coalesce(sum(decisions), 0) AS decisions, coalesce(sum(outbound_files), 0) AS outboundFiles,
             coalesce(sum(ack_files), 0) AS ackFiles, coalesce(sum(acknowledged), 0) AS acknowledged
           FROM retention_log`,
        )
        .get() as Omit<RetentionTotals, 'watermark'>)
    : { prunes: 0, personDays: 0, bills: 0, decisions: 0, outboundFiles: 0, ackFiles: 0, acknowledged: 0 };
  return { watermark: readWatermark(db), ...sums };
}

/**
 * The store's answer to the retention rule: its watermark, and pruned bills by their 52-bit key
 * hash (a lookup on disk, asked only for an amendment, deletion or status whose bill is not on
 * record — a few per batch — so the hashes never take memory).
 */
export class SqliteRetentionView implements RetentionView {
  private readonly find;
  readonly watermark: string | undefined;

  constructor(db: Database.Database) {
    this.watermark = readWatermark(db);
    this.find = db.prepare<[number], { h: number }>('SELECT h FROM pruned_bills WHERE h = ?');
  }

  wasPruned(billKey: string): boolean {
    if (this.watermark === undefined) return false;
    return this.find.get(keyHash52(billKey)) !== undefined;
  }
}

/** The day a status stub's bill would count on (its EDA, else its arrival), from the packed data. */
function basisOfStub(data: string): string | null {
  // Stubs are rare and pruning is not a hot path: match the dates in the packed JSON rather than
  // unpack it (packed-bill.ts keeps dates as plain YYYY-MM-DD strings).
  const dates = data.match(/\d{4}-\d{2}-\d{2}/g);
  if (dates === null) return null;
  return dates.reduce((a, b) => (b < a ? b : a));
}
