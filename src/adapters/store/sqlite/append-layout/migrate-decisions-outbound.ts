/**
 * Schema 7 (APPEND_SCHEMA_VERSION): `decisions` and `outbound_files` laid out for the replay's
 * write pattern (docs/schema-7.md), and the migration of a schema 5 or 6 file's tables to it. In
 * both tables the flag set after the insert moves out of the row, so setting it no longer rewrites
 * the row:
 *
 * - decisions: pending ones are listed in `decisions_pending` (their seqs) instead of an `emitted`
 *   column under an (emitted, seq) index; marking a decision emitted deletes one small row instead of
 *   rewriting its ~730-byte row and moving its index entry (39,841 decisions at 200k: 160 → 40 ms).
 *   The text UNIQUE index on `id` stays: decision ids begin with the bill key, whose SCNs a carrier
 *   numbers in sequence, so its inserts land on a few pages; an integer hash of them lands on a random
 *   page each, and measured slower (docs/schema-7.md, "Decision ids").
 * - outbound_files: a rowid table (was WITHOUT ROWID, keyed by name, rows of ~89 kB on average) with
 *   the name under its own UNIQUE index, so finding a name never reads a row's content; the small
 *   columns first, so reading them never reads the overflow pages. Whether a file is on disk yet
 *   lives in `outbound_unwritten` (the rowids of files not yet written), so marking a file written
 *   deletes one small row instead of rewriting the file's whole row.
 */
import type Database from 'better-sqlite3';

const DECISIONS_PENDING_SQL = 'CREATE TABLE IF NOT EXISTS decisions_pending (seq INTEGER PRIMARY KEY);';

const DECISIONS_SQL = `
CREATE TABLE IF NOT EXISTS decisions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
${DECISIONS_PENDING_SQL}`;

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

/**
 * Decision rows with whether each was emitted (no longer listed as pending), for
 * `SELECT d.json, … ${DECISIONS_WITH_EMITTED} WHERE …` over `decisions d`.
 */
export const DECISIONS_WITH_EMITTED =
  'p.seq IS NULL AS emitted FROM decisions d LEFT JOIN decisions_pending p ON p.seq = d.seq';

/**
 * Brings `decisions` and `outbound_files` of the caller's open transaction to schema 7: the seqs of
 * decisions not yet emitted go to decisions_pending and the `emitted` column goes; files are copied
 * in name order, each one not yet written listed in outbound_unwritten. A table already in the
 * schema 7 form is left as it is, so the step is safe on any file that has the tables in either form.
 */
export function migrateDecisionsOutbound(db: Database.Database): void {
  const columns = (table: string): Set<string> =>
    new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
  if (columns('decisions').has('emitted')) {
    // The old (emitted, seq) index is named decisions_pending: dropped before the table takes the name
    // (and a column under an index cannot be dropped).
    db.exec(`
      DROP INDEX IF EXISTS decisions_pending;
      ${DECISIONS_PENDING_SQL}
      INSERT INTO decisions_pending (seq) SELECT seq FROM decisions WHERE emitted = 0 ORDER BY seq;
      ALTER TABLE decisions DROP COLUMN emitted;
    `);
  } else db.exec(DECISIONS_SQL);
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
