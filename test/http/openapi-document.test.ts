/**
 * docs/openapi.json is the document the server serves at /v1/openapi.json, generated from the zod
 * models: this fails when the models change and the file was not regenerated
 * (`UPDATE_GOLDEN=1 npx vitest run test/http/openapi-document.test.ts`; review the diff).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/adapters/http/openapi.js';

const FILE = resolve(import.meta.dirname, '../../docs/openapi.json');

describe('docs/openapi.json', () => {
  it('is the generated OpenAPI 3.1 document', () => {
    const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
