/**
 * Schema 6 → 7 (docs/schema-7.md): a state file written by s321 at schema 6 (fixtures/schema-6.db,
 * written by scripts/fixtures/make-schema-6-fixture.mjs with the build of ee6f174, with what that
 * build read back from it in schema-6.expected.json: a replay of fixtures/replay, then a pending
 * crossing on a bill whose key holds a '|' and a file recorded but never written) is migrated in
 * place when a replay opens it: the same reads, the pending decisions listed apart from their rows,
 * outbound files in a rowid table with the written flag apart; and the store goes on from it (the
 * pending decision is emitted, the unwritten file marked written).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APPEND_SCHEMA_VERSION } from '../../../src/adapters/store/sqlite/append-layout/schema.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { loadReport } from '../../../src/app/report-data.js';
import type { Decision } from '../../../src/core/model/decision.js';
import { DEFAULT_RULE_CALENDAR } from '../../../src/core/rules/defaults.js';
import type { OutboundRecord, PersonDayReport } from '../../../src/ports/decision-store.js';

const FIXTURE = 'test/adapters/store/fixtures/schema-6.db';
const expected = JSON.parse(readFileSync('test/adapters/store/fixtures/schema-6.expected.json', 'utf8')) as {
  personDays: PersonDayReport[];
  report: unknown;
  decisions: string[];
  audit: string[];
  pending: string[];
  unwritten: OutboundRecord[];
  pipeDecisions: unknown;
  withStatus: unknown;
  nextDecisionSeq: number;
  outboundNames: Array<{ name: string; written: number }>;
};
const PIPE_BILL = 'ABCD/PIPE|1';

const dir = mkdtempSync(join(tmpdir(), 's321-schema7-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function copyOfFixture(name: string): string {
  // A copy: opening a file, even read-only, may create its -wal and -shm beside it.
  const path = join(dir, name);
  copyFileSync(FIXTURE, path);
  return path;
}

function layoutOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    const version = db.prepare<[], { v: number }>("SELECT v FROM meta WHERE k = 'schema_version'").get()?.v;
    const names = (type: string, table: string): string[] =>
      db
        .prepare<[string, string], { name: string }>(
          'SELECT name FROM sqlite_master WHERE type = ? AND tbl_name = ? ORDER BY name',
        )
        .all(type, table)
        .map((r) => r.name);
    const outboundSql =
      db
        .prepare<[], { sql: string }>(
          "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbound_files'",
        )
        .get()?.sql ?? '';
    const columns = (table: string): string[] =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    return {
      version,
      decisionColumns: columns('decisions'),
      decisionIndexes: names('index', 'decisions'),
      pendingTable: names('table', 'decisions_pending'),
      outboundWithoutRowid: /WITHOUT ROWID/i.test(outboundSql),
      outboundIndexes: names('index', 'outbound_files'),
    };
  } finally {
    db.close();
  }
}

describe(`SQLite schema 6 → ${APPEND_SCHEMA_VERSION}`, () => {
  it('the fixture is a schema 6 file: an emitted flag in each decision row, outbound files WITHOUT ROWID', () => {
    expect(layoutOf(copyOfFixture('fixture.db'))).toEqual({
      version: 6,
      decisionColumns: ['seq', 'id', 'emitted', 'json'],
      decisionIndexes: ['decisions_pending', 'sqlite_autoindex_decisions_1'],
      pendingTable: [],
      outboundWithoutRowid: true,
      outboundIndexes: [],
    });
  });

  it('a read-only open refuses the schema 6 file and leaves it as it was', () => {
    const path = copyOfFixture('ro.db');
    expect(() => new SqliteDecisionStore(path, { readOnly: true })).toThrow(
      `schema 6, this s321 reads schema ${APPEND_SCHEMA_VERSION} (a replay on it migrates it)`,
    );
    expect(layoutOf(path).version).toBe(6);
  });

  it('migrates in place: every read as schema 6 gave it; the pending decision and unwritten file go on', async () => {
    const path = copyOfFixture('rw.db');
    const store = new SqliteDecisionStore(path);
    try {
      expect(await store.personDays()).toEqual(expected.personDays);
      expect(loadReport(store.reportQueries(), DEFAULT_RULE_CALENDAR)).toEqual(expected.report);
      expect(store.journalPage('decisions', 0, 1_000_000)).toEqual(expected.decisions);
      expect(store.journalPage('audit', 0, 1_000_000)).toEqual(expected.audit);
      expect((await store.pendingDecisions()).map((d) => d.decisionId)).toEqual(expected.pending);
      expect(await store.unwrittenOutbound()).toEqual(expected.unwritten);
      expect(store.reportQueries().decisionsOf(PIPE_BILL)).toEqual(expected.pipeDecisions);
      const [pending] = expected.pending as [string];
      const ids = (expected.withStatus as Array<{ decision: Decision }>).map((w) => w.decision.decisionId);
      expect(await store.decisionsWithStatus([...ids, 'ABCD/NONE|x|y'])).toEqual(expected.withStatus);
      expect(store.nextDecisionSeq()).toBe(expected.nextDecisionSeq);

      // The pending decision's bill key holds a '|' (its id three).
      expect(pending.startsWith(`${PIPE_BILL}|`)).toBe(true);
      const decision = (await store.pendingDecisions())[0] as Decision;
      await store.recordOutbound([
        {
          name: 'AFTER.x12',
          recipient: decision.recipient,
          channel: decision.channel,
          content: 'after',
          twin: '{}',
          decisionIds: [pending],
        },
      ]);
      expect(await store.pendingDecisions()).toEqual([]);
      expect(await store.decisionsWithStatus([pending])).toEqual([{ decision, emitted: true }]);
      expect((await store.unwrittenOutbound()).map((f) => f.name)).toEqual(['AFTER.x12', 'UNWRITTEN.x12']);
      await store.markWritten(['UNWRITTEN.x12', 'AFTER.x12']);
      expect(await store.unwrittenOutbound()).toEqual([]);
    } finally {
      await store.close();
    }
    expect(layoutOf(path)).toEqual({
      version: APPEND_SCHEMA_VERSION,
      decisionColumns: ['seq', 'id', 'json'],
      decisionIndexes: ['sqlite_autoindex_decisions_1'],
      pendingTable: ['decisions_pending'],
      outboundWithoutRowid: false,
      outboundIndexes: ['sqlite_autoindex_outbound_files_1'],
    });
    const db = new Database(path);
    try {
      // Every file of the schema 6 file kept its name; none but the new one was written before.
      const names = db.prepare<[], { name: string }>('SELECT name FROM outbound_files ORDER BY name').all();
      expect(names.map((r) => r.name)).toEqual(
        [...expected.outboundNames.map((f) => f.name), 'AFTER.x12'].sort(),
      );
      // An id held already is refused.
      expect(() =>
        db.exec('INSERT INTO decisions (seq, id, json) SELECT 1000, id, json FROM decisions LIMIT 1'),
      ).toThrow('UNIQUE constraint failed: decisions.id');
      expect(db.prepare('SELECT count(*) AS n FROM decisions_pending').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }

    // `s321 report` reads the migrated file read-only.
    const ro = new SqliteDecisionStore(path, { readOnly: true });
    try {
      expect(await ro.personDays()).toEqual(expected.personDays);
      expect(ro.reportQueries().decisionsOf(PIPE_BILL)).toHaveLength(1);
    } finally {
      await ro.close();
    }
  });
});
