/**
 * The row cap (docs/replay-memory.md, "The row cap"): past `maxHeldRows` held rows the append layout
 * evicts the oldest person-days (with their members) and bills of any day, the newest day included,
 * and later events that touch them are decided through the cold indexes. On real SQLite files, with a
 * cap of a few hundred rows so it bites many times a day: the same decisions, person-days (members
 * in order) and bills as the layout with nothing evicted (which gives the memory store's decisions)
 * — incrementally, after a reopen, after rolled-back batches that evicted, and after the process is
 * killed inside the transaction of a cap eviction. Each case checks that the cap did evict and that
 * the cold indexes answered, so it cannot pass with nothing evicted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppendStateOptions } from '../../../../src/adapters/store/sqlite/append-layout/append-state.js';
import {
  APPEND_SCHEMA_VERSION,
} from '../../../../src/adapters/store/sqlite/append-layout/schema.js';
import type { Decision } from '../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../src/core/model/shipment-event.js';
import { ev } from '../../../aggregate/event-builder.js';
import { AppendStore } from './support/append-store.js';
import { traffic } from './support/eviction-traffic.js';
import { killInsideEviction } from './support/kill-inside-eviction.js';
import { referenceRun } from './support/reference-run.js';

const dir = mkdtempSync(join(tmpdir(), 's321-row-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAP = 240;
/** Only the cap evicts (a window of every day), or the cap and the days together. */
const CAP_ONLY: AppendStateOptions = { hotDays: 1000, maxHeldRows: CAP };
const CAP_AND_DAYS: AppendStateOptions = { hotDays: 0, maxHeldRows: CAP };

/** The answers with nothing evicted: decisions (checked against the memory store's), person-days and bills. */
async function reference(batches: ShipmentEvent[][], name: string) {
  const { decisions } = await referenceRun(batches);
  const held = new AppendStore(join(dir, `${name}-nothing-evicted.db`), {
    hotDays: 1000,
    maxHeldRows: Number.POSITIVE_INFINITY,
  });
  const got: Decision[] = [];
  for (const events of batches) got.push(...held.apply(events));
  expect(got).toEqual(decisions);
  expect(held.state.cold.lookups).toBe(0);
  const want = { decisions, personDays: held.personDays(), bills: held.bills() };
  held.close();
  return want;
}

const batches = traffic(6000, 11);
let wantedOnce: ReturnType<typeof reference> | undefined;
const wantedRun = () => (wantedOnce ??= reference(batches, 'traffic'));

