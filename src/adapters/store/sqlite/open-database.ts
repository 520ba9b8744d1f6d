/**
 * Opens the SQLite state file with errors that say which file and why. better-sqlite3 only says
 * "unable to open database file" (SQLite's SQLITE_CANTOPEN), so the reason is found by looking at
 * the path: no such folder, not a folder, no write permission, or the path is a folder itself.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { APPEND_SCHEMA_VERSION } from './append-layout/schema.js';

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

/** Why `path` cannot be opened (or created, when `create`), in words; undefined when no reason is seen. */
export function whyNotOpenable(path: string, create: boolean): string | undefined {
  const file = resolve(path);
  if (existsSync(file)) {
    const stat = statSync(file);
    if (stat.isDirectory()) return 'it is a folder, not a database file';
    try {
      accessSync(file, create ? constants.R_OK | constants.W_OK : constants.R_OK);
    } catch {
      return create ? 'no permission to read and write it' : 'no permission to read it';
    }
    if (create) {
      try {
        accessSync(dirname(file), constants.W_OK);
      } catch {
        return `its folder ${dirname(file)} is not writable (SQLite writes its journal beside the file)`;
      }
    }
    return undefined;
  }
  if (!create) return 'no such file';
  const dir = dirname(file);
  if (!existsSync(dir)) return `the folder ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `the folder ${dir} is not writable`;
  }
  return undefined;
}

function openError(path: string, create: boolean, err: unknown): DatabaseOpenError {
  const why = whyNotOpenable(path, create) ?? (err instanceof Error ? err.message : String(err));
  return new DatabaseOpenError(`cannot open database ${path}: ${why}`, { cause: err });
}

/** The state file for reading and writing, created when missing. */
export function openDatabaseForWriting(path: string): Database.Database {
  const problem = whyNotOpenable(path, true);
  if (problem !== undefined) throw new DatabaseOpenError(`cannot open database ${path}: ${problem}`);
  try {
    return new Database(path);
  } catch (err) {
    throw openError(path, true, err);
  }
}

/**
 * An existing state file, read-only: a missing file is an error (never created), and nothing is
 * written, not even a migration — a file of another schema version is refused.
 */
export function openDatabaseReadOnly(path: string): Database.Database {
  const problem = whyNotOpenable(path, false);
  if (problem !== undefined) throw new DatabaseOpenError(`cannot open database ${path}: ${problem}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw openError(path, false, err);
  }
  let version: number | undefined;
  try {
    version = db.prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?').get('schema_version')?.v;
  } catch (err) {
    db.close();
    throw new DatabaseOpenError(
      `cannot read database ${path}: not an s321 state file (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  // The store's schema is the append layout's (the row schema's files are migrated by a replay).
  if (version !== APPEND_SCHEMA_VERSION) {
    db.close();
    throw new DatabaseOpenError(
      `cannot read database ${path}: schema ${version ?? 'unknown'}, this s321 reads schema ${APPEND_SCHEMA_VERSION}` +
        (version !== undefined && version < APPEND_SCHEMA_VERSION ? ' (a replay on it migrates it)' : ''),
    );
  }
  return db;
}
