/**
 * The layout shows the architecture, and these checks hold it (both also run in scripts/test.sh):
 *  - the import graph of every layer, by dependency-cruiser with .dependency-cruiser.mjs: core
 *    imports only core, zod and schemas/profiles data; ports only core; config, adapters and app
 *    never a layer above them; testkit stays out of production code; no cycles. Static, dynamic,
 *    side-effect and type-only imports and require() all count.
 *  - src/core/tsconfig.json type-checks the core without Node's types, so Node's globals (Buffer,
 *    process, performance, crypto) are compile errors there.
 * Each check is run on the tree (passes) and on a planted violation (fails, naming it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const run = (args: string[], cwd: string) =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });

function plantTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 's321-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('architecture: import graph of every layer (dependency-cruiser)', () => {
  const cruise = (cwd: string) =>
    run(
      [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.mjs'), '--output-type', 'err-long'],
      cwd,
    );

  it('the tree passes', () => {
    const r = run([DEPCRUISE, 'src', 'workers', '--config', '.dependency-cruiser.mjs'], ROOT);
    expect(r.stdout + r.stderr).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it('planted violations fail, each named with its rule', () => {
    const dir = plantTree({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true },
        include: ['src/**/*.ts'],
      }),
      'package.json': JSON.stringify({ name: 'planted', type: 'module' }),
      // core: a Node module, an npm package, an adapter (side-effect import), an app module (dynamic
      // import) and a port (type-only import), one each.
      'src/core/uses-fs.ts': "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
      'src/core/uses-npm.ts': "import { Queue } from 'bullmq';\nexport const q = Queue;\n",
      'src/core/side-effect.ts': "import '../adapters/store.js';\nexport const s = 1;\n",
      'src/core/dynamic.ts': "export const load = () => import('../app/use-case.js');\n",
      'src/core/type-only.ts': "import type { Port } from '../ports/port.js';\nexport type P = Port;\n",
      'src/core/ok.ts': "import { z } from 'zod';\nexport const schema = z.string();\n",
      'src/ports/port.ts': "import type { Store } from '../adapters/store.js';\nexport type Port = Store;\n",
      'src/adapters/store.ts': "import { run } from '../app/use-case.js';\nexport type Store = typeof run;\n",
      'src/app/use-case.ts':
        "import { main } from '../cli/main.js';\nimport { b } from './b.js';\nexport const run = [main, b];\n",
      'src/app/b.ts': "import { run } from './use-case.js';\nexport const b = () => run;\n",
      'src/cli/main.ts': 'export const main = 1;\n',
    });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    const r = cruise(dir);
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    const found = [...out.matchAll(/error (\S+): (\S+) → (\S+)/g)].map((m) => `${m[1]}: ${m[2]} → ${m[3]}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^core-is-pure: src\/core\/uses-fs.ts → (node:)?fs$/),
        expect.stringMatching(/^core-is-pure: src\/core\/uses-npm.ts → \S*node_modules\/bullmq\//),
        'core-is-pure: src/core/side-effect.ts → src/adapters/store.ts',
        'core-is-pure: src/core/dynamic.ts → src/app/use-case.ts',
        'core-is-pure: src/core/type-only.ts → src/ports/port.ts',
        'ports-import-core-only: src/ports/port.ts → src/adapters/store.ts',
        'adapters-below-app: src/adapters/store.ts → src/app/use-case.ts',
        'app-below-cli: src/app/use-case.ts → src/cli/main.ts',
      ]),
    );
    expect(out).toMatch(/error no-circular: src\/app\/(use-case|b)\.ts →/);
    expect(out).not.toMatch(/src\/core\/ok\.ts/); // zod is allowed in core
  });
});

describe('architecture: src/core sees no Node globals (src/core/tsconfig.json, types: [])', () => {
  it('the core type-checks without Node types', () => {
    const r = run([TSC, '-p', 'src/core/tsconfig.json'], ROOT);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it("a planted use of Node's globals fails to compile; the portable Encoding API compiles", () => {
    const dir = plantTree({
      'tsconfig.json': JSON.stringify({
        extends: join(ROOT, 'src/core/tsconfig.json'),
        compilerOptions: { rootDir: '/' },
        include: ['./planted.ts', join(ROOT, 'types/web-encoding.d.ts')],
      }),
      'package.json': JSON.stringify({ name: 'planted', type: 'module' }),
      'planted.ts': [
        "export const a = Buffer.from('x');",
        'export const b = process.hrtime();',
        'export const c = performance.now();',
        'export const d = crypto.randomUUID();',
        "export const e = new TextDecoder('latin1').decode(new Uint8Array(1));",
        '',
      ].join('\n'),
    });
    const r = run([TSC, '-p', join(dir, 'tsconfig.json')], dir);
    expect(r.status).not.toBe(0);
    const missing = [
      ...r.stdout.matchAll(/planted\.ts\((\d+),\d+\): error TS\d+: Cannot find name '(\w+)'/g),
    ].map((m) => `${m[1]}:${m[2]}`);
    expect(missing).toEqual(['1:Buffer', '2:process', '3:performance', '4:crypto']);
  });
});

describe('architecture: src/core reads no clock and no randomness', () => {
  // Date and Math are ES globals (no tsconfig can drop them), so their clock and randomness calls are
  // looked for in the text; dates in the core are built from given values (Date.UTC, new Date(ms)).
  const CLOCK_OR_RANDOM = /\bDate\.now\s*\(|new Date\s*\(\s*\)|Math\.random\s*\(/;
  const coreFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? coreFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('no Date.now(), new Date() or Math.random() in src/core', () => {
    const offenders = coreFiles(join(ROOT, 'src/core')).filter((f) =>
      CLOCK_OR_RANDOM.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
    expect(CLOCK_OR_RANDOM.test('const t = new Date();')).toBe(true); // the check can fail
  });

  it('one engine (issue #14): only the batch use case runs the core over a store, no store decides', () => {
    const runners: string[] = [];
    const tsFiles = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    for (const dir of ['src/adapters', 'src/app', 'src/cli', 'src/ports', 'workers']) {
      for (const f of tsFiles(dir)) {
        if (/\b(applyEvents|screenInterchanges|likelyCrossings)\(/.test(readFileSync(join(ROOT, f), 'utf8')))
          runners.push(f);
      }
    }
    expect(runners).toEqual(['src/app/apply-batch.ts']);
  });
});
