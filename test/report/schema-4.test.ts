/**
 * Schema 3 → 4 (person_day_parties, split_suspects): a version-3 database opens, gains the tables and
 * keeps its person-days (and moves on to the append layout); their consignee was not stored then, so the report shows the key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPEND_SCHEMA_VERSION } from '../../src/adapters/store/sqlite/append-layout/schema.js';
import { openSchema } from '../../src/adapters/store/sqlite/migrate.js';
import { SqliteReportQueries } from '../../src/adapters/store/sqlite/report-queries.js';
import { SCHEMA_VERSION } from '../../src/adapters/store/sqlite/schema.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';

describe('SQLite schema 4', () => {
  it('upgrades a version-3 database in place', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 's321-schema4-')), 's.db');
    const old = new Database(path);
    openSchema(old, path); // the row schema (4), as the store wrote it before the append layout
    old.exec(`DROP TABLE person_day_parties; DROP TABLE split_suspects;
      INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded) VALUES (1, '2025-06-10', 'id|24|105541071', 90000, 1, 1);
      UPDATE meta SET v = 3 WHERE k = 'schema_version'`);
    old.close();
    const store = new SqliteDecisionStore(path);
    const rows = store.reportQueries().personDaysAbove(0);
    await store.close();
    expect(rows).toEqual([
      { day: '2025-06-10', consigneeKey: 'id|24|105541071', totalCents: 90000, bills: 1, rowId: 1 },
    ]);
    const db = new Database(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables).toEqual(
      expect.arrayContaining([{ name: 'person_day_parties' }, { name: 'split_suspects' }]),
    );
    // 3 → 4, then on to the append layout (the store's schema since the row schema's version 4).
    expect(db.prepare("SELECT v FROM meta WHERE k = 'schema_version'").get()).toEqual({
      v: APPEND_SCHEMA_VERSION,
    });
    expect(SCHEMA_VERSION).toBe(4);
    db.close();
  });
});

describe('report queries on a database opened read-only before its upgrade', () => {
  it('read person-days without consignee parties and find no suspects (no error)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 's321-schema3ro-')), 's.db');
    const old = new Database(path);
    openSchema(old, path); // the row schema (4), as the store wrote it before the append layout
    old.exec(`DROP TABLE person_day_parties; DROP TABLE split_suspects;
      INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded) VALUES (1, '2025-06-10', 'na|JOHN SMITH|1 A ST|B|MA|02110|US', 90000, 1, 1);
      UPDATE meta SET v = 3 WHERE k = 'schema_version'`);
    old.close();
    const ro = new Database(path, { readonly: true });
    const queries = new SqliteReportQueries(ro);
    expect(queries.personDaysAbove(0).map((p) => [p.consigneeKey, p.party])).toEqual([
      ['na|JOHN SMITH|1 A ST|B|MA|02110|US', undefined],
    ]);
    expect([...queries.splitCandidateBlocks()]).toEqual([]);
    ro.close();
  });
});
