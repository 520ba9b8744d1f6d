/**
 * A database written by schema 1 (person-days keyed by day + consignee key, bills as JSON objects) is
 * upgraded in place when opened, and aggregation goes on from its state: the stored bills are the
 * person-day's earlier bills when a new shipment crosses the threshold.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { packBill } from '../../../src/adapters/store/packed-bill.js';
import { APPEND_SCHEMA_VERSION } from '../../../src/adapters/store/sqlite/append-layout/schema.js';
import { keyHash52 } from '../../../src/adapters/store/sqlite/key-hash.js';
import { openSchema } from '../../../src/adapters/store/sqlite/migrate.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import { type BillRecord, personDayKey } from '../../../src/core/aggregate/state.js';
import { aggregationConfig } from '../../../src/core/rules/defaults.js';
import { ev } from '../../aggregate/event-builder.js';

// Schema 1 as s321 wrote it (src/adapters/store/sqlite/schema.ts before schema 2), tables that changed.
const SCHEMA_1 = `
CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE bills (key TEXT PRIMARY KEY, ck TEXT, day TEXT, counted INTEGER NOT NULL, accepted_seq INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX bills_person_day ON bills (ck, day, accepted_seq) WHERE counted = 1;
CREATE TABLE person_days (day TEXT NOT NULL, ck TEXT NOT NULL, total INTEGER NOT NULL, bills INTEGER NOT NULL,
  ever_exceeded INTEGER NOT NULL, PRIMARY KEY (day, ck)) WITHOUT ROWID;
`;

const DAY = '2025-06-10';
const CK = 'na|JANE ROE|1 MAIN ST|DETROIT|MI|48201|US';

function v1Bill(scn: string, cents: number, acceptedSeq: number): BillRecord {
  return {
    key: `ABCD/${scn}`,
    issuer: 'ABCD',
    scn,
    mode: 'truck',
    shipmentType: 'S321',
    express: false,
    standard: 'x12',
    carrierScac: 'ABCD',
    cents,
    hts: [],
    counted: true,
    deleted: false,
    acceptedSeq,
    versionHash: `v1-${scn}`,
    lastEventId: `old-${scn}`,
    notified: [],
    consigneeKey: CK,
    eda: DAY,
    day: DAY,
    profile: 'release2',
  };
}

const dir = mkdtempSync(join(tmpdir(), 's321-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite schema 1 → 2', () => {
  it('keeps totals and members, and the next shipment crosses with the stored bills as earlier ones', async () => {
    const path = join(dir, 'v1.db');
    const old = new Database(path);
    old.exec(SCHEMA_1);
    const put = old.prepare(
      'INSERT INTO bills (key, ck, day, counted, accepted_seq, data) VALUES (?, ?, ?, 1, ?, ?)',
    );
    for (const [scn, seq] of [
      ['B1', 0],
      ['B2', 1],
    ] as const) {
      const bill = v1Bill(scn, 30_000, seq);
      put.run(bill.key, CK, DAY, seq, JSON.stringify(bill));
    }
    old
      .prepare('INSERT INTO person_days (day, ck, total, bills, ever_exceeded) VALUES (?, ?, 60000, 2, 0)')
      .run(DAY, CK);
    old.prepare('INSERT INTO meta (k, v) VALUES (?, ?)').run('schema_version', 1);
    old.prepare('INSERT INTO meta (k, v) VALUES (?, ?)').run('accept_seq', 2);
    old.close();

    const store = new SqliteDecisionStore(path);
    try {
      expect(await store.personDays(DAY)).toEqual([
        {
          consigneeKey: CK,
          day: DAY,
          totalCents: 60_000,
          bills: 2,
          everExceeded: false,
          unnotifiedFrom: 0,
          billKeys: ['ABCD/B1', 'ABCD/B2'],
        },
      ]);
      const crossing = ev({ bill: 'B3', consignee: CK, cents: 25_000, day: DAY });
      const out = await applyBatch(
        store,
        [{ sender: 'S', controlNumber: '1', fingerprint: 'f', file: 'x', events: [crossing] }],
        aggregationConfig(),
      );
      const byBill = new Map(out.decisions.map((d) => [d.bill, d.role]));
      expect(byBill).toEqual(
        new Map([
          ['ABCD/B1', 'earlier'],
          ['ABCD/B2', 'earlier'],
          ['ABCD/B3', 'crossing'],
        ]),
      );
      const [pd] = await store.personDays(DAY);
      expect(pd).toMatchObject({
        totalCents: 85_000,
        bills: 3,
        everExceeded: true,
        billKeys: ['ABCD/B1', 'ABCD/B2', 'ABCD/B3'],
      });
    } finally {
      await store.close();
    }
    const reopened = new Database(path, { readonly: true });
    // Schema 1 → … → the row schema's last version → the append layout, in one open.
    expect(reopened.prepare("SELECT v FROM meta WHERE k = 'schema_version'").get()).toEqual({
      v: APPEND_SCHEMA_VERSION,
    });
    // Schema 3 also adds the replay's ledger and acknowledged tables, empty.
    expect(reopened.prepare('SELECT count(*) AS n FROM ledger').get()).toEqual({ n: 0 });
    reopened.close();
  });

  it('schema 2 → 3: person-days get unnotified_from 0, and the next crossing notifies every stored member', async () => {
    // A schema 2 file as the row-schema store wrote it: today's row tables without the columns and
    // tables schemas 3 and 4 added, bills in the packed row encoding pointing at their person-day's rowid.
    const path = join(dir, 'v2.db');
    const v2 = new Database(path);
    openSchema(v2, path);
    v2.exec(`DROP TABLE ledger; DROP TABLE acknowledged; DROP TABLE person_day_parties; DROP TABLE split_suspects;
      ALTER TABLE person_days DROP COLUMN unnotified_from; UPDATE meta SET v = 2 WHERE k = 'schema_version'`);
    const pd = v2
      .prepare(
        'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded) VALUES (?, ?, ?, 60000, 2, 0)',
      )
      .run(keyHash52(personDayKey(CK, DAY)), DAY, CK).lastInsertRowid;
    const put = v2.prepare(
      'INSERT INTO bills (key, ck, day, counted, accepted_seq, data, pd) VALUES (?, ?, ?, 1, ?, ?, ?)',
    );
    for (const [scn, seq] of [
      ['C1', 0],
      ['C2', 1],
    ] as const) {
      const bill = v1Bill(scn, 30_000, seq);
      // The row schema's data: every packed field (encodeBillData leaves some to schema 7's columns).
      put.run(bill.key, CK, DAY, seq, JSON.stringify(packBill(bill)), pd);
    }
    v2.prepare("INSERT INTO meta (k, v) VALUES ('accept_seq', 2)").run();
    v2.close();
    const store = new SqliteDecisionStore(path);
    try {
      expect((await store.personDays(DAY))[0]?.unnotifiedFrom).toBe(0);
      const out = await applyBatch(
        store,
        [
          {
            sender: 'S',
            controlNumber: '2',
            fingerprint: 'g',
            file: 'y',
            events: [ev({ bill: 'C3', consignee: CK, cents: 25_000, day: DAY })],
          },
        ],
        aggregationConfig(),
      );
      expect(out.decisions.map((d) => [d.bill, d.role])).toEqual([
        ['ABCD/C1', 'earlier'],
        ['ABCD/C2', 'earlier'],
        ['ABCD/C3', 'crossing'],
      ]);
      expect((await store.personDays(DAY))[0]?.unnotifiedFrom).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('refuses a database from a newer s321', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.exec(
      "CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES ('schema_version', 99)",
    );
    db.close();
    expect(() => new SqliteDecisionStore(path)).toThrow(/schema 99, newer than this s321/);
  });
});
