/**
 * The build (`npm run build`) ships the Redis store's Lua scripts in dist/ beside the compiled
 * module that loads them, so an installed copy of dist/ runs without the source tree.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILT = 'dist/src/adapters/store/redis';
const SOURCE = 'src/adapters/store/redis/lua';

describe('build: Lua scripts', () => {
  it('every .lua file in src/ is copied into dist/ beside lua-scripts.js', () => {
    expect(readdirSync(join(BUILT, 'lua')).sort()).toEqual(readdirSync(SOURCE).sort());
  });

  it('the compiled module loads its scripts from beside itself, with no source tree around it', async () => {
    const alone = mkdtempSync(join(tmpdir(), 's321-lua-'));
    cpSync(BUILT, alone, { recursive: true });
    const mod = (await import(pathToFileURL(join(alone, 'lua-scripts.js')).href)) as {
      scriptSource(name: string): string;
    };
    const source = mod.scriptSource('s321CommitBatch');
    expect(source).toContain(readFileSync(join(SOURCE, 'commit-batch.lua'), 'utf8'));
    expect(source).toContain(readFileSync(join(SOURCE, 'write-guard.lua'), 'utf8'));
  });
});
