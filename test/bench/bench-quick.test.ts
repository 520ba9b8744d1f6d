/**
 * `node dist/bench/run.js --quick` (what CI runs) finishes within a minute, writes its JSON report,
 * and every stage that exists finds exactly what the generator wrote.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/harness/run-bench.js';

const root = resolve(import.meta.dirname, '..', '..');
const runJs = join(root, 'dist', 'bench', 'run.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

let out: string;

/** Processes of the queue stage still running after the bench: its workers, its redis-server. */
function leftoverProcesses(redisPid: number | undefined): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes('queue-stage.js') || Number(pid) === redisPid) found.push(`${pid}: ${cmd}`);
    } catch {}
  }
  return found;
}

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` may find dist missing or older than bench/.
  if (!existsSync(runJs) || statSync(runJs).mtimeMs < newestSource(join(root, 'bench'))) {
    // tsc exits non-zero while other modules are mid-change but still emits; freshness is checked below.
    spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')],
      {
        cwd: root,
        stdio: 'ignore',
        timeout: 120_000,
      },
    );
  }
  out = mkdtempSync(join(tmpdir(), 's321-bench-quick-'));
}, 150_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

describe('npm run bench --quick', () => {
  it('completes within 60 s with a JSON report whose counts match the ground truth', () => {
    expect(statSync(runJs).mtimeMs).toBeGreaterThanOrEqual(newestSource(join(root, 'bench')) - 1);
    const json = join(out, 'quick.json');
    const started = performance.now();
    const stdout = execFileSync(process.execPath, [runJs, '--quick', '--json', json, '--tmp', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(stdout).toContain('| tokenizer | ok |');
    expect(stdout).toContain('### Targets');

    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.sizes).toHaveLength(1);
    const size = report.sizes[0];
    expect(size?.shipments).toBe(20_000);
    expect(size?.truth.shipments).toBe(20_000);
    const stages = size?.stages ?? [];
    expect(stages.map((s) => s.stage)).toEqual([
      'tokenizer',
      'node-x12',
      'readers',
      'normalize',
      'replay',
      'queue',
    ]);
    for (const s of stages) {
      expect(s.status).not.toBe('failed');
      if (s.status === 'ok') {
        expect(s.maxRssMB).toBeGreaterThan(0);
        expect(s.shipmentsPerS).toBeGreaterThan(0);
        expect(s.checks.filter((c) => !c.ok)).toEqual([]);
      }
    }
    // The ceiling and the reference always run; the s321 stages run once their modules exist.
    expect(stages.find((s) => s.stage === 'tokenizer')?.status).toBe('ok');
    expect(['ok', 'partial']).toContain(stages.find((s) => s.stage === 'node-x12')?.status);
    // Queue mode ran on its own redis-server with two ingest and two aggregate worker processes: it
    // applied every input (the checks above hold it to the ground truth), reports both phases, the
    // peak RSS of each process, and left no process behind.
    const queue = stages.find((s) => s.stage === 'queue');
    expect(queue?.status).toBe('ok');
    expect(queue?.checks.length).toBeGreaterThanOrEqual(8);
    const c = queue?.counts ?? {};
    for (const key of ['ingestMs', 'aggregateMs', 'rssMB:redis-server', 'rssMB:ingest-1', 'rssMB:ingest-2'])
      expect(c[key], key).toBeGreaterThan(0);
    expect(c['rssMB:aggregate-1']).toBeGreaterThan(0);
    expect(c['rssMB:aggregate-2']).toBeGreaterThan(0);
    expect(queue?.maxRssMB).toBe(c.rssSumMB);
    expect(queue?.seconds).toBeCloseTo((c.measuredMs ?? 0) / 1000, 1);
    expect(report.targets.some((t) => t.name.startsWith('queue mode, 2 aggregate workers'))).toBe(true);
    expect(c['pid:redis-server']).toBeGreaterThan(0);
    expect(leftoverProcesses(c['pid:redis-server'])).toEqual([]);
    // The generated data is removed unless --keep.
    expect(readdirSync(out).filter((n) => n.startsWith('s321-bench-'))).toEqual([]);
  }, 90_000);
});
