/**
 * SQLite schema of the embedded store. Bump SCHEMA_VERSION with every change and add its migration
 * (migrate.ts), so a database written by an older s321 is upgraded in place when opened.
 *
 * Why person-days have a rowid and a hash (schema 2): keyed by (day, consignee key) — ~60-byte random
 * strings — every new person-day and every counted bill (its membership index) landed on a random
 * B-tree page, and each batch rewrote thousands of pages to the WAL. Measured with better-sqlite3
 * on this machine (one bill row + one person-day row per shipment, 10k per transaction): 18.6k
 * shipments/s at 1M rows with the string keys, 79k/s with person-days appended by rowid and found
 * by a 52-bit hash, and bills' membership indexed by the person-day's rowid (new person-days append
 * at the right edge of both indexes).
 *
 * Schema 3: person_days.unnotified_from (PersonDayRecord.unnotifiedFrom), so a crossing reads only the
 * members accepted since the last one (bills_members serves the range) instead of the whole day.
 *
 * Schema 3 also adds `ledger`, the replay's per-input accounting, committed after the batch holding the
 * input's interchanges (ledger.jsonl is derived from it, so a kill between the two never loses or
 * repeats a line), and `acknowledged`, the interchanges (input name, position, fingerprint) whose
 * acknowledgment is recorded, so a rerun acknowledges none twice. Nothing to migrate: both start
 * empty.
 *
 * Schema 4: person_day_parties, the consignee as first sent for each person-day (keyed by the
 * person-day's rowid, so it appends like person_days), with its folded name and address: the
 * blocking keys split-shipment detection groups by, and the name and address a report shows instead
 * of the key. split_suspects: the suspect groups already written to the audit (by id, with the
 * combined total recorded), so a re-run audits a group again only when its total changed.
 */
export const SCHEMA_VERSION = 4;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bills (
  key TEXT PRIMARY KEY,
  ck TEXT,
  day TEXT,
  counted INTEGER NOT NULL,
  accepted_seq INTEGER NOT NULL,
  data TEXT NOT NULL,
  pd INTEGER
);
CREATE INDEX IF NOT EXISTS bills_members ON bills (pd, accepted_seq) WHERE counted = 1;
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
CREATE INDEX IF NOT EXISTS person_days_hash ON person_days (h);
CREATE TABLE IF NOT EXISTS person_day_parties (
  pd INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  street TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  postal TEXT NOT NULL,
  country TEXT NOT NULL,
  id_qualifier TEXT,
  id TEXT,
  name_key TEXT NOT NULL,
  address_key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS split_suspects (id TEXT PRIMARY KEY, combined INTEGER NOT NULL) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  sha256 TEXT,
  outcome TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_inputs ON ledger (name, sha256);
CREATE TABLE IF NOT EXISTS acknowledged (key TEXT PRIMARY KEY) WITHOUT ROWID;
`;
