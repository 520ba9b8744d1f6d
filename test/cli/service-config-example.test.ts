/**
 * config/service.example.json, the starting point the README points operators to, is a valid
 * service config: it loads through the same loader and schema as `s321 serve --config`, and each
 * section of the schema appears in it (so the example shows every setting there is).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ServiceConfigSchema } from '../../src/config/schema.js';

const EXAMPLE = resolve('config/service.example.json');

describe('config/service.example.json', () => {
  it('loads with the service config schema (strict: no unknown key), paths resolved under dataDir', async () => {
    const config = await loadConfig({
      file: EXAMPLE,
      env: { S321_REDIS_PASSWORD: 'example-secret', S321_ACME_KEY_PASSPHRASE: 'example-passphrase' },
    });
    expect(config.paths.inbox).toBe('/var/lib/s321/inbox');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.sftp.partners.map((p) => p.id)).toEqual(['ACME']);
    // A relative path is anchored at the config file's folder: the shipped rate table.
    expect(config.currency.rateTablePath).toBe(resolve('config/currency-rates.json'));
  });

  it('shows every top-level section of the schema', () => {
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const sections = Object.keys(ServiceConfigSchema.def.shape ?? {}).filter((k) => k !== 'paths');
    expect(sections.filter((k) => !(k in example))).toEqual([]);
  });

  it('a misspelled key in a copy of it is refused with its path (the check can fail)', async () => {
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { inbox: Record<string, unknown> };
    example.inbox.stablePols = 3;
    const { parseConfig } = await import('../../src/config/load-config.js');
    expect(() => parseConfig(example, { baseDir: '/', env: {} })).toThrow(
      /inbox: unknown key\(s\): stablePols/,
    );
  });
});