describe('the row cap on traffic over eight days', () => {
  for (const [name, options] of [
    ['cap only', CAP_ONLY],
    ['cap and days', CAP_AND_DAYS],
  ] as const) {
    it(`${name}: holds no more than the cap after any batch, and decides as with everything held`, async () => {
      const want = await wantedRun();
      const store = new AppendStore(join(dir, `${name}.db`), options);
      const got: Decision[] = [];
      let mostHeld = 0;
      for (const events of batches) {
        got.push(...store.apply(events));
        mostHeld = Math.max(mostHeld, store.state.heldRows);
      }
      expect(got).toEqual(want.decisions);
      expect(mostHeld).toBeLessThanOrEqual(CAP);
      // ~1,100 rows a day: the cap bit within days, many times, and the cold indexes answered.
      expect(store.state.cold.capEvictions).toBeGreaterThan(20);
      expect(store.state.cold.hits).toBeGreaterThan(500);
      expect(store.personDays()).toEqual(want.personDays);
      expect(store.bills()).toEqual(want.bills);
      store.close();
    });
  }

  it('reopening mid-run rebuilds only the rows the cap left held, and the run goes on the same', async () => {
    const want = await wantedRun();
    const path = join(dir, 'reopen.db');
    let store = new AppendStore(path, CAP_AND_DAYS);
    const got: Decision[] = [];
    const third = Math.floor(batches.length / 3);
    for (const events of batches.slice(0, third)) got.push(...store.apply(events));
    const liveHeld = store.state.heldRows;
    expect(store.state.cold.capEvictions).toBeGreaterThan(0);
    store.close();
    store = new AppendStore(path, CAP_AND_DAYS);
    // The rebuild holds what the cap left (not the evicted rows again); a row held since only
    // because it was held when it moved may be left cold (it is in the cold indexes).
    expect(store.state.heldRows).toBeGreaterThan(0);
    expect(store.state.heldRows).toBeLessThanOrEqual(liveHeld);
    store.close();
    store = new AppendStore(path, CAP_AND_DAYS);
    for (const [i, events] of batches.slice(third).entries()) {
      got.push(...store.apply(events));
      if (i % 40 === 39) {
        store.close();
        store = new AppendStore(path, CAP_AND_DAYS);
      }
    }
    expect(got).toEqual(want.decisions);
    expect(store.state.cold.hits).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(want.personDays);
    expect(store.bills()).toEqual(want.bills);
    store.close();
  });

  it('a rolled-back batch that evicted by the cap leaves rows, cold indexes and hot state as they were', async () => {
    const want = await wantedRun();
    const store = new AppendStore(join(dir, 'rollback.db'), CAP_AND_DAYS);
    const got: Decision[] = [];
    let rolledBack = 0;
    for (const [i, events] of batches.entries()) {
      if (i % 3 === 1) {
        const before = store.state.cold.capEvictions;
        expect(() => store.apply(events, true)).toThrow(/disk full/);
        if (store.state.cold.capEvictions > before) rolledBack++;
        store.state.reload();
      }
      got.push(...store.apply(events));
    }
    expect(rolledBack).toBeGreaterThan(5);
    expect(got).toEqual(want.decisions);
    expect(store.personDays()).toEqual(want.personDays);
    expect(store.bills()).toEqual(want.bills);
    store.close();
  });

  it('kill -9 inside the transaction of a cap eviction, reopen: the run goes on the same', async () => {
    const want = await wantedRun();
    const path = join(dir, 'crash.db');
    const { committed, decisions: first } = await killInsideEviction({
      dir,
      path,
      batches,
      options: CAP_ONLY,
      counter: 'capEvictions',
      nth: 5,
    });
    expect(committed).toBeGreaterThan(0);
    const store = new AppendStore(path, CAP_ONLY); // WAL recovery, then the rebuild
    const bounds = store.db
      .prepare("SELECT k, v FROM meta WHERE k IN ('cold_pd_below', 'cold_bill_below') ORDER BY k")
      .all() as Array<{ k: string; v: number }>;
    expect(bounds.map((b) => b.k)).toEqual(['cold_bill_below', 'cold_pd_below']); // earlier ones committed
    const got: Decision[] = [...first];
    for (const events of batches.slice(committed)) got.push(...store.apply(events));
    expect(got).toEqual(want.decisions);
    expect(store.state.cold.capEvictions).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(want.personDays);
    expect(store.bills()).toEqual(want.bills);
    store.close();
  }, 60_000);
});

describe('releasing the hot state', () => {
  it('frees the held rows; the next use rebuilds them and decides the same', async () => {
    const want = await wantedRun();
    const store = new AppendStore(join(dir, 'release.db'), CAP_AND_DAYS);
    const got: Decision[] = [];
    for (const [i, events] of batches.entries()) {
      got.push(...store.apply(events));
      if (i % 25 !== 24) continue;
      expect(store.state.heldRows).toBeGreaterThan(0);
      const filters = store.state.coldFilterBytes;
      store.state.releaseHotState();
      // (The columns' first chunks stay: 64Ki rows, more than this store holds.)
      expect(store.state.heldRows).toBe(0);
      expect(store.state.coldFilterBytes).toBe(0);
      if (i > 100) expect(filters).toBeGreaterThan(0);
    }
    expect(got).toEqual(want.decisions);
    store.state.releaseHotState();
    expect(store.personDays()).toEqual(want.personDays);
    store.close();
  });
});

