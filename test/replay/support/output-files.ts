/**
 * What a replay wrote into its output folder, for the replay tests that compare two runs or a run
 * with golden files: the files' relative paths, the store's database files left out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Relative paths of every file under `dir` (none when it does not exist), sorted; no s321.db*. */
export function listOutputFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listOutputFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .filter((f) => f !== 's321.db' && !f.startsWith('s321.db-'))
    .sort();
}

/** The two folders hold the same files, byte for byte (each differing file named in the failure). */
export function expectSameOutputFiles(actual: string, expected: string): void {
  const files = listOutputFiles(expected);
  expect(listOutputFiles(actual)).toEqual(files);
  for (const f of files)
    expect(readFileSync(join(actual, f)).equals(readFileSync(join(expected, f))), f).toBe(true);
}
