/**
 * The two tables schema 7 relaid (docs/schema-7.md), measured alone on a replay's rows: the
 * decisions and outbound files of a store written by `s321 replay` (either schema) are written into
 * fresh files in the schema 6 layout, the schema 7 layout, and (decisions) two layouts tried and not
 * taken (ids found by their bill's key hash under an integer index, with and without a trigger
 * keeping them unique) and one with no id index at all,
 * with the store's pragmas, in transactions of ~2,000 decisions as the replay commits them; then
 * marked the way the emitter marks them (decisions emitted by id, files written by name).
 *
 *   node dist/bench/schema7-tables.js STORE.db [--runs 3] [--dir /tmp] [--cache-kib 16384] [--scale 1]
 *
 * Prints each layout's thread CPU ms (best of the runs) for: inserting the decisions, marking them
 * emitted by id, inserting the outbound files, marking them written by name, and the file size of
 * each table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keyHash52 } from '../src/adapters/store/sqlite/key-hash.js';
import { threadCpuMs } from '../src/app/thread-cpu.js';

const args = process.argv.slice(2);
const source = args[0];
if (source === undefined)
  throw new Error('usage: node dist/bench/schema7-tables.js STORE.db [--runs N] [--dir D]');
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] as string) : fallback;
};
const runs = Number(option('--runs', '3'));
const dir = option('--dir', '/tmp');
// The replay's page cache is 16 MiB for every table; a smaller one here stands for the share the
// decisions' index gets beside the bills and person-days written in the same transactions.
const cacheKib = Number(option('--cache-kib', '16384'));

// --scale N: the decisions N times over, each copy's bills renamed (a longer run's count of distinct ids).
const scale = Number(option('--scale', '1'));

const src = new Database(source, { readonly: true });
const once = src
  .prepare<[], { seq: number; id: string; json: string; bill: string }>(
    "SELECT seq, id, json, json_extract(json, '$.bill') AS bill FROM decisions ORDER BY seq",
  )
  .all();
const decisions = once.flatMap((d, i) =>
  Array.from({ length: scale }, (_, k) =>
    k === 0 ? d : { seq: once.length * k + i, id: `${k}~${d.id}`, json: d.json, bill: `${k}~${d.bill}` },
  ),
);
decisions.sort((a, b) => a.seq - b.seq);
const files = src
  .prepare<
    [],
    { name: string; recipient: string; channel: string; content: string; twin: string; decision_ids: string }
  >('SELECT name, recipient, channel, content, twin, decision_ids FROM outbound_files ORDER BY name')
  .all();
src.close();

const COMMIT = 2_000;

interface Layout {
  name: string;
  decisions?: {
    sql: string;
    insert: string;
    /** A second statement per decision, of its seq. */
    extra?: string;
    values: (d: (typeof decisions)[number]) => unknown[];
    mark: (db: Database.Database) => (id: string) => void;
  };
  files?: {
    sql: string;
    insert: (db: Database.Database) => (f: (typeof files)[number]) => void;
    mark: (db: Database.Database) => (name: string) => void;
  };
}

