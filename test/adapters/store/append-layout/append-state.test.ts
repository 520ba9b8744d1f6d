/**
 * The append layout, bare (the core over AppendLayoutState in one transaction per batch, on real
 * SQLite files), against the memory store: the same batches of generated events (new bills,
 * amendments moving bills between person-days, deletions, status before and after declaration,
 * crossings) give the same decisions and the same person-days with the same members in the same
 * order — built incrementally, rebuilt by reopening the file, after a rolled-back transaction, and
 * going on from a file the SQLite store wrote. (Before the SQLite store used this layout, the
 * reference was the row-schema store; the migration from its files: sqlite-append-migration.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APPEND_SCHEMA_VERSION } from '../../../../src/adapters/store/sqlite/append-layout/schema.js';
import { SqliteDecisionStore } from '../../../../src/adapters/store/sqlite/sqlite-store.js';
import type { Decision } from '../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../src/core/model/shipment-event.js';
import { ev } from '../../../aggregate/event-builder.js';
import { AppendStore } from './support/append-store.js';
import { referenceRun } from './support/reference-run.js';

const dir = mkdtempSync(join(tmpdir(), 's321-append-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seeded traffic: ~40 consignees over two days, so person-days fill up and cross $800. */
function traffic(count: number, seed: number): ShipmentEvent[][] {
  let s = seed;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const declared: string[] = [];
  const batches: ShipmentEvent[][] = [];
  let batch: ShipmentEvent[] = [];
  for (let i = 0; i < count; i++) {
    const consignee = `NA:BUYER ${rand(40)}|${rand(3)} MAIN ST|BOSTON|MA|02110|US`;
    const day = rand(2) === 0 ? '2025-06-10' : '2025-06-11';
    const cents = 1_000 + rand(40_000);
    const roll = rand(100);
    const old = declared[rand(Math.max(1, declared.length))];
    if (roll < 8 && old !== undefined) batch.push(ev({ bill: old, kind: 'amended', consignee, day, cents }));
    else if (roll < 11 && old !== undefined) batch.push(ev({ bill: old, kind: 'deleted' }));
    else if (roll < 16) {
      const bill = rand(2) === 0 && old !== undefined ? old : `S${i}`; // status before its declaration, too
      batch.push(ev({ bill, kind: 'status', arrival: day }));
    } else {
      const bill = `B${i}`;
      declared.push(bill);
      batch.push(ev({ bill, consignee, day, cents }));
    }
    if (batch.length === 1 + rand(120)) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

describe('append layout = the same core over the memory store', () => {
  const batches = traffic(4000, 7);
  const half = Math.floor(batches.length / 2);

  it('same decisions and person-days, incrementally and after reopening (rebuild by scan)', async () => {
    const { decisions: want, personDays: wantDays } = await referenceRun(batches);
    expect(want.length).toBeGreaterThan(200); // the traffic does cross thresholds
    expect(wantDays.some((d) => d.billKeys.length > 3)).toBe(true);

    let store = new AppendStore(join(dir, 'append.db'));
    const got: Decision[] = [];
    for (const events of batches.slice(0, half)) got.push(...store.apply(events));
    store.close();
    store = new AppendStore(join(dir, 'append.db')); // the second half runs on the rebuilt index
    for (const events of batches.slice(half)) got.push(...store.apply(events));
    expect(got).toEqual(want);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  });

  it('a rolled-back batch leaves rows and hot state as they were (reload)', async () => {
    const { decisions: want, personDays: wantDays } = await referenceRun(batches);
    const store = new AppendStore(join(dir, 'rollback.db'));
    const got: Decision[] = [];
    for (const [i, events] of batches.entries()) {
      if (i % 7 === 3) {
        expect(() => store.apply(events, true)).toThrow(/disk full/);
        store.state.reload();
      }
      got.push(...store.apply(events));
    }
    expect(got).toEqual(want);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  });

  // The row schema → append layout migration of a file the row-schema store wrote: sqlite-append-migration.test.ts.
  it('goes on from a file the SQLite store wrote (its rows are what the layout reads)', async () => {
    const { decisions: want, personDays: wantDays } = await referenceRun(batches);
    const path = join(dir, 'store-then-layout.db');
    const { decisions: before } = await referenceRun(batches.slice(0, half), new SqliteDecisionStore(path));
    const store = new AppendStore(path);
    const after: Decision[] = [];
    for (const events of batches.slice(half)) after.push(...store.apply(events));
    expect([...before, ...after]).toEqual(want);
    expect(store.personDays()).toEqual(wantDays);
    const version = store.db.prepare("SELECT v FROM meta WHERE k = 'schema_version'").get();
    expect(version).toEqual({ v: APPEND_SCHEMA_VERSION });
    const indexes = store.db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('bills', 'person_days')",
      )
      .all();
    expect(indexes).toEqual([]); // no secondary index on the hot path
    store.close();
  });

  it('refuses a database from a newer s321', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.exec(
      "CREATE TABLE meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES ('schema_version', 99)",
    );
    db.close();
    expect(() => new AppendStore(path)).toThrow(/schema 99, newer than this s321/);
  });
});
