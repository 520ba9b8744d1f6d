import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { QueueUnavailableError } from '../../src/adapters/queue/producer-errors.js';
import { isUnrecoverable } from '../../src/app/queue/dead-lettering.js';
import { BadJobDataError } from '../../src/app/queue/job-data.js';
import { mergeCodeTables } from '../../src/core/errors/merge.js';
import { CODES, codeSpec, registryCodeOf } from '../../src/core/errors/registry.js';
import { renderErrorDocs } from '../../src/core/errors/render-docs.js';
import { defineCodes } from '../../src/core/errors/spec.js';

const docs = () => readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const codesInDocs = (text: string) => [...text.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);

function sourceFiles(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

describe('error code registry', () => {
  it('docs/errors.md lists exactly the registry (run `npm run docs:errors` after adding a code)', () => {
    expect(docs()).toBe(renderErrorDocs());
  });

  it('docs and registry agree both ways: every documented code is registered and every registered code documented', () => {
    const documented = codesInDocs(docs());
    expect(documented.filter((c) => c === undefined || !(c in CODES))).toEqual([]);
    expect(Object.keys(CODES).filter((c) => !documented.includes(c))).toEqual([]);
    // The comparison itself can fail: a code missing from the docs is found.
    const withoutOne = docs().replace(/^\| `INTAKE_TOO_LARGE` \|.*\n/m, '');
    expect(Object.keys(CODES).filter((c) => !codesInDocs(withoutOne).includes(c))).toEqual([
      'INTAKE_TOO_LARGE',
    ]);
  });

  it('a code declared in two tables is refused, naming both tables (no silent override)', () => {
    const spec = {
      stage: 'intake',
      severity: 'error',
      retryable: false,
      summary: 'planted for the test',
    } as const;
    const first = defineCodes({ INTAKE_PLANTED: spec });
    const second = defineCodes({ X12_OTHER: spec, INTAKE_PLANTED: { ...spec, retryable: true } });
    expect(() => mergeCodeTables({ FIRST_CODES: first, SECOND_CODES: second })).toThrow(
      'error code INTAKE_PLANTED is declared twice: in FIRST_CODES and in SECOND_CODES',
    );
    expect(Object.keys(mergeCodeTables({ FIRST_CODES: first, OTHER: { X12_OTHER: spec } }))).toEqual([
      'INTAKE_PLANTED',
      'X12_OTHER',
    ]);
  });

  it('codes are namespaced by area and every spec is complete', () => {
    for (const [code, spec] of Object.entries(CODES)) {
      expect(code).toMatch(
        /^(CONFIG|INTAKE|X12|EDIFACT|NORMALIZE|PIPELINE|GENERATE|ACK|QUEUE|INBOX|PRODUCER|SFTP|STORE)_[A-Z0-9_]+$/,
      );
      expect(spec.summary.length).toBeGreaterThan(10);
    }
  });

  it('one code for an oversized input wherever it arrives (no synonyms)', () => {
    expect(
      Object.keys(CODES).filter((c) => /TOO_LARGE$/.test(c) && c !== 'PIPELINE_INTERCHANGE_TOO_LARGE'),
    ).toEqual(['INTAKE_TOO_LARGE']);
  });

  it("every error class's `code` in src/ and every Lua script's error reply is a registered code", () => {
    const unregistered: string[] = [];
    for (const file of sourceFiles('src', '.ts')) {
      for (const [, code = ''] of readFileSync(file, 'utf8').matchAll(/readonly code = '([A-Z0-9_]+)'/g))
        if (!(code in CODES)) unregistered.push(`${file}: ${code}`);
    }
    const luaReplies: string[] = [];
    for (const file of sourceFiles('src/adapters/store/redis/lua', '.lua')) {
      for (const [, code = ''] of readFileSync(file, 'utf8').matchAll(/error_reply\('([A-Z0-9_]+)/g)) {
        luaReplies.push(code);
        if (!(code in CODES)) unregistered.push(`${file}: ${code}`);
      }
    }
    expect(luaReplies.length).toBeGreaterThanOrEqual(5);
    expect(unregistered).toEqual([]);
  });

  it('`retryable` decides whether a queue job is retried, whatever the error class', () => {
    expect(codeSpec('QUEUE_BAD_JOB_DATA').retryable).toBe(false);
    expect(isUnrecoverable(new BadJobDataError('bad'))).toBe(true);
    // Any error carrying a non-retryable registry code, not only known classes.
    expect(isUnrecoverable(Object.assign(new Error('refused'), { code: 'INTAKE_TOO_LARGE' }))).toBe(true);
    // A retryable code is retried.
    expect(codeSpec('PRODUCER_QUEUE_UNAVAILABLE').retryable).toBe(true);
    expect(isUnrecoverable(new QueueUnavailableError('down'))).toBe(false);
    // No registry code (a Node errno code is not one): retried, as before.
    expect(registryCodeOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(isUnrecoverable(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isUnrecoverable(new UnrecoverableError('bullmq says so'))).toBe(true);
  });
});
