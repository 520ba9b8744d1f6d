/**
 * Golden-file helper: compares produced text with fixtures/golden/** byte for byte; with
 * UPDATE_GOLDEN=1 it rewrites the expectation instead (review the diff before committing).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const GOLDEN_ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'golden');
export const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Case directories (those holding an input.json) under fixtures/golden/<group>/. */
export function goldenCases(group: string): Array<{ name: string; dir: string }> {
  const root = join(GOLDEN_ROOT, group);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, dir: join(root, name) }))
    .filter((c) => statSync(c.dir).isDirectory() && existsSync(join(c.dir, 'input.json')))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Node encoding of an output charset: latin1 for the ISO 8859-1 family, else UTF-8 (ASCII is a subset). */
export function nodeEncoding(charset: string): 'latin1' | 'utf8' {
  return charset.startsWith('iso-8859') ? 'latin1' : 'utf8';
}

export function matchGolden(path: string, actual: string, charset = 'utf-8'): void {
  const enc = nodeEncoding(charset);
  if (UPDATE) {
    writeFileSync(path, actual, enc);
    return;
  }
  expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, enc));
}
