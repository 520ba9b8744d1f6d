/**
 * The append layout of the aggregation state: bills and person-days are rows appended in
 * rowid order with no secondary index, found through the in-memory hash indexes (hot-state.ts),
 * which are rebuilt by one sequential scan when the store opens. Why: schema 2's random-key B-tree
 * inserts (the person-day hash index, the bills' text primary key, the membership index) dirty a
 * random page per row and every COMMIT writes those pages to the WAL; appends dirty only the tail
 * (bench/sqlite-floor.ts measures both). The other tables are schema 2's, unchanged.
 *
 * Columns the rebuild needs are plain integers (`h`, the 52-bit key hash; `pd`; `cents`; `ver`, a
 * 32-bit tag of the version hash), so opening never parses `data` or hashes a key.
 */
import { SCHEMA_VERSION as ROW_SCHEMA_VERSION } from '../schema.js';

/**
 * The append layout (the SQLite store's schema: docs/append-layout.md) comes after the row schema it
 * migrates from, so a row-schema file is never mistaken for an append-layout one. Its first version
 * had no cold indexes; the current one evicts old days' rows from memory and finds them through
 * them (COLD_INDEX_SQL), which an older s321 would not keep up to date, so it must refuse the file.
 * The current one also evicts the oldest rows of held days past the row cap (meta 'cold_pd_below',
 * 'cold_bill_below'): an older s321 would hold those person-days again and leave their new members
 * out of cold_members, where this one looks for them — another reason it must refuse the file. A
 * file of the previous version has no such bounds (nothing was evicted by the cap), so its migration
 * (APPEND_SCHEMA_VERSION_FLAGS_IN_ROWS, below) needs nothing for them.
 */
export const APPEND_SCHEMA_VERSION = ROW_SCHEMA_VERSION + 3;

/** The append layout before the cold indexes (migrated by adding them, empty: nothing is evicted yet). */
export const APPEND_SCHEMA_VERSION_WITHOUT_COLD = ROW_SCHEMA_VERSION + 1;

/**
 * The append layout with the row schema's `decisions` (an `emitted` column in each row) and
 * `outbound_files` (WITHOUT ROWID, the written flag in the content's row): migrated by
 * migrate-decisions-outbound.ts. An older s321 would neither list its decisions as pending nor its
 * files as unwritten in the new tables, so it must refuse the new file (it does: the version is
 * higher than its own).
 */
export const APPEND_SCHEMA_VERSION_FLAGS_IN_ROWS = ROW_SCHEMA_VERSION + 2;

/**
 * Where rows evicted from the hot state (days before meta 'cold_before') are found: person-days and
 * bills by the 32-bit tag of their key hash (a tag match is confirmed by the row's key), and the
 * members of evicted person-days. Written in bulk, sorted, when days are evicted, and by the rare
 * commit that writes a row of an evicted day; the hot path's appends never touch them. An entry can
 * go stale (a bill moved to another person-day or day): readers join the row and check it, so a stale
 * entry is never an answer.
 */
export const COLD_INDEX_SQL = `
CREATE TABLE IF NOT EXISTS cold_person_days (tag INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tag, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cold_bills (tag INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tag, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cold_members (pd INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (pd, id)) WITHOUT ROWID;
`;

export const APPEND_STATE_SQL = `
CREATE TABLE IF NOT EXISTS person_days (
  id INTEGER PRIMARY KEY,
  h INTEGER NOT NULL,
  day TEXT NOT NULL,
  ck TEXT NOT NULL,
  total INTEGER NOT NULL,
  bills INTEGER NOT NULL,
  ever_exceeded INTEGER NOT NULL,
  unnotified_from INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS bills (
  id INTEGER PRIMARY KEY,
  h INTEGER NOT NULL,
  key TEXT NOT NULL,
  ck TEXT,
  day TEXT,
  counted INTEGER NOT NULL,
  accepted_seq INTEGER NOT NULL,
  pd INTEGER NOT NULL,
  cents INTEGER NOT NULL,
  ver INTEGER NOT NULL,
  data TEXT NOT NULL
);
${COLD_INDEX_SQL}`;
