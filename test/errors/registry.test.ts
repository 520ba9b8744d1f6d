import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/core/errors/registry.js';
import { renderErrorDocs } from '../../src/core/errors/render-docs.js';

describe('error code registry', () => {
  it('docs/errors.md lists exactly the registry (run `npm run docs:errors` after adding a code)', () => {
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(renderErrorDocs());
  });

  it('codes are namespaced by area and every spec is complete', () => {
    for (const [code, spec] of Object.entries(CODES)) {
      expect(code).toMatch(/^(INTAKE|X12|EDIFACT|NORMALIZE|PIPELINE|GENERATE|ACK|QUEUE|INBOX|PRODUCER|SFTP)_[A-Z0-9_]+$/);
      expect(spec.summary.length).toBeGreaterThan(10);
    }
  });
});
