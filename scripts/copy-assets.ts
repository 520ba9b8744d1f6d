/**
 * Run by `npm run build` after tsc (from dist/scripts/): copies the files the compiled modules read
 * beside themselves (the Redis store's Lua scripts) from src/ into dist/src/; tsc copies only what
 * it compiles.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASSET_DIRS = ['src/adapters/store/redis/lua'];

for (const dir of ASSET_DIRS) {
  const to = join(ROOT, 'dist', dir);
  rmSync(to, { recursive: true, force: true }); // a script deleted from src/ must not linger in dist/
  cpSync(join(ROOT, dir), to, { recursive: true });
}
