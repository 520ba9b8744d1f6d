/**
 * The write floor of the embedded store: what better-sqlite3 alone needs to persist one bill row and
 * one person-day row per shipment (the minimum the decision state needs), 10k shipments per
 * transaction, with the store's pragmas — nothing else runs. Two layouts:
 *   schema1  person-days keyed by (day, consignee key) and bills indexed by (consignee key, day, seq):
 *            long random keys, every insert lands on a random B-tree page
 *   schema2  person-days appended by rowid and found by a 52-bit key hash, bills indexed by their
 *            person-day's rowid (what src/adapters/store/sqlite uses)
 *
 *   node dist/bench/sqlite-floor.js [--rows 1M] [--layouts schema1,schema2] [--dir DIR]
 *
 * Keys: bill numbers ascending per carrier (as carriers issue them), consignees random (a shipment
 * never arrives sorted by consignee).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyHash52 } from '../src/adapters/store/sqlite/key-filter.js';
import { parseSize } from './harness/options.js';

const BATCH = 10_000;
const DAY = '2025-06-10';
const DATA = 'x'.repeat(180); // a bill row's packed data is ~150–250 bytes

type Layout = 'schema1' | 'schema2';

const consignee = (i: number): string =>
  `na|PERSON ${(i * 7919) % 900_000}|${i % 977} MAIN ST|CITY ${i % 311}|ST|${10_000 + (i % 89_999)}|US`;
const billKey = (i: number): string => `CARR/CARR${String(i).padStart(10, '0')}`;

function run(
  layout: Layout,
  rows: number,
  dir: string,
): { layout: Layout; rows: number; seconds: number; perSecond: number } {
  const path = join(dir, `${layout}.db`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -32768');
  db.pragma('wal_autocheckpoint = 16384');
  let write: (i: number) => void;
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
    write = (i) => {
      const ck = consignee(i);
      pd.run(DAY, ck, 100);
      bill.run(billKey(i), ck, DAY, i, DATA);
    };
  } else {
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
    write = (i) => {
      const ck = consignee(i);
      const id = pd.run(keyHash52(`${DAY}\u0000${ck}`), DAY, ck, 100).lastInsertRowid;
      bill.run(billKey(i), ck, DAY, i, DATA, id);
    };
  }
  const started = performance.now();
  for (let first = 0; first < rows; first += BATCH) {
    const last = Math.min(rows, first + BATCH);
    db.transaction(() => {
      for (let i = first; i < last; i++) write(i);
    }).immediate();
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { layout, rows, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(rows / seconds) };
}

function main(): void {
  const args = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const rows = parseSize(get('--rows') ?? '1M');
  const layouts = (get('--layouts') ?? 'schema1,schema2').split(',') as Layout[];
  const dir = mkdtempSync(join(get('--dir') ?? tmpdir(), 's321-sqlite-floor-'));
  try {
    for (const layout of layouts) {
      const r = run(layout, rows, dir);
      process.stdout.write(`${JSON.stringify(r)}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
