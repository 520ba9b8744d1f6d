/**
 * Eviction of old days from the append layout's hot state (docs/replay-memory.md, "Eviction"), on
 * real SQLite files: traffic over eight days where amendments, moves, deletions and status hit bills
 * and person-days of days already evicted (hotDays 0: only the newest day is held) gives the same
 * decisions and person-days (members in order) as the memory store — incrementally, after a reopen,
 * after a rolled-back batch, and after the process is killed (SIGKILL) inside the transaction that
 * evicts a day. Each case checks that the cold indexes were really asked and answered, so it cannot
 * pass with nothing evicted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dayOrdinal } from '../../../../src/adapters/store/sqlite/append-layout/hot-state.js';
import {
  APPEND_SCHEMA_VERSION,
  APPEND_SCHEMA_VERSION_WITHOUT_COLD,
} from '../../../../src/adapters/store/sqlite/append-layout/schema.js';
import { ensureRetentionSchema, pruneSqliteStore } from '../../../../src/adapters/store/sqlite/retention.js';
import type { Decision } from '../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../src/core/model/shipment-event.js';
import type { PersonDayReport } from '../../../../src/ports/decision-store.js';
import { ev } from '../../../aggregate/event-builder.js';
import { AppendStore } from './support/append-store.js';
import { DAYS, traffic } from './support/eviction-traffic.js';
import { killInsideEviction } from './support/kill-inside-eviction.js';
import { referenceRun } from './support/reference-run.js';

const dir = mkdtempSync(join(tmpdir(), 's321-eviction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/**
 * What to get: the decisions of the memory store (the same core over plain maps), which the layout
 * with nothing evicted gives too, and that layout's person-days (the memory store reports an unset
 * unnotifiedFrom as absent, the layout as 0; eviction must not change the layout's answers).
 */
async function reference(
  batches: ShipmentEvent[][],
): Promise<{ decisions: Decision[]; personDays: PersonDayReport[] }> {
  const { decisions } = await referenceRun(batches);
  const held = new AppendStore(join(dir, 'nothing-evicted.db'), { hotDays: 1000 });
  const got: Decision[] = [];
  for (const events of batches) got.push(...held.apply(events));
  expect(got).toEqual(decisions);
  expect(held.state.cold.lookups).toBe(0);
  const personDays = held.personDays();
  held.close();
  return { decisions, personDays };
}

const batches = traffic(6000, 11);
let wantedOnce: ReturnType<typeof reference> | undefined;
const wantedRun = () => (wantedOnce ??= reference(batches));

describe('eviction of old days (hotDays 0: only the newest day held)', () => {
  it('late amendments, moves, deletions and status of evicted bills and days decide as with everything held', async () => {
    const { decisions: want, personDays: wantDays } = await wantedRun();
    expect(want.length).toBeGreaterThan(200);
    const store = new AppendStore(join(dir, 'evict.db'), { hotDays: 0 });
    const got: Decision[] = [];
    for (const events of batches) got.push(...store.apply(events));
    expect(got).toEqual(want);
    // Evicted every day but the last, found the late records' bills and person-days cold.
    expect(store.coldBefore()).toBe(dayOrdinal(DAYS[DAYS.length - 1]));
    expect(store.state.cold.evictions).toBe(DAYS.length - 1);
    expect(store.state.cold.evictedBills).toBeGreaterThan(1000);
    expect(store.state.cold.hits).toBeGreaterThan(300);
    expect(store.state.cold.lookups).toBeGreaterThanOrEqual(store.state.cold.hits);
    expect(store.personDays()).toEqual(wantDays);
    // Holds less than the store that evicts nothing.
    const everything = new AppendStore(join(dir, 'nothing-evicted.db'), { hotDays: 1000 });
    expect(store.state.hotBytes).toBeLessThan(everything.state.hotBytes);
    everything.close();
    store.close();
  });

  it('a window of days holds those days; reopening mid-run rebuilds the held days only', async () => {
    const { decisions: want, personDays: wantDays } = await wantedRun();
    const path = join(dir, 'reopen.db');
    let store = new AppendStore(path, { hotDays: 1 });
    const got: Decision[] = [];
    const half = Math.floor(batches.length / 2);
    for (const events of batches.slice(0, half)) got.push(...store.apply(events));
    const before = store.coldBefore();
    expect(before).toBeGreaterThan(0);
    store.close();
    store = new AppendStore(path, { hotDays: 1 });
    for (const events of batches.slice(half)) got.push(...store.apply(events));
    expect(got).toEqual(want);
    expect(store.state.cold.hits).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  });

  it('a rolled-back batch (one that evicts, too) leaves rows, cold indexes and hot state as they were', async () => {
    const { decisions: want, personDays: wantDays } = await wantedRun();
    const store = new AppendStore(join(dir, 'rollback.db'), { hotDays: 0 });
    const got: Decision[] = [];
    let rolledBackEvictions = 0;
    for (const [i, events] of batches.entries()) {
      const evictions = store.state.cold.evictions;
      if (i % 5 === 2 || store.coldBefore() < dayOrdinal(DAYS[DAYS.length - 1])) {
        // Try each batch first as a failing one while days are still being evicted.
        expect(() => store.apply(events, true)).toThrow(/disk full/);
        if (store.state.cold.evictions > evictions) rolledBackEvictions++;
        store.state.reload();
      }
      got.push(...store.apply(events));
    }
    expect(rolledBackEvictions).toBe(DAYS.length - 1);
    expect(got).toEqual(want);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  });
});

