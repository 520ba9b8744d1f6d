/**
 * Opens the schema: creates it in a new database, upgrades an older one in place (one transaction),
 * refuses a newer one. Schema 1 → 2: person-days get a rowid and a key hash, bills the rowid of
 * their person-day (see schema.ts for why). 2 → 3: person-days get unnotified_from (0: every member
 * is visited at the next crossing, as before). 3 → 4: the new tables person_day_parties and
 * split_suspects (created by SCHEMA_SQL); person-days written before have no party row (the report
 * shows their key, detection does not see them).
 */
import type Database from 'better-sqlite3';
import { personDayKey } from '../../../core/aggregate/state.js';
import { keyHash52 } from './key-hash.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

export function openSchema(db: Database.Database, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID');
  const version = db
    .prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?')
    .get('schema_version')?.v;
  if (version !== undefined && version > SCHEMA_VERSION) {
    throw new Error(`database ${path} has schema ${version}, newer than this s321 (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    if (version === 1) migrate1to2(db);
    if (version !== undefined && version <= 2)
      db.exec('ALTER TABLE person_days ADD COLUMN unnotified_from INTEGER NOT NULL DEFAULT 0');
    db.exec(SCHEMA_SQL);
    db.prepare('INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v').run(
      'schema_version',
      SCHEMA_VERSION,
    );
  }).immediate();
}

function migrate1to2(db: Database.Database): void {
  db.function('s321_person_day_hash', { deterministic: true }, (day, ck) =>
    keyHash52(personDayKey(String(ck), String(day))),
  );
  db.exec(`
    CREATE TABLE person_days_v2 (
      id INTEGER PRIMARY KEY, h INTEGER NOT NULL, day TEXT NOT NULL, ck TEXT NOT NULL,
      total INTEGER NOT NULL, bills INTEGER NOT NULL, ever_exceeded INTEGER NOT NULL
    );
    INSERT INTO person_days_v2 (h, day, ck, total, bills, ever_exceeded)
      SELECT s321_person_day_hash(day, ck), day, ck, total, bills, ever_exceeded FROM person_days ORDER BY day, ck;
    DROP TABLE person_days;
    ALTER TABLE person_days_v2 RENAME TO person_days;
    ALTER TABLE bills ADD COLUMN pd INTEGER;
    UPDATE bills SET pd = (SELECT p.id FROM person_days p WHERE p.day = bills.day AND p.ck = bills.ck) WHERE counted = 1;
    DROP INDEX IF EXISTS bills_person_day;
  `);
}
