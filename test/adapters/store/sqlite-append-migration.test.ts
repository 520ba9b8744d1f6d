/**
 * A state file written by the row-schema store (schema 4; fixtures/schema-4.db, written by a replay of
 * fixtures/replay with s321 at commit 1f4f1a8, with what that store read back from it in
 * schema-4.expected.json) is migrated in place to the append layout when a replay opens it: the same
 * person-days with the same members in the same order, the same report, and aggregation goes on from
 * that state (the next crossing notifies the stored members). A read-only open (`s321 report`) refuses
 * the old file without touching it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APPEND_SCHEMA_VERSION } from '../../../src/adapters/store/sqlite/append-layout/schema.js';
import { SCHEMA_VERSION } from '../../../src/adapters/store/sqlite/schema.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import { loadReport } from '../../../src/app/report-data.js';
import { aggregationConfig, DEFAULT_RULE_CALENDAR } from '../../../src/core/rules/defaults.js';
import type { PersonDayReport } from '../../../src/ports/decision-store.js';
import { ev } from '../../aggregate/event-builder.js';

const FIXTURE = 'test/adapters/store/fixtures/schema-4.db';
const expected = JSON.parse(readFileSync('test/adapters/store/fixtures/schema-4.expected.json', 'utf8')) as {
  personDays: PersonDayReport[];
  report: unknown;
  decisions: number;
};

const dir = mkdtempSync(join(tmpdir(), 's321-append-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function schemaOf(path: string): { version: number | undefined; indexes: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    const version = db.prepare<[], { v: number }>("SELECT v FROM meta WHERE k = 'schema_version'").get()?.v;
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('bills', 'person_days') ORDER BY name",
      )
      .all()
      .map((r) => r.name);
    return { version, indexes };
  } finally {
    db.close();
  }
}

describe(`SQLite row schema ${SCHEMA_VERSION} → append layout (${APPEND_SCHEMA_VERSION})`, () => {
  it('the fixture is a row-schema file with its indexes', () => {
    // A copy: opening a WAL-mode file, even read-only, creates its -wal and -shm beside it.
    const path = join(dir, 'fixture.db');
    copyFileSync(FIXTURE, path);
    expect(schemaOf(path)).toEqual({
      version: 4,
      indexes: ['bills_members', 'person_days_hash', 'sqlite_autoindex_bills_1'],
    });
  });

  it('a read-only open refuses the row-schema file and leaves it as it was', () => {
    const path = join(dir, 'ro.db');
    copyFileSync(FIXTURE, path);
    expect(() => new SqliteDecisionStore(path, { readOnly: true })).toThrow(
      `schema 4, this s321 reads schema ${APPEND_SCHEMA_VERSION} (a replay on it migrates it)`,
    );
    expect(schemaOf(path).version).toBe(4);
  });

  it('migrates in place: same person-days, members, report and decisions; aggregation goes on', async () => {
    const path = join(dir, 'rw.db');
    copyFileSync(FIXTURE, path);
    const store = new SqliteDecisionStore(path);
    try {
      expect(await store.personDays()).toEqual(expected.personDays);
      expect(loadReport(store.reportQueries(), DEFAULT_RULE_CALENDAR)).toEqual(expected.report);
      expect(store.allDecisions()).toHaveLength(expected.decisions);

      // SAM LEE's day held one bill of $50: a new $800 shipment crosses, and the stored bill (found
      // through the member chains rebuilt from the migrated rows) is the earlier one.
      const sam = expected.personDays.find((p) => p.consigneeKey.startsWith('na|SAM LEE|'));
      if (sam === undefined) throw new Error('fixture without SAM LEE');
      expect(sam).toMatchObject({ totalCents: 5_000, billKeys: [expect.any(String)] });
      const out = await applyBatch(
        store,
        [
          {
            sender: 'S',
            controlNumber: '900',
            fingerprint: 'after-migration',
            file: 'after.edi',
            events: [ev({ bill: 'AFTER1', consignee: sam.consigneeKey, cents: 80_000, day: sam.day })],
          },
        ],
        aggregationConfig(),
      );
      expect(out.decisions.map((d) => [d.bill, d.role])).toEqual([
        [sam.billKeys[0], 'earlier'],
        ['ABCD/AFTER1', 'crossing'],
      ]);
      const [after] = await store
        .personDays(sam.day)
        .then((pds) => pds.filter((p) => p.consigneeKey === sam.consigneeKey));
      expect(after).toMatchObject({
        totalCents: 85_000,
        bills: 2,
        everExceeded: true,
        billKeys: [sam.billKeys[0], 'ABCD/AFTER1'],
      });
    } finally {
      await store.close();
    }
    expect(schemaOf(path)).toEqual({ version: APPEND_SCHEMA_VERSION, indexes: [] });

    // `s321 report` reads the migrated file read-only, without the hot state.
    const ro = new SqliteDecisionStore(path, { readOnly: true });
    try {
      const pds = await ro.personDays();
      expect(pds).toHaveLength(expected.personDays.length);
      expect(pds.find((p) => p.consigneeKey === expected.personDays[0]?.consigneeKey)).toEqual(
        expected.personDays[0],
      );
      expect(() => ro.openBatch()).toThrow(/read-only/);
    } finally {
      await ro.close();
    }
  });
});
