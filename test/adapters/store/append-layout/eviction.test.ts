/**
 * Eviction of old days from the append layout's hot state (docs/replay-memory.md, "Eviction"), on
 * real SQLite files: traffic over eight days where amendments, moves, deletions and status hit bills
 * and person-days of days already evicted (hotDays 0: only the newest day is held) gives the same
 * decisions and person-days (members in order) as the memory store — incrementally, after a reopen,
 * after a rolled-back batch, and after the process is killed (SIGKILL) inside the transaction that
 * evicts a day. Each case checks that the cold indexes were really asked and answered, so it cannot
 * pass with nothing evicted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
import { referenceRun } from './support/reference-run.js';

const dir = mkdtempSync(join(tmpdir(), 's321-eviction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAYS = [
  '2025-06-10',
  '2025-06-11',
  '2025-06-12',
  '2025-06-13',
  '2025-06-14',
  '2025-06-15',
  '2025-06-16',
  '2025-06-17',
];

/**
 * Seeded traffic moving through DAYS (the batch's "today" advances), with late records: a
 * declaration dated one to three days back, amendments of any earlier bill (to its own day, to
 * today, to another old day, to another consignee), deletions, status of old bills and of bills
 * not declared yet.
 */
function traffic(count: number, seed: number): ShipmentEvent[][] {
  let s = seed;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const declared: Array<{ bill: string; day: number }> = [];
  const batches: ShipmentEvent[][] = [];
  let batch: ShipmentEvent[] = [];
  let size = 1 + rand(60);
  for (let i = 0; i < count; i++) {
    const today = Math.min(DAYS.length - 1, Math.floor((i * DAYS.length) / count));
    const consignee = `NA:BUYER ${rand(30)}|${rand(2)} MAIN ST|BOSTON|MA|02110|US`;
    const late = rand(10) === 0 ? Math.max(0, today - 1 - rand(3)) : today;
    const cents = 1_000 + rand(40_000);
    const roll = rand(100);
    const old = declared.length > 0 ? declared[rand(declared.length)] : undefined;
    if (roll < 10 && old !== undefined) {
      const to = [old.day, today, rand(today + 1)][rand(3)] as number;
      batch.push(ev({ bill: old.bill, kind: 'amended', consignee, day: DAYS[to] as string, cents }));
      old.day = to;
    } else if (roll < 13 && old !== undefined) batch.push(ev({ bill: old.bill, kind: 'deleted' }));
    else if (roll < 18) {
      const bill = rand(2) === 0 && old !== undefined ? old.bill : `S${i}`;
      batch.push(ev({ bill, kind: 'status', arrival: DAYS[late] as string }));
    } else {
      const bill = `B${i}`;
      declared.push({ bill, day: late });
      batch.push(ev({ bill, consignee, day: DAYS[late] as string, cents }));
    }
    if (batch.length === size) {
      batches.push(batch);
      batch = [];
      size = 1 + rand(60);
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

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
    const input = join(dir, 'batches.json');
    writeFileSync(input, JSON.stringify(batches));
    const root = resolve('.');
    const script = join(dir, 'crash-child.mjs');
    // The child runs the compiled layout (dist/, as test/cli does), commits batch by batch, and
    // stops without committing inside the third batch that evicts: it reports how many it
    // committed, with their decisions, and waits to be killed.
    writeFileSync(
      script,
      `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
const Database = require('better-sqlite3');
const d = (p) => import(${JSON.stringify(`${root}/dist/src/`)} + p);
const { AppendLayoutState } = await d('adapters/store/sqlite/append-layout/append-state.js');
const { openAppendSchema } = await d('adapters/store/sqlite/append-layout/migrate.js');
const { applyEvents } = await d('core/aggregate/aggregator.js');
const { aggregationConfig } = await d('core/rules/defaults.js');
const config = aggregationConfig();
const batches = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
openAppendSchema(db, process.argv[2]);
const state = new AppendLayoutState(db, { hotDays: 0 });
const decisions = [];
for (let i = 0; i < batches.length; i++) {
  db.prepare('BEGIN IMMEDIATE').run();
  state.beginBatch();
  const changes = applyEvents(batches[i], state, config);
  state.commit(changes);
  if (state.cold.evictions === 3) {
    process.stdout.write(JSON.stringify({ committed: i, decisions }) + '\\n');
    setInterval(() => {}, 1000);
    break;
  }
  db.prepare('COMMIT').run();
  decisions.push(...changes.decisions);
}
`,
    );
    const child = spawn(process.execPath, [script, path, input], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const line = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) done(out);
      });
      child.on('exit', (code) => fail(new Error(`child exited ${code}: ${err}`)));
    });
    const exited = new Promise((done) => child.on('exit', done));
    child.kill('SIGKILL');
    await exited;
    const { committed, decisions: first } = JSON.parse(line) as { committed: number; decisions: Decision[] };
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
