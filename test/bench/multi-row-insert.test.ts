/**
 * bench/multi-row-insert.ts (the `append-multirow` layout of bench:sqlite-floor): rows collected and
 * written 64 to a statement land in the table in the order they were added, whatever the count
 * (full statements and a remainder), an upsert tail updates rows that exist, and `clear` drops
 * what was not written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MultiRowInsert, ROWS_PER_STATEMENT } from '../../bench/multi-row-insert.js';

let dir: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's321-multirow-'));
  db = new Database(join(dir, 't.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER NOT NULL)');
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (): Array<{ id: number; name: string; n: number }> =>
  db.prepare<[], { id: number; name: string; n: number }>('SELECT id, name, n FROM t ORDER BY id').all();

describe('MultiRowInsert', () => {
  it('writes every row in order across full statements and a remainder', () => {
    const insert = new MultiRowInsert(db, 'INSERT INTO t (name, n)', 2);
    const count = ROWS_PER_STATEMENT * 5 + 7; // past the automatic flush and a partial statement
    for (let i = 0; i < count; i++) insert.add(`r${i}`, i);
    insert.flush();
    const written = rows();
    expect(written).toHaveLength(count);
    written.forEach((r, i) => {
      expect(r).toEqual({ id: i + 1, name: `r${i}`, n: i });
    });
    expect(insert.pending).toBe(0);
  });

  it('updates rows that exist through its upsert tail', () => {
    const upsert = new MultiRowInsert(
      db,
      'INSERT INTO t (id, name, n)',
      3,
      'ON CONFLICT (id) DO UPDATE SET n = excluded.n',
    );
    upsert.add(1, 'a', 1);
    upsert.add(2, 'b', 2);
    upsert.flush();
    upsert.add(2, 'ignored', 20);
    upsert.add(3, 'c', 3);
    upsert.flush();
    expect(rows()).toEqual([
      { id: 1, name: 'a', n: 1 },
      { id: 2, name: 'b', n: 20 },
      { id: 3, name: 'c', n: 3 },
    ]);
  });

  it('drops unwritten rows on clear and refuses a row of the wrong width', () => {
    const insert = new MultiRowInsert(db, 'INSERT INTO t (name, n)', 2);
    insert.add('x', 1);
    insert.clear();
    insert.flush();
    expect(rows()).toEqual([]);
    expect(() => insert.add('only one value')).toThrow(/a row of 1 values, expected 2/);
  });
});