const layouts: Layout[] = [
  {
    name: 'schema 6',
    decisions: {
      sql: `CREATE TABLE decisions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, emitted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
        CREATE INDEX decisions_pending ON decisions (emitted, seq);`,
      insert: 'INSERT INTO decisions (seq, id, json) VALUES (?, ?, ?)',
      values: (d) => [d.seq, d.id, d.json],
      mark: (db) => {
        const s = db.prepare('UPDATE decisions SET emitted = 1 WHERE id = ? AND emitted = 0');
        return (id) => s.run(id);
      },
    },
    files: {
      sql: `CREATE TABLE outbound_files (name TEXT PRIMARY KEY, recipient TEXT NOT NULL, channel TEXT NOT NULL,
        content TEXT NOT NULL, twin TEXT NOT NULL, decision_ids TEXT NOT NULL, written INTEGER NOT NULL DEFAULT 0, day TEXT) WITHOUT ROWID;`,
      insert: (db) => {
        const s = db.prepare(
          'INSERT INTO outbound_files (name, recipient, channel, content, twin, decision_ids) VALUES (?, ?, ?, ?, ?, ?)',
        );
        return (f) => s.run(f.name, f.recipient, f.channel, f.content, f.twin, f.decision_ids);
      },
      mark: (db) => {
        const s = db.prepare('UPDATE outbound_files SET written = 1 WHERE name = ?');
        return (name) => s.run(name);
      },
    },
  },
  {
    name: 'schema 7',
    decisions: {
      sql: `CREATE TABLE decisions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
        CREATE TABLE decisions_pending (seq INTEGER PRIMARY KEY);`,
      insert: 'INSERT INTO decisions (seq, id, json) VALUES (?, ?, ?)',
      values: (d) => [d.seq, d.id, d.json],
      extra: 'INSERT INTO decisions_pending (seq) VALUES (?)',
      mark: (db) => {
        const s = db.prepare(
          'DELETE FROM decisions_pending WHERE seq = (SELECT seq FROM decisions WHERE id = ?)',
        );
        return (id) => s.run(id);
      },
    },
    files: {
      sql: `CREATE TABLE outbound_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,
        channel TEXT NOT NULL, day TEXT, decision_ids TEXT NOT NULL, content TEXT NOT NULL, twin TEXT NOT NULL);
        CREATE TABLE outbound_unwritten (id INTEGER PRIMARY KEY);`,
      insert: (db) => {
        const s = db.prepare(
          'INSERT INTO outbound_files (name, recipient, channel, content, twin, decision_ids) VALUES (?, ?, ?, ?, ?, ?)',
        );
        const u = db.prepare('INSERT INTO outbound_unwritten (id) VALUES (?)');
        return (f) =>
          u.run(s.run(f.name, f.recipient, f.channel, f.content, f.twin, f.decision_ids).lastInsertRowid);
      },
      mark: (db) => {
        const s = db.prepare(
          'DELETE FROM outbound_unwritten WHERE id = (SELECT id FROM outbound_files WHERE name = ?)',
        );
        return (name) => s.run(name);
      },
    },
  },
  {
    name: 'bill hash + trigger',
    decisions: {
      sql: `CREATE TABLE decisions (seq INTEGER PRIMARY KEY, bh INTEGER NOT NULL, id TEXT NOT NULL, emitted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
        CREATE INDEX decisions_bill ON decisions (bh);
        CREATE INDEX decisions_pending ON decisions (emitted, seq);
        CREATE TRIGGER decisions_id_once BEFORE INSERT ON decisions
          WHEN EXISTS (SELECT 1 FROM decisions WHERE bh = NEW.bh AND id = NEW.id)
          BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: decisions.id'); END;`,
      insert: 'INSERT INTO decisions (seq, bh, id, json) VALUES (?, ?, ?, ?)',
      values: (d) => [d.seq, keyHash52(d.bill), d.id, d.json],
      mark: (db) => {
        const s = db.prepare(
          'UPDATE decisions INDEXED BY decisions_bill SET emitted = 1 WHERE bh = ? AND id = ? AND emitted = 0',
        );
        // (The bill of an id without '|' in its bill key: the text before its first '|'.)
        return (id) => s.run(keyHash52(id.slice(0, id.indexOf('|'))), id);
      },
    },
  },
  {
    name: 'bill hash, unchecked',
    decisions: {
      sql: `CREATE TABLE decisions (seq INTEGER PRIMARY KEY, bh INTEGER NOT NULL, id TEXT NOT NULL, emitted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
        CREATE INDEX decisions_bill ON decisions (bh);
        CREATE INDEX decisions_pending ON decisions (emitted, seq);`,
      insert: 'INSERT INTO decisions (seq, bh, id, json) VALUES (?, ?, ?, ?)',
      values: (d) => [d.seq, keyHash52(d.bill), d.id, d.json],
      mark: () => () => {},
    },
  },
  {
    name: 'no id index',
    decisions: {
      sql: `CREATE TABLE decisions (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, emitted INTEGER NOT NULL DEFAULT 0, json TEXT NOT NULL);
        CREATE INDEX decisions_pending ON decisions (emitted, seq);`,
      insert: 'INSERT INTO decisions (seq, id, json) VALUES (?, ?, ?)',
      values: (d) => [d.seq, d.id, d.json],
      mark: () => () => {},
    },
  },
];

function timed(work: () => void): number {
  const start = threadCpuMs() ?? 0;
  work();
  return (threadCpuMs() ?? 0) - start;
}

const best = new Map<string, number>();
const keep = (key: string, ms: number): void => {
  best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ms));
};
const sizes = new Map<string, number>();
for (let r = 0; r < runs; r++) {
  for (const layout of layouts) {
    const scratch = mkdtempSync(join(dir, 's321-schema7-tables-'));
    const db = new Database(join(scratch, 's.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${cacheKib}`);
    db.pragma('wal_autocheckpoint = 16384');
    if (layout.decisions !== undefined) {
      const d = layout.decisions;
      db.exec(d.sql);
      const insert = db.prepare(d.insert);
      const extra = d.extra === undefined ? undefined : db.prepare(d.extra);
      keep(
        `${layout.name}: insert ${decisions.length} decisions`,
        timed(() => {
          for (let i = 0; i < decisions.length; i += COMMIT)
            db.transaction(() => {
              for (const row of decisions.slice(i, i + COMMIT)) {
                insert.run(...d.values(row));
                extra?.run(row.seq);
              }
            }).immediate();
        }),
      );
      const mark = d.mark(db);
      keep(
        `${layout.name}: mark ${decisions.length} decisions emitted by id`,
        timed(() => {
          db.transaction(() => {
            for (const row of decisions) mark(row.id);
          }).immediate();
        }),
      );
    }
    if (layout.files !== undefined) {
      const f = layout.files;
      db.exec(f.sql);
      const insert = f.insert(db);
      keep(
        `${layout.name}: insert ${files.length} outbound files`,
        timed(() => {
          db.transaction(() => {
            for (const file of files) insert(file);
          }).immediate();
        }),
      );
      const mark = f.mark(db);
      keep(
        `${layout.name}: mark ${files.length} outbound files written by name`,
        timed(() => {
          for (const file of files) db.transaction(() => mark(file.name)).immediate();
        }),
      );
    }
    if (r === 0)
      for (const row of db
        .prepare<[], { name: string; bytes: number }>(
          'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name',
        )
        .all())
        if (/decisions|outbound/.test(row.name)) sizes.set(`${layout.name}: ${row.name}`, row.bytes);
    db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
for (const [key, ms] of best) console.log(`${key}: ${ms} ms thread CPU (best of ${runs})`);
for (const [key, bytes] of sizes) console.log(`${key}: ${(bytes / 1e6).toFixed(2)} MB`);
