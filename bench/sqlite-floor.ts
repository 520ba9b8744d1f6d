/**
 * The write floor of the embedded store: what better-sqlite3 alone needs to persist one bill row and
 * one person-day row per shipment (the minimum the decision state needs), 10k shipments per
 * transaction, with the store's pragmas — nothing else runs. Three layouts:
 *   schema1  person-days keyed by (day, consignee key) and bills indexed by (consignee key, day, seq):
 *            long random keys, every insert lands on a random B-tree page
 *   schema2  person-days appended by rowid and found by a 52-bit key hash, bills indexed by their
 *            person-day's rowid (what src/adapters/store/sqlite uses)
 *   append   schema 3 (src/adapters/store/sqlite/append-layout): bills and person-days appended in
 *            rowid order with no secondary index; lookups and the hot numeric state in typed-array
 *            hash indexes, rebuilt on open by a sequential scan
 *   append-multirow  the append layout with rowids
 *            assigned in memory and the rows of a transaction written as 64-row INSERTs
 *            (bench/multi-row-insert.ts) instead of one statement per row
 *
 * Each layout runs in its own process (its peak RSS is its own). For `append` the bench also
 * measures the rebuild on open: after a clean close, and after the writer was killed with SIGKILL
 * (no close, no checkpoint: SQLite replays the WAL, then the scan rebuilds the index) — the recovery
 * time of a crash.
 *
 *   node dist/bench/sqlite-floor.js [--rows 1M] [--layouts schema1,schema2,append] [--dir DIR] [--no-kill]
 *
 * Keys: bill numbers ascending per carrier (as carriers issue them), consignees random (a shipment
 * never arrives sorted by consignee).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { emptyHotState, loadHotState } from '../src/adapters/store/sqlite/append-layout/load-hot-state.js';
import { APPEND_STATE_SQL } from '../src/adapters/store/sqlite/append-layout/schema.js';
import { keyHash52 } from '../src/adapters/store/sqlite/key-hash.js';
import { parseSize } from './harness/options.js';
import { MultiRowInsert } from './multi-row-insert.js';

const BATCH = 10_000;
const DAY = '2025-06-10';
const DATA = 'x'.repeat(180); // a bill row's packed data is ~150–250 bytes

type Layout = 'schema1' | 'schema2' | 'append' | 'append-multirow';
const LAYOUTS: readonly Layout[] = ['schema1', 'schema2', 'append', 'append-multirow'];
const isAppend = (l: Layout): boolean => l === 'append' || l === 'append-multirow';

const consignee = (i: number): string =>
  `na|PERSON ${(i * 7919) % 900_000}|${i % 977} MAIN ST|CITY ${i % 311}|ST|${10_000 + (i % 89_999)}|US`;
const billKey = (i: number): string => `CARR/CARR${String(i).padStart(10, '0')}`;

const rssMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

function open(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384'); // the store's 16 MiB
  db.pragma('wal_autocheckpoint = 16384');
  return db;
}

/** Returns the per-row writer of a layout. */
function writer(
  layout: Layout,
  db: Database.Database,
): { write: (i: number) => void; endBatch?: () => void; indexBytes: () => number } {
  if (layout === 'schema1') {
    db.exec(`CREATE TABLE bills (key TEXT PRIMARY KEY, ck TEXT, day TEXT, counted INTEGER NOT NULL, accepted_seq INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE INDEX bills_person_day ON bills (ck, day, accepted_seq) WHERE counted = 1;
      CREATE TABLE person_days (day TEXT NOT NULL, ck TEXT NOT NULL, total INTEGER NOT NULL, bills INTEGER NOT NULL,
        ever_exceeded INTEGER NOT NULL, PRIMARY KEY (day, ck)) WITHOUT ROWID;`);
    const bill = db.prepare(
      'INSERT INTO bills (key, ck, day, counted, accepted_seq, data) VALUES (?, ?, ?, 1, ?, ?)',
    );
    const pd = db.prepare(
      `INSERT INTO person_days (day, ck, total, bills, ever_exceeded) VALUES (?, ?, ?, 1, 0)
       ON CONFLICT (day, ck) DO UPDATE SET total = excluded.total, bills = person_days.bills + 1`,
    );
    return {
      write: (i) => {
        const ck = consignee(i);
        pd.run(DAY, ck, 100);
        bill.run(billKey(i), ck, DAY, i, DATA);
      },
      indexBytes: () => 0,
    };
  }
  if (layout === 'schema2') {
    db.exec(`CREATE TABLE bills (key TEXT PRIMARY KEY, ck TEXT, day TEXT, counted INTEGER NOT NULL, accepted_seq INTEGER NOT NULL, data TEXT NOT NULL, pd INTEGER);
      CREATE INDEX bills_members ON bills (pd, accepted_seq) WHERE counted = 1;
      CREATE TABLE person_days (id INTEGER PRIMARY KEY, h INTEGER NOT NULL, day TEXT NOT NULL, ck TEXT NOT NULL,
        total INTEGER NOT NULL, bills INTEGER NOT NULL, ever_exceeded INTEGER NOT NULL);
      CREATE INDEX person_days_hash ON person_days (h);`);
    const bill = db.prepare(
      'INSERT INTO bills (key, ck, day, counted, accepted_seq, data, pd) VALUES (?, ?, ?, 1, ?, ?, ?)',
    );
    const pd = db.prepare(
      'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded) VALUES (?, ?, ?, ?, 1, 0)',
    );
    return {
      write: (i) => {
        const ck = consignee(i);
        const id = pd.run(keyHash52(`${DAY}\u0000${ck}`), DAY, ck, 100).lastInsertRowid;
        bill.run(billKey(i), ck, DAY, i, DATA, id);
      },
      indexBytes: () => 0,
    };
  }
  if (layout === 'append-multirow') return multiRowAppendWriter(db);
  // append: the same work the schema 3 store does per new shipment — hash both keys, probe both
  // in-memory indexes (a hit on a person-day re-reads its row to compare the real key, as the store
  // does), append both rows, index them and set their hot state.
  db.exec(APPEND_STATE_SQL);
  const state = emptyHotState();
  const { personDays, bills, members } = state;
  const pdKeyOf = db.prepare<[number], { day: string; ck: string }>(
    'SELECT day, ck FROM person_days WHERE id = ?',
  );
  const billKeyOf = db.prepare<[number], { key: string }>('SELECT key FROM bills WHERE id = ?');
  const insertPd = db.prepare(
    'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded) VALUES (?, ?, ?, ?, 1, 0)',
  );
  const updatePd = db.prepare('UPDATE person_days SET total = ?, bills = ? WHERE id = ?');
  const insertBill = db.prepare(
    'INSERT INTO bills (h, key, ck, day, counted, accepted_seq, pd, cents, ver, data) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)',
  );
  return {
    write: (i) => {
      const ck = consignee(i);
      const h = keyHash52(`${DAY}\u0000${ck}`);
      let pd = personDays.index.find(h, (row) => {
        const k = pdKeyOf.get(row);
        return k?.day === DAY && k.ck === ck;
      });
      if (pd === 0) {
        pd = Number(insertPd.run(h, DAY, ck, 100).lastInsertRowid);
        personDays.index.insert(h, pd);
        personDays.totalCents.set(pd, 100);
        personDays.bills.set(pd, 1);
      } else {
        const total = personDays.totalCents.get(pd) + 100;
        const n = personDays.bills.get(pd) + 1;
        updatePd.run(total, n, pd);
        personDays.totalCents.set(pd, total);
        personDays.bills.set(pd, n);
      }
      const key = billKey(i);
      const bh = keyHash52(key);
      if (bills.index.find(bh, (row) => billKeyOf.get(row)?.key === key) !== 0)
        throw new Error(`bench bill ${key} written twice`);
      const row = Number(insertBill.run(bh, key, ck, DAY, i, pd, 100, i >>> 0, DATA).lastInsertRowid);
      bills.index.insert(bh, row);
      members.link(pd, row);
    },
    indexBytes: () => personDays.bytes + bills.bytes,
  };
}

