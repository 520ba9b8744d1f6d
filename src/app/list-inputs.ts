/**
 * Expands the CLI's files and folders into a sorted list of input files (sorted so a replay's
 * processing order — and so its decisions — are the same on every machine). Every path is
 * accounted for: read, or skipped with its reason.
 *
 * In folders: dot-files, partial uploads (*.part, *.tmp), expectation and documentation files,
 * symbolic links (not followed: a link in a drop folder can point anywhere), anything that is not a
 * regular file (FIFO, socket, device) and the run's own database and outputs are skipped and
 * reported. A path named on the command line is read if it is (or links to) a regular file;
 * otherwise — missing, a FIFO, the run's own output — it is refused (InputPathError), before
 * anything is created.
 */

import type { Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';

export interface InputFile {
  path: string;
  /** Name used in issues and outputs: relative to the folder given, or the file's own name. */
  name: string;
}

export interface InputListing {
  files: InputFile[];
  skipped: Array<{ path: string; reason: string }>;
}

/** The run's own database (with its -wal/-shm/-lock siblings) and output folder: never inputs. */
export interface ListOptions {
  ownDatabase?: string;
  ownOutput?: string;
}

/** Paths named on the command line that cannot be read; the CLI exits 2 with this one message. */
export class InputPathError extends Error {
  readonly exitCode = 2;
  constructor(readonly refused: ReadonlyArray<{ path: string; reason: string }>) {
    super(refused.map((r) => `input ${r.path}: ${r.reason}`).join('\n'));
    this.name = 'InputPathError';
  }
}

const HIDDEN = /^\./;
const PARTIAL = /\.(part|tmp)$/i;
/** Expectation and documentation files that live beside fixtures are not inputs. */
const NOT_INPUT = /\.(json|jsonl|md|txt\.expected)$/i;

export async function listInputs(targets: string[], options: ListOptions = {}): Promise<InputListing> {
  const out: InputListing = { files: [], skipped: [] };
  const refused: Array<{ path: string; reason: string }> = [];
  const own = ownPaths(options);
  for (const target of targets) {
    let info: Stats;
    try {
      info = await stat(target); // a link named explicitly is followed: the user chose it
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      refused.push({
        path: target,
        reason:
          code === 'ENOENT'
            ? (await isDanglingLink(target))
              ? 'symbolic link to nothing'
              : 'no such file or folder'
            : code === 'EACCES'
              ? 'permission denied'
              : `cannot be read (${code ?? String(err)})`,
      });
      continue;
    }
    if (own(target) !== undefined) {
      refused.push({ path: target, reason: `${own(target)}, not an input` });
    } else if (info.isDirectory()) {
      await walk(target, target, out, own);
    } else if (info.isFile()) {
      out.files.push({ path: target, name: basename(target) });
    } else {
      refused.push({ path: target, reason: `not a regular file (${kindOf(info)})` });
    }
  }
  if (refused.length > 0) throw new InputPathError(refused);
  return out;
}

async function isDanglingLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a file';
}

/** What a path is when it is one of the run's own files, else undefined. */
function ownPaths(options: ListOptions): (path: string) => string | undefined {
  const db = options.ownDatabase !== undefined ? resolve(options.ownDatabase) : undefined;
  const outDir = options.ownOutput !== undefined ? resolve(options.ownOutput) : undefined;
  return (path) => {
    const abs = resolve(path);
    if (outDir !== undefined && (abs === outDir || abs.startsWith(outDir + sep)))
      return `this run's own output folder (--out ${options.ownOutput})`;
    // The database and its siblings: rollback journal, WAL, shared memory, the lock (`-lock`).
    if (db !== undefined && (abs === db || abs.startsWith(`${db}-`)))
      return `this run's own database (--db ${options.ownDatabase})`;
    return undefined;
  };
}

async function walk(
  root: string,
  dir: string,
  out: InputListing,
  own: (path: string) => string | undefined,
): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const ownReason = own(path);
    if (ownReason !== undefined) out.skipped.push({ path, reason: ownReason });
    else if (HIDDEN.test(entry.name)) out.skipped.push({ path, reason: 'hidden (dot) file' });
    else if (PARTIAL.test(entry.name)) out.skipped.push({ path, reason: 'partial upload (.part/.tmp)' });
    else if (entry.isSymbolicLink())
      out.skipped.push({ path, reason: 'symbolic link (not followed in folders)' });
    else if (entry.isDirectory()) await walk(root, path, out, own);
    else if (entry.isFile() && NOT_INPUT.test(entry.name))
      out.skipped.push({ path, reason: 'not an input (expectation or documentation file)' });
    else if (entry.isFile()) out.files.push({ path, name: relative(root, path) });
    else out.skipped.push({ path, reason: `not a regular file (${kindOfEntry(entry)})` });
  }
}

function kindOfEntry(entry: { isFIFO(): boolean; isSocket(): boolean }): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}
