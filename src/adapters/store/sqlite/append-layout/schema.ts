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
 * The append layout (the SQLite store's schema: docs/append-layout.md) is the version after the row
 * schema it migrates from, so a row-schema file is never mistaken for an append-layout one.
 */
export const APPEND_SCHEMA_VERSION = ROW_SCHEMA_VERSION + 1;

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
`;
