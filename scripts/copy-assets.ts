/**
 * Run by `npm run build` after tsc (from dist/scripts/): copies the files the compiled modules read
 * beside themselves (the Redis store's Lua scripts) from src/ into the build's src/; tsc copies only
 * what it compiles. Arguments (for a build into another folder, as some tests make): the project
 * root and the build folder; by default this script's own project and its dist/.
 */
import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSET_DIRS = ['src/adapters/store/redis/lua'];

const [rootArg, outArg] = process.argv.slice(2);
const root = resolve(rootArg ?? fileURLToPath(new URL('../../', import.meta.url)));
const outDir = resolve(outArg ?? join(root, 'dist'));

for (const dir of ASSET_DIRS) {
  const to = join(outDir, dir);
  rmSync(to, { recursive: true, force: true }); // a script deleted from src/ must not linger in the build
  cpSync(join(root, dir), to, { recursive: true });
}
