/**
 * Opens a database in the append layout (APPEND_SCHEMA_VERSION): creates it in a new file, upgrades
 * a row-schema file in place (the row schema's own migrations first, then rows → append layout in
 * the same kind of one transaction), refuses a newer one. The tables other than bills and
 * person-days are the row schema's and stay as they are (person-days keep their rows, unnotified_from
 * included).
 *
 * 2 → 3: person-days keep their rows, ids and hashes (bills point at those ids) and lose the hash
 * index; bills are copied, in their old rowid order, into a table without the text primary key and
 * the membership index, with the integers the rebuild reads.
 */
import type Database from 'better-sqlite3';
import { decodeBillRow } from '../bill-row.js';
import { keyHash52 } from '../key-hash.js';
import { openSchema } from '../migrate.js';
import { versionTag } from './rows.js';
import {
  APPEND_SCHEMA_VERSION,
  APPEND_SCHEMA_VERSION_WITHOUT_COLD,
  APPEND_SCHEMA_VERSION_WITHOUT_ROW_CAP,
  APPEND_STATE_SQL,
  COLD_INDEX_SQL,
} from './schema.js';

export function openAppendSchema(db: Database.Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID');
  const version = db
    .prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?')
    .get('schema_version')?.v;
  if (version !== undefined && version > APPEND_SCHEMA_VERSION) {
    throw new Error(
      `database ${path} has schema ${version}, newer than this s321 (${APPEND_SCHEMA_VERSION})`,
    );
  }
  if (version === APPEND_SCHEMA_VERSION) return;
  const setVersion = (): void => {
    db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(
      'schema_version',
      APPEND_SCHEMA_VERSION,
    );
  };
  if (version === APPEND_SCHEMA_VERSION_WITHOUT_ROW_CAP) {
    // No rowid bounds in meta: nothing was evicted by the row cap.
    db.transaction(setVersion).immediate();
    return;
  }
  if (version === APPEND_SCHEMA_VERSION_WITHOUT_COLD) {
    // Empty cold indexes and no 'cold_before': every row is held, as that version held them.
    db.transaction(() => {
      db.exec(COLD_INDEX_SQL);
      setVersion();
    }).immediate();
    return;
  }
  const fresh = version === undefined;
  // Schema 2 first (creates the other tables, or brings a schema 1 file to 2).
  openSchema(db, path);
  db.transaction(() => {
    if (fresh) {
      db.exec('DROP TABLE bills; DROP TABLE person_days;');
      db.exec(APPEND_STATE_SQL);
    } else migrate2to3(db);
    setVersion();
  }).immediate();
}

function migrate2to3(db: Database.Database): void {
  db.function('s321_key_hash', { deterministic: true }, (key) => keyHash52(String(key)));
  db.function(
    's321_bill_cents',
    { deterministic: true },
    (key, data) => billOf(String(key), String(data)).cents,
  );
  db.function('s321_bill_ver', { deterministic: true }, (key, data) =>
    versionTag(billOf(String(key), String(data)).versionHash),
  );
  db.exec(`
    DROP INDEX IF EXISTS person_days_hash;
    DROP INDEX IF EXISTS bills_members;
    ALTER TABLE bills RENAME TO bills_v2;
    ${APPEND_STATE_SQL}
    INSERT INTO bills (h, key, ck, day, counted, accepted_seq, pd, cents, ver, data)
      SELECT s321_key_hash(key), key, ck, day, counted, accepted_seq,
             CASE WHEN counted = 1 THEN pd ELSE 0 END,
             s321_bill_cents(key, data), s321_bill_ver(key, data), data
      FROM bills_v2 ORDER BY rowid;
    DROP TABLE bills_v2;
  `);
}

/** The stored bill (packed or schema 1's JSON object); only cents and version hash are read. */
function billOf(key: string, data: string): { cents: number; versionHash: string } {
  return decodeBillRow({ key, ck: null, day: null, counted: 0, accepted_seq: 0 }, data);
}
