/**
 * Expands the CLI's files and folders into a sorted list of input files (sorted so a replay's
 * processing order — and so its decisions — are the same on every machine). Dot-files, partial
 * uploads (*.part, *.tmp) and symbolic links are skipped and reported.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface InputFile {
  path: string;
  /** Name used in issues and outputs: relative to the folder given, or the file's own name. */
  name: string;
}

export interface InputListing {
  files: InputFile[];
  skipped: Array<{ path: string; reason: string }>;
}

const SKIP = /^\.|\.(part|tmp)$/i;
/** Expectation and documentation files that live beside fixtures are not inputs. */
const NOT_INPUT = /\.(json|jsonl|md|txt\.expected)$/i;

export async function listInputs(targets: string[]): Promise<InputListing> {
  const out: InputListing = { files: [], skipped: [] };
  for (const target of targets) {
    const info = await lstat(target);
    if (info.isSymbolicLink()) {
      out.skipped.push({ path: target, reason: 'symbolic link' });
    } else if (info.isDirectory()) {
      await walk(target, target, out);
    } else if (info.isFile()) {
      out.files.push({ path: target, name: target.split('/').pop() ?? target });
    }
  }
  return out;
}

async function walk(root: string, dir: string, out: InputListing): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (SKIP.test(entry.name)) {
      out.skipped.push({ path, reason: 'hidden or partial upload' });
    } else if (entry.isFile() && NOT_INPUT.test(entry.name)) {
      out.skipped.push({ path, reason: 'not an input (expectation or documentation file)' });
    } else if (entry.isSymbolicLink()) {
      out.skipped.push({ path, reason: 'symbolic link' });
    } else if (entry.isDirectory()) {
      await walk(root, path, out);
    } else if (entry.isFile()) {
      out.files.push({ path, name: relative(root, path) });
    }
  }
}
