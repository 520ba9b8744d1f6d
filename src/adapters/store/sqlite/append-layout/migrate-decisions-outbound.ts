/**
 * Schema 7 (APPEND_SCHEMA_VERSION): `decisions` and `outbound_files` laid out for the replay's
 * write pattern (docs/schema-7.md), and the migration of a schema 5 or 6 file's tables to it.
 *
 * - decisions: the text UNIQUE index on `id` (a random-key B-tree: 11 µs per decision at 200k,
 *   outgrowing the page cache at 4M) becomes `bh`, the 52-bit key hash of the decision's bill, under
 *   a non-unique integer index (decision-id.ts). "An id is recorded once" stays a rule of the file:
 *   a trigger refuses an insert whose id is already held, found through the same index.
 * - outbound_files: a rowid table (was WITHOUT ROWID, keyed by name, rows of ~89 kB on average) with
 *   the name under its own UNIQUE index, so finding a name never reads a row's content; the small
 *   columns first, so reading them never reads the overflow pages. Whether a file is on disk yet
 *   lives in `outbound_unwritten` (the rowids of files not yet written), so marking a file written
 *   deletes one small row instead of rewriting the file's whole row.
 */
import type Database from 'better-sqlite3';
import { keyHash52 } from '../key-hash.js';

const DECISIONS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY,
  bh INTEGER NOT NULL,
  id TEXT NOT NULL,
  emitted INTEGER NOT NULL DEFAULT 0,
  json TEXT NOT NULL
);`;

const DECISIONS_INDEX_SQL = `
CREATE INDEX IF NOT EXISTS decisions_bill ON decisions (bh);
CREATE INDEX IF NOT EXISTS decisions_pending ON decisions (emitted, seq);
CREATE TRIGGER IF NOT EXISTS decisions_id_once BEFORE INSERT ON decisions
  WHEN EXISTS (SELECT 1 FROM decisions WHERE bh = NEW.bh AND id = NEW.id)
  BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: decisions.id'); END;
CREATE TRIGGER IF NOT EXISTS decisions_id_once_updated BEFORE UPDATE OF bh, id ON decisions
  WHEN EXISTS (SELECT 1 FROM decisions WHERE bh = NEW.bh AND id = NEW.id AND seq != NEW.seq)
  BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: decisions.id'); END;`;

const OUTBOUND_SQL = `
CREATE TABLE IF NOT EXISTS outbound_files (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  recipient TEXT NOT NULL,
  channel TEXT NOT NULL,
  day TEXT,
  decision_ids TEXT NOT NULL,
  content TEXT NOT NULL,
  twin TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbound_unwritten (id INTEGER PRIMARY KEY);`;

/** The schema 7 decision and outbound tables (for a file that has none of them yet). */
export const DECISIONS_OUTBOUND_SQL = DECISIONS_TABLE_SQL + DECISIONS_INDEX_SQL + OUTBOUND_SQL;

/**
 * Brings `decisions` and `outbound_files` of the caller's open transaction to schema 7: rows are
 * copied in seq (decisions) and name (files) order, each decision's `bh` from its JSON's bill, each
 * file not yet written listed in outbound_unwritten. A table already in the schema 7 form is left
 * as it is, so the step is safe on any file that has the tables in either form.
 */
export function migrateDecisionsOutbound(db: Database.Database): void {
  const columns = (table: string): Set<string> =>
    new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
  db.function('s321_key_hash', { deterministic: true }, (key) => keyHash52(String(key)));
  if (!columns('decisions').has('bh')) {
    // The old table's index names would stay taken by the renamed table: dropped first.
    db.exec(`
      DROP INDEX IF EXISTS decisions_pending;
      ALTER TABLE decisions RENAME TO decisions_v6;
      ${DECISIONS_TABLE_SQL}
      INSERT INTO decisions (seq, bh, id, emitted, json)
        SELECT seq, s321_key_hash(coalesce(json_extract(json, '$.bill'), substr(id, 1, instr(id, '|') - 1))),
               id, emitted, json
        FROM decisions_v6 ORDER BY seq;
      DROP TABLE decisions_v6;
    `);
  }
  // Indexes after the copy (built by one sort); the trigger after it too (the old UNIQUE index held).
  db.exec(DECISIONS_INDEX_SQL);
  const outbound = columns('outbound_files');
  if (outbound.has('written')) {
    // A file whose store never ran retention's schema step has no `day` (ensureRetentionSchema).
    const day = outbound.has('day') ? 'day' : 'NULL';
    db.exec(`
      ALTER TABLE outbound_files RENAME TO outbound_files_v6;
      ${OUTBOUND_SQL}
      INSERT INTO outbound_files (name, recipient, channel, day, decision_ids, content, twin)
        SELECT name, recipient, channel, ${day}, decision_ids, content, twin FROM outbound_files_v6 ORDER BY name;
      INSERT INTO outbound_unwritten (id)
        SELECT f.id FROM outbound_files_v6 o JOIN outbound_files f ON f.name = o.name WHERE o.written = 0
        ORDER BY f.id;
      DROP TABLE outbound_files_v6;
    `);
  } else db.exec(OUTBOUND_SQL);
}
