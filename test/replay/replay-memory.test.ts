/**
 * `s321 replay` as an operator runs it — no NODE_OPTIONS, no heap flags — keeps a flat memory: on
 * ~200k generated shipments (all modes and formats, amendments, redeliveries) the peak resident
 * set of the whole process tree (the command and the process it re-runs itself as, with its ingest
 * thread) stays ≤ 300 MB, read from /proc while it runs. Runs the compiled dist/ like test/cli.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DIST = resolve('dist');
const CLI = join(DIST, 'src/cli/main.js');
const BOUND_MB = 300;

type TrafficModule = typeof import('../../bench/traffic/index.js');
type CatalogModule = typeof import('../../bench/traffic/catalog.js');

const scratch = mkdtempSync(join(tmpdir(), 's321-replay-memory-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Resident set of a process and all its descendants, kB (0 for a process that is gone). */
function treeRssKb(pid: number): number {
  let status: string;
  let children: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1');
  } catch {
    return 0;
  }
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return (
    rss +
    children
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .reduce((sum, c) => sum + treeRssKb(Number(c)), 0)
  );
}

describe.runIf(process.platform === 'linux')('s321 replay memory, no flags', () => {
  it('stays ≤ 300 MB RSS (process tree) on ~200k shipments', async () => {
    const { writeTraffic } = (await import(join(DIST, 'bench/traffic/index.js'))) as TrafficModule;
    const { CURRENCIES, AIR_PORT_AIRPORTS } = (await import(
      join(DIST, 'bench/traffic/catalog.js')
    )) as CatalogModule;
    const input = join(scratch, 'in');
    const gen = writeTraffic(input, { seed: 321, shipments: 200_000 });
    expect(gen.truth.files).toBeGreaterThan(10);
    const rates = join(scratch, 'rates.json');
    writeFileSync(
      rates,
      JSON.stringify(
        Object.fromEntries(
          CURRENCIES.map(([code, usd]) => [code, [{ from: '2000-01-01', usdPerUnit: String(usd) }]]),
        ),
      ),
    );
    const partners = join(scratch, 'partners.json');
    writeFileSync(partners, JSON.stringify({ all: { camir: { airportByPort: AIR_PORT_AIRPORTS } } }));

    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.S321_HEAP_BUDGET;
    const child = spawn(
      process.execPath,
      [CLI, 'replay', input, '--db', join(scratch, 's321.db'), '--out', join(scratch, 'out')].concat([
        '--rates',
        rates,
        '--partners',
        partners,
        '--now',
        '2025-06-30T12:00',
        '--json',
      ]),
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let peakKb = 0;
    const poll = setInterval(() => {
      peakKb = Math.max(peakKb, treeRssKb(child.pid as number));
    }, 50);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    clearInterval(poll);

    expect(stderr).not.toMatch(/heap out of memory/i);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').pop() as string) as { shipments: number };
    expect(summary.shipments).toBeGreaterThan(200_000); // declarations + status events
    expect(peakKb).toBeGreaterThan(50 * 1024); // the poll did see the run
    expect(Math.round(peakKb / 1024)).toBeLessThanOrEqual(BOUND_MB);
  }, 600_000);
});