describe('the row cap within one day', () => {
  const DAY = '2025-06-10';
  const X = 'NA:XAVIER ROE|1 ELM ST|BOSTON|MA|02110|US';
  const Y = 'NA:YOLANDA ROE|2 ELM ST|BOSTON|MA|02110|US';
  const W = 'NA:WALTER ROE|3 ELM ST|BOSTON|MA|02110|US';
  /** `n` one-bill person-days of other consignees: what pushes the earlier rows out. */
  const filler = (from: number, n: number): ShipmentEvent[] =>
    Array.from({ length: n }, (_, i) =>
      ev({
        bill: `F${from + i}`,
        consignee: `NA:FILLER ${from + i}|9 OAK ST|BOSTON|MA|02110|US`,
        day: DAY,
        cents: 100,
      }),
    );
  const day: ShipmentEvent[][] = [
    [
      ev({ bill: 'X1', consignee: X, day: DAY, cents: 30_000 }),
      ev({ bill: 'X2', consignee: X, day: DAY, cents: 30_000 }),
    ],
    [ev({ bill: 'W1', consignee: W, day: DAY, cents: 50_000 })],
    filler(0, 150),
    filler(150, 150),
    // X's person-day and both its bills were evicted: this one crosses $800, and X1 and X2 are
    // notified as earlier bills, found through cold_members.
    [ev({ bill: 'X3', consignee: X, day: DAY, cents: 30_000 })],
    [ev({ bill: 'Y1', consignee: Y, day: DAY, cents: 10_000 })],
    // An evicted bill of an exceeded person-day moves to a held one; another to an evicted one,
    // which it takes over $800 (W1, evicted, is notified as earlier).
    [ev({ bill: 'X1', kind: 'amended', consignee: Y, day: DAY, cents: 30_000 })],
    [ev({ bill: 'X2', kind: 'amended', consignee: W, day: DAY, cents: 40_000 })],
    filler(300, 150),
    filler(450, 150),
    // All evicted again: a deletion, a status, an amendment back.
    [ev({ bill: 'X3', kind: 'deleted' }), ev({ bill: 'W1', kind: 'status', arrival: DAY })],
    [ev({ bill: 'X1', kind: 'amended', consignee: X, day: DAY, cents: 90_000 })],
    [ev({ bill: 'Y2', consignee: Y, day: DAY, cents: 80_000 })],
  ];

  it('a person-day crosses its threshold after its members were evicted; evicted bills move and are deleted', async () => {
    const want = await reference(day, 'one-day');
    // The reference notifies X1 and X2 as earlier bills when X3 crosses, and W1 when X2 joins W.
    const earlier = (bill: string, consignee: string) =>
      want.decisions.some((d) => d.bill === bill && d.role === 'earlier' && d.consigneeKey === consignee);
    expect(earlier('ABCD/X1', X) && earlier('ABCD/X2', X) && earlier('ABCD/W1', W)).toBe(true);

    const store = new AppendStore(join(dir, 'one-day.db'), { hotDays: 0, maxHeldRows: 100 });
    const got: Decision[] = [];
    const hitsPerBatch: number[] = [];
    for (const events of day) {
      const hits = store.state.cold.hits;
      got.push(...store.apply(events));
      hitsPerBatch.push(store.state.cold.hits - hits);
    }
    expect(got).toEqual(want.decisions);
    // Nothing was evicted by day (one day); the crossing and the moves read evicted rows.
    expect(store.coldBefore()).toBe(0);
    expect(store.state.cold.capEvictions).toBeGreaterThan(3);
    for (const batch of [4, 6, 7, 10, 11]) expect(hitsPerBatch[batch], `batch ${batch}`).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(want.personDays);
    expect(store.bills()).toEqual(want.bills);
    store.close();
  });
});

describe('schema', () => {
  // Schema 6 files (before the cap) reach this version through the schema-7 migration
  // (sqlite-schema7-migration.test.ts, a real schema-6 file); like them, a file written with no cap
  // has no rowid bounds in meta.
  it('a file written without the row cap (no rowid bounds, as every schema-6 file) opens with nothing evicted by it, and the cap applies from then on', async () => {
    const want = await wantedRun();
    const path = join(dir, 'previous-version.db');
    let store = new AppendStore(path, { hotDays: 0, maxHeldRows: Number.POSITIVE_INFINITY });
    const got: Decision[] = [];
    const half = Math.floor(batches.length / 2);
    for (const events of batches.slice(0, half)) got.push(...store.apply(events));
    expect(
      store.db.prepare("SELECT k FROM meta WHERE k IN ('cold_pd_below', 'cold_bill_below')").all(),
    ).toEqual([]);
    store.close();
    store = new AppendStore(path, CAP_AND_DAYS);
    expect(store.db.prepare("SELECT v FROM meta WHERE k = 'schema_version'").get()).toEqual({
      v: APPEND_SCHEMA_VERSION,
    });
    for (const events of batches.slice(half)) got.push(...store.apply(events));
    expect(got).toEqual(want.decisions);
    expect(store.state.cold.capEvictions).toBeGreaterThan(0);
    expect(store.personDays()).toEqual(want.personDays);
    store.close();
  });
});
