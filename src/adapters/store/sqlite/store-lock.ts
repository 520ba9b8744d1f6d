/**
 * One process owns an embedded store at a time. Two replays on one database at once each loaded the
 * store's key filters at start and emitted the same pending decisions: decisions went out twice
 * under different control numbers, and person-days were inserted twice, losing crossings.
 *
 * The lock is SQLite's own write lock on a small sidecar database (`<db>-lock`, beside SQLite's own -wal and -shm), held by a write
 * transaction left open for the owner's lifetime: the operating system releases it when the owner
 * exits, however it exits (kill -9 included), so there is no stale lock to clean up and no timeout
 * to guess. The sidecar runs in WAL mode, where readers are not blocked by the open writer, so a
 * second process can read who holds it and say so. The main database is not locked this way:
 * read-only commands (`s321 report`) still read it while a replay runs.
 */

import { hostname } from 'node:os';
import Database from 'better-sqlite3';

/** Who holds a store (written by the holder, read by whoever is refused). */
export interface StoreHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export class StoreInUseError extends Error {
  /** The CLI exits with this code: the run did not start, nothing was read or written. */
  readonly exitCode = 2;
  constructor(
    readonly dbPath: string,
    readonly holder: StoreHolder | undefined,
  ) {
    super(
      `database ${dbPath} is in use by another s321 process${
        holder === undefined
          ? ''
          : ` (pid ${holder.pid} on ${holder.host}, since ${holder.since}: ${holder.command})`
      }; wait for it to finish or use another --db (lock: ${lockPathOf(dbPath)})`,
    );
    this.name = 'StoreInUseError';
  }
}

export interface StoreLock {
  readonly path: string;
  release(): void;
}

export const lockPathOf = (dbPath: string): string => `${dbPath}-lock`;

const isBusy = (err: unknown): boolean =>
  typeof (err as { code?: unknown }).code === 'string' &&
  ((err as { code: string }).code.startsWith('SQLITE_BUSY') ||
    (err as { code: string }).code.startsWith('SQLITE_LOCKED'));

/** Takes the store's lock or throws StoreInUseError naming the holder; never waits. */
export function lockStore(dbPath: string, command = describeCommand()): StoreLock {
  const path = lockPathOf(dbPath);
  const db = new Database(path, { timeout: 0 });
  const refuse = (): never => {
    const holder = readHolder(db);
    db.close();
    throw new StoreInUseError(dbPath, holder);
  };
  try {
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    throw err;
  }
  const holder: StoreHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command,
  };
  db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)');
  db.prepare('INSERT OR REPLACE INTO holder (id, json) VALUES (1, ?)').run(JSON.stringify(holder));
  db.exec('COMMIT');
  // Hold the write lock from here on. Another process may have taken it between COMMIT and here: it
  // then holds the store and has written its own name, and this one is refused like any other.
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if (isBusy(err)) refuse();
    db.close();
    throw err;
  }
  let released = false;
  return {
    path,
    release: () => {
      if (released) return;
      released = true;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function readHolder(db: Database.Database): StoreHolder | undefined {
  try {
    const row = db.prepare<[], { json: string }>('SELECT json FROM holder WHERE id = 1').get();
    return row === undefined ? undefined : (JSON.parse(row.json) as StoreHolder);
  } catch {
    return undefined; // the holder has not written its name yet (its first transaction is open)
  }
}

function describeCommand(): string {
  const args = process.argv.slice(2);
  return `s321 ${args.join(' ')}`.slice(0, 200);
}
