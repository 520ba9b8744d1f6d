/** Loads the fuzz seeds (shared corpus in place, fixtures' input.edi) and the regression inputs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SeedFile } from '../../src/testkit/fuzz/cases.js';
import { corpusFiles, isRegressionInput, type RegressionRecord } from '../../src/testkit/fuzz/seed-list.js';

export const ROOT = join(import.meta.dirname, '../..');
const CORPUS = join(ROOT, '../shared/corpus');
export const REGRESSIONS = join(ROOT, 'fixtures/fuzz-regressions');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

export function loadSeeds(): SeedFile[] {
  const seeds: SeedFile[] = [];
  for (const file of corpusFiles(readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8'))) {
    seeds.push({ name: `../shared/corpus/${file}`, bytes: readFileSync(join(CORPUS, file)) });
  }
  for (const path of walk(join(ROOT, 'fixtures')).sort()) {
    if (path.endsWith('/input.edi')) seeds.push({ name: relative(ROOT, path), bytes: readFileSync(path) });
  }
  return seeds;
}

export interface Regression {
  file: string;
  bytes: Uint8Array;
  record: RegressionRecord;
}

/** Every <hash>.bin (with its .json) at the top of fixtures/fuzz-regressions; open/ is not replayed. */
export function loadRegressions(): Regression[] {
  if (!existsSync(REGRESSIONS)) return [];
  return readdirSync(REGRESSIONS)
    .filter(isRegressionInput)
    .sort()
    .map((file) => ({
      file,
      bytes: readFileSync(join(REGRESSIONS, file)),
      record: JSON.parse(
        readFileSync(join(REGRESSIONS, file.replace(/\.bin$/, '.json')), 'utf8'),
      ) as RegressionRecord,
    }));
}

/** A full collection on demand (the fuzz memory property measures settled heap growth). */
export function forceGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
