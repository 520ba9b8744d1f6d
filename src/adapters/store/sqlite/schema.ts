/** SQLite schema of the embedded store. Bump SCHEMA_VERSION with every change; migrations are additive. */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bills (
  key TEXT PRIMARY KEY,
  ck TEXT,
  day TEXT,
  counted INTEGER NOT NULL,
  accepted_seq INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bills_person_day ON bills (ck, day, accepted_seq) WHERE counted = 1;
CREATE TABLE IF NOT EXISTS person_days (
  day TEXT NOT NULL,
  ck TEXT NOT NULL,
  total INTEGER NOT NULL,
  bills INTEGER NOT NULL,
  ever_exceeded INTEGER NOT NULL,
  PRIMARY KEY (day, ck)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS interchanges (
  sender TEXT NOT NULL,
  icn TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  file TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (sender, icn, fingerprint)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS decisions (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  emitted INTEGER NOT NULL DEFAULT 0,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_pending ON decisions (emitted, seq);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS control_numbers (
  partner TEXT NOT NULL,
  kind TEXT NOT NULL,
  next INTEGER NOT NULL,
  PRIMARY KEY (partner, kind)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbound_files (
  name TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  channel TEXT NOT NULL,
  content TEXT NOT NULL,
  twin TEXT NOT NULL,
  decision_ids TEXT NOT NULL,
  written INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`;