/** The append layout's work per shipment with the rows collected and written 64 to a statement. */
function multiRowAppendWriter(db: Database.Database): {
  write: (i: number) => void;
  endBatch: () => void;
  indexBytes: () => number;
} {
  db.exec(APPEND_STATE_SQL);
  const state = emptyHotState();
  const { personDays, bills, members } = state;
  const pdKeyOf = db.prepare<[number], { day: string; ck: string }>(
    'SELECT day, ck FROM person_days WHERE id = ?',
  );
  const billKeyOf = db.prepare<[number], { key: string }>('SELECT key FROM bills WHERE id = ?');
  const pdRows = new MultiRowInsert(
    db,
    'INSERT INTO person_days (id, h, day, ck, total, bills, ever_exceeded)',
    7,
    'ON CONFLICT (id) DO UPDATE SET total = excluded.total, bills = excluded.bills',
  );
  const billRows = new MultiRowInsert(
    db,
    'INSERT INTO bills (id, h, key, ck, day, counted, accepted_seq, pd, cents, ver, data)',
    11,
  );
  let nextPd = 1;
  let nextBill = 1;
  // Rows of this transaction not written yet: a probe that lands on one compares with what is pending.
  const pendingPd = new Map<number, string>();
  return {
    write: (i) => {
      const ck = consignee(i);
      const h = keyHash52(`${DAY}\u0000${ck}`);
      let pd = personDays.index.find(h, (row) => {
        const pending = pendingPd.get(row);
        if (pending !== undefined) return pending === ck;
        const k = pdKeyOf.get(row);
        return k?.day === DAY && k.ck === ck;
      });
      if (pd === 0) {
        pd = nextPd++;
        personDays.index.insert(h, pd);
        pendingPd.set(pd, ck);
        personDays.totalCents.set(pd, 100);
        personDays.bills.set(pd, 1);
      } else {
        personDays.totalCents.set(pd, personDays.totalCents.get(pd) + 100);
        personDays.bills.set(pd, personDays.bills.get(pd) + 1);
      }
      pdRows.add(pd, h, DAY, ck, personDays.totalCents.get(pd), personDays.bills.get(pd), 0);
      const key = billKey(i);
      const bh = keyHash52(key);
      if (
        bills.index.find(
          bh,
          (row) => row < nextBill - billRows.pending && billKeyOf.get(row)?.key === key,
        ) !== 0
      )
        throw new Error(`bench bill ${key} written twice`);
      const row = nextBill++;
      billRows.add(row, bh, key, ck, DAY, 1, i, pd, 100, i >>> 0, DATA);
      bills.index.insert(bh, row);
      members.link(pd, row);
    },
    endBatch: () => {
      pdRows.flush();
      billRows.flush();
      pendingPd.clear();
    },
    indexBytes: () => personDays.bytes + bills.bytes,
  };
}

