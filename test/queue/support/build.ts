/**
 * Compiles the project (tsc, the same tsconfig as `npm run build`, and its asset copy) into a private folder for the
 * tests that run workers as separate processes. The folder sits under node_modules/.cache so the
 * compiled modules resolve the project's dependencies. tsc still emits when files elsewhere in the
 * repo do not typecheck; the build counts as usable when the modules the test needs exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** `name` gives each test file its own folder: test files run in parallel and must not share one. */
export function buildProject(name: string, needed: readonly string[]): string {
  const outDir = join(PROJECT_ROOT, 'node_modules', '.cache', `s321-queue-test-build-${name}`);
  mkdirSync(outDir, { recursive: true });
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', join(PROJECT_ROOT, 'tsconfig.json'), '--outDir', outDir, '--sourceMap', 'false'],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    },
  );
  // The rest of `npm run build`: the files the modules read beside themselves (Lua scripts).
  const assets = spawnSync(process.execPath, [join(outDir, 'scripts/copy-assets.js'), PROJECT_ROOT, outDir], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (assets.status !== 0) throw new Error(`copying the build's assets failed:\n${assets.stderr}`);
  const missing = needed.filter((m) => !existsSync(join(outDir, m)));
  if (missing.length > 0) {
    throw new Error(
      `build did not produce ${missing.join(', ')} (tsc exit ${run.status}):\n${(run.stdout ?? '').slice(0, 4000)}${run.stderr ?? ''}`,
    );
  }
  return outDir;
}
