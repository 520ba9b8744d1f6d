/** File moves and reads of the drop folder, kept small and explicit. */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Moves `src` into `dir` under the first candidate name that does not exist yet, and returns the
 * new path. Node has no renameat2(RENAME_NOREPLACE), so this is link() (which fails with EEXIST
 * instead of replacing) + unlink(): a resend of "invoice.edi" never overwrites an earlier one.
 * All drop-folder dirs must be on one filesystem (EXDEV otherwise).
 */
export async function moveNoClobber(
  src: string | Buffer,
  dir: string,
  candidates: readonly string[],
): Promise<string> {
  for (const name of candidates) {
    const dest = join(dir, name);
    try {
      await link(src, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    await unlink(src);
    return dest;
  }
  throw new Error(`no free name in ${dir} among ${candidates.length} candidates`);
}

/**
 * Claims by rename: of two processes renaming the same inbox entry, exactly one succeeds and the
 * other gets ENOENT. The target name is unique per claim, so a claim never replaces another one.
 */
export async function claimByRename(src: string | Buffer, dest: string): Promise<boolean> {
  try {
    await rename(src, dest);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export interface HashedFile {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/** SHA-256 of a regular file, read without following a symlink; also its size after reading. */
export async function hashFile(path: string): Promise<HashedFile> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(256 * 1024);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
    const st = await fh.stat();
    return { sha256: hash.digest('hex'), size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/** Writes a file atomically: a dot-named temp (ignored by pollers) renamed into place. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, data, { mode: 0o640, flag: 'wx' });
  await rename(tmp, path);
}

export async function ensureDirs(dirs: readonly string[]): Promise<void> {
  for (const d of dirs) await mkdir(d, { recursive: true, mode: 0o750 });
}