interface WriteResult {
  layout: Layout;
  rows: number;
  seconds: number;
  perSecond: number;
  maxRssMB: number;
  indexMB?: number;
}

function write(layout: Layout, rows: number, path: string, kill: boolean): WriteResult {
  const db = open(path);
  const w = writer(layout, db);
  const started = performance.now();
  for (let first = 0; first < rows; first += BATCH) {
    const last = Math.min(rows, first + BATCH);
    db.transaction(() => {
      for (let i = first; i < last; i++) w.write(i);
      w.endBatch?.();
    }).immediate();
  }
  const seconds = (performance.now() - started) / 1000;
  const result: WriteResult = {
    layout,
    rows,
    seconds: Number(seconds.toFixed(2)),
    perSecond: Math.round(rows / seconds),
    maxRssMB: rssMB(),
    ...(isAppend(layout) ? { indexMB: Math.round(w.indexBytes() / 2 ** 20) } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // A crash: no close, no checkpoint; the last COMMIT is in the WAL only.
  if (kill) process.kill(process.pid, 'SIGKILL');
  db.close();
  return result;
}

/** Opening a schema 3 file: SQLite's own open (WAL recovery after a crash) and the hot-state scan. */
function rebuild(layout: Layout, path: string, after: string): void {
  const started = performance.now();
  const db = open(path);
  db.prepare('SELECT count(*) FROM person_days').get(); // forces WAL recovery before the scan
  const opened = performance.now();
  const state = loadHotState(db);
  const done = performance.now();
  db.close();
  process.stdout.write(
    `${JSON.stringify({
      layout,
      rebuildAfter: after,
      personDays: state.personDays.index.size,
      bills: state.bills.index.size,
      openSeconds: Number(((opened - started) / 1000).toFixed(2)),
      scanSeconds: Number(((done - opened) / 1000).toFixed(2)),
      indexMB: Math.round((state.personDays.bytes + state.bills.bytes) / 2 ** 20),
      maxRssMB: rssMB(),
    })}\n`,
  );
}

function child(args: string[]): void {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 && r.signal !== 'SIGKILL')
    throw new Error(`child ${args.join(' ')} failed: ${r.status ?? r.signal}`);
}

function main(): void {
  const args = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const role = get('--role');
  const path = get('--path');
  if (role === 'write' && path !== undefined) {
    write(get('--layout') as Layout, parseSize(get('--rows') ?? '1M'), path, args.includes('--kill'));
    return;
  }
  if (role === 'rebuild' && path !== undefined) {
    rebuild((get('--layout') as Layout | undefined) ?? 'append', path, get('--after') ?? 'close');
    return;
  }
  const rows = get('--rows') ?? '1M';
  const layouts = (get('--layouts') ?? LAYOUTS.join(',')).split(',') as Layout[];
  for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`unknown layout ${l}`);
  const dir = mkdtempSync(join(get('--dir') ?? tmpdir(), 's321-sqlite-floor-'));
  try {
    for (const layout of layouts) {
      const db = join(dir, `${layout}.db`);
      child(['--role', 'write', '--layout', layout, '--rows', rows, '--path', db]);
      if (!isAppend(layout)) continue;
      child(['--role', 'rebuild', '--layout', layout, '--path', db, '--after', 'close']);
      if (args.includes('--no-kill')) continue;
      const crashed = join(dir, `${layout}-killed.db`);
      child(['--role', 'write', '--layout', layout, '--rows', rows, '--path', crashed, '--kill']);
      child(['--role', 'rebuild', '--layout', layout, '--path', crashed, '--after', 'SIGKILL']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