describe('crash inside the transaction that evicts a day', () => {
  it('kill -9 there, reopen: the index is rebuilt from the committed rows and the run goes on the same', async () => {
    const { decisions: want, personDays: wantDays } = await wantedRun();
    const path = join(dir, 'crash.db');
    // Stops without committing inside the third batch that evicts, and is killed there.
    const { committed, decisions: first } = await killInsideEviction({
      dir,
      path,
      batches,
      options: { hotDays: 0 },
      counter: 'evictions',
      nth: 3,
    });
    expect(committed).toBeGreaterThan(0);

    const store = new AppendStore(path, { hotDays: 0 }); // WAL recovery, then the rebuild
    expect(store.coldBefore()).toBe(dayOrdinal(DAYS[2])); // two evictions committed, the third not
    const got: Decision[] = [...first];
    for (const events of batches.slice(committed)) got.push(...store.apply(events));
    expect(got).toEqual(want);
    expect(store.state.cold.hits).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  }, 60_000);
});

describe('retention on an evicted store', () => {
  it('pruning days drops their cold index entries, and the held days answer as before', async () => {
    const path = join(dir, 'prune.db');
    let store = new AppendStore(path, { hotDays: 0 });
    for (const events of batches) store.apply(events);
    const last = DAYS[DAYS.length - 1] as string;
    const before = store.personDays().filter((pd) => pd.day >= '2025-06-15');
    ensureRetentionSchema(store.db);
    const pruned = pruneSqliteStore(store.db, { days: 2, today: last });
    expect(pruned?.watermark).toBe('2025-06-15');
    const dangling = store.db
      .prepare(
        `SELECT (SELECT count(*) FROM cold_bills WHERE id NOT IN (SELECT id FROM bills))
              + (SELECT count(*) FROM cold_person_days WHERE id NOT IN (SELECT id FROM person_days))
              + (SELECT count(*) FROM cold_members WHERE id NOT IN (SELECT id FROM bills)) AS n`,
      )
      .get() as { n: number };
    expect(dangling.n).toBe(0);
    expect(
      (store.db.prepare('SELECT count(*) AS n FROM cold_person_days').get() as { n: number }).n,
    ).toBeGreaterThan(0);
    store.close();
    store = new AppendStore(path, { hotDays: 0 });
    expect(store.personDays()).toEqual(before); // 06-15 and 06-16 from the cold indexes, 06-17 held
    store.close();
  });
});

describe('schema', () => {
  it('a file of the append layout before the cold indexes opens as one with nothing evicted', async () => {
    const { decisions: want, personDays: wantDays } = await wantedRun();
    const path = join(dir, 'previous-version.db');
    let store = new AppendStore(path, { hotDays: 100 });
    const got: Decision[] = [];
    const half = Math.floor(batches.length / 2);
    for (const events of batches.slice(0, half)) got.push(...store.apply(events));
    store.db.exec(`DROP TABLE cold_bills; DROP TABLE cold_person_days; DROP TABLE cold_members;
      UPDATE meta SET v = ${APPEND_SCHEMA_VERSION_WITHOUT_COLD} WHERE k = 'schema_version'`);
    store.close();
    store = new AppendStore(path, { hotDays: 0 });
    expect(store.db.prepare("SELECT v FROM meta WHERE k = 'schema_version'").get()).toEqual({
      v: APPEND_SCHEMA_VERSION,
    });
    for (const events of batches.slice(half)) got.push(...store.apply(events));
    expect(got).toEqual(want);
    expect(store.state.cold.evictions).toBeGreaterThan(0);
    expect(store.state.cold.hits).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(wantDays);
    store.close();
  });
});

describe('the newest day, which eviction follows', () => {
  // 4,096 held person-days: a later day becomes the newest once it holds 64 of them.
  const today = (i: number): ShipmentEvent =>
    ev({
      bill: `T${i}`,
      consignee: `NA:BUYER ${i}|1 MAIN ST|BOSTON|MA|02110|US`,
      day: '2025-06-10',
      cents: 100,
    });
  const ahead = (i: number, day: string): ShipmentEvent =>
    ev({ bill: `F${day}-${i}`, consignee: `NA:LATE ${i}|1 MAIN ST|BOSTON|MA|02110|US`, day, cents: 100 });

  it('a few shipments of a day far ahead (a mistyped arrival) evict nothing; a day with 64 person-days does', () => {
    const path = join(dir, 'newest-day.db');
    const store = new AppendStore(path, { hotDays: 0 });
    store.apply(Array.from({ length: 4096 }, (_, i) => today(i)));
    store.apply(Array.from({ length: 63 }, (_, i) => ahead(i, '2025-08-20')));
    expect(store.state.cold.evictions).toBe(0);
    // The same after a reopen: the newest day is rebuilt by the same rule.
    store.close();
    const reopened = new AppendStore(path, { hotDays: 0 });
    reopened.apply([ahead(63, '2025-06-11')]);
    expect(reopened.state.cold.evictions).toBe(0);
    reopened.apply(Array.from({ length: 63 }, (_, i) => ahead(100 + i, '2025-06-11')));
    expect(reopened.state.cold.evictions).toBe(1);
    expect(reopened.coldBefore()).toBe(dayOrdinal('2025-06-11'));
    // Today's person-days are found in the cold index, the ones far ahead are still held.
    expect(reopened.state.personDay('NA:BUYER 7|1 MAIN ST|BOSTON|MA|02110|US', '2025-06-10')?.bills).toBe(1);
    expect(reopened.state.personDay('NA:LATE 7|1 MAIN ST|BOSTON|MA|02110|US', '2025-08-20')?.bills).toBe(1);
    reopened.close();
  });
});
