/**
 * The layout shows the architecture, and this test holds it: src/core is pure (no node: modules,
 * no clocks or randomness, no imports from ports/adapters/app/cli); ports import only core;
 * adapters never import app, cli or workers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] as string);

describe('architecture', () => {
  it('src/core does no I/O and reads no clock or randomness', () => {
    const offenders: string[] = [];
    for (const f of files('src/core')) {
      const text = readFileSync(f, 'utf8');
      for (const spec of importsOf(f)) {
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'child_process', 'net'].includes(spec)) offenders.push(`${f}: imports ${spec}`);
        if (/\/(ports|adapters|app|cli|config)\//.test(spec) || spec.includes('../workers')) offenders.push(`${f}: imports ${spec}`);
      }
      if (/\bDate\.now\(|new Date\(\)|Math\.random\(|process\.(env|argv|exit)|setTimeout\(|setInterval\(/.test(text)) {
        offenders.push(`${f}: clock, randomness, timers or process state`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('ports depend on core only; adapters never on app, cli or workers', () => {
    const offenders: string[] = [];
    for (const f of files('src/ports')) {
      for (const spec of importsOf(f)) if (/\/(adapters|app|cli)\//.test(spec)) offenders.push(`${f}: imports ${spec}`);
    }
    for (const f of files('src/adapters')) {
      for (const spec of importsOf(f)) if (/\/(app|cli)\//.test(spec) || spec.includes('workers/')) offenders.push(`${f}: imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('one engine (issue #14): only the batch use case runs the core over a store, no store decides', () => {
    const runners: string[] = [];
    for (const dir of ['src/adapters', 'src/app', 'src/cli', 'src/ports', 'workers']) {
      for (const f of files(dir)) {
        if (/\b(applyEvents|screenInterchanges|likelyCrossings)\(/.test(readFileSync(f, 'utf8'))) runners.push(f);
      }
    }
    expect(runners).toEqual(['src/app/apply-batch.ts']);
  });
});
