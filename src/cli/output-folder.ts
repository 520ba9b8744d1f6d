/**
 * Checks, before a run starts, that an output folder given on the command line can be written —
 * without creating it (the run creates its folders once its inputs are known). The nearest existing
 * folder on the path is probed by creating and removing an empty folder in it, so a read-only file
 * system, missing permission or a place where nothing can be created is reported as such, naming
 * the option and the folder, instead of a later ENOENT from deep inside the run.
 */
import { existsSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RefusedArgumentError } from './exit-codes.js';

const WHY: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  ENOENT: 'nothing can be created there',
  ENOSPC: 'the disk is full',
};

export function refuseUnwritableFolder(path: string, option: string): void {
  let dir = resolve(path);
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (!statSync(dir).isDirectory())
    throw new RefusedArgumentError(`cannot write to ${option} ${path}: ${dir} is a file, not a folder`);
  try {
    rmdirSync(mkdtempSync(join(dir, '.s321-write-probe-')));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    const where = dir === resolve(path) ? dir : `${dir} (where it would be created)`;
    throw new RefusedArgumentError(`cannot write to ${option} ${path}: ${where}: ${WHY[code] ?? code}`);
  }
}
