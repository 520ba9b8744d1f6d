/**
 * The bench's summary reports each replay thread's CPU time per shipment (issue #14: "npm run bench
 * reports the time per shipment of each thread"), and the rest of the process's CPU — V8's GC and
 * compiler threads — beside them, in a table whose rows have as many cells as its header.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../bench/harness/markdown.js';
import type { BenchReport, StageReport } from '../../bench/harness/run-bench.js';

function reportWithReplay(counts: Record<string, number>, cpuMs: number): BenchReport {
  const replay = {
    stage: 'replay',
    status: 'ok',
    wallMs: 100_000,
    cpuMs,
    bytes: 1,
    bytesTotal: 1,
    files: 1,
    counts,
    maxRssMB: 250,
    seconds: 100,
    coverage: 1,
    shipmentsPerS: 10_000,
    mbPerS: 1,
    cpuMbPerS: 1,
    vsTokenizer: null,
    checks: [],
  } satisfies StageReport;
  return {
    startedAt: '2026-12-06T00:00:00.000Z',
    machine: {
      cpus: 2,
      model: 'test',
      node: 'v20',
      platform: 'linux',
      loadAverage: [0, 0, 0],
      totalMemMB: 1,
      freeMemMB: 1,
    },
    sizes: [
      {
        label: '1M',
        shipments: 1_000_000,
        data: { files: 1, bytes: 1, bytesPerShipment: 1, x12Bytes: 1, edifactBytes: 0 },
        generation: { ms: 1, writeMs: 1, mbPerS: 1, generateMbPerS: 1, shipmentsPerS: 1 },
        stages: [replay],
      },
    ],
    scaling: {},
    targets: [],
  } as unknown as BenchReport;
}

function threadRows(markdown: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.startsWith('### Replay threads'));
  expect(at).toBeGreaterThan(0);
  return lines
    .slice(at + 2)
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

describe('bench summary: replay threads', () => {
  it('gives CPU µs per shipment for the ingest thread, the main thread, the other threads and the process', () => {
    const md = renderMarkdown(
      reportWithReplay(
        {
          ingestThreadCpuMs: 24_000,
          ingestThreadActiveMs: 57_000,
          ingestThreadIdleMs: 40_000,
          mainThreadCpuMs: 48_000,
          mainThreadActiveMs: 95_000,
          mainThreadIdleMs: 2_000,
        },
        103_000,
      ),
    );
    const [header, rule, row] = threadRows(md);
    expect(header?.length).toBe(7);
    expect(rule?.length).toBe(7);
    expect(row).toEqual([
      '1M',
      '24.0 µs',
      '57.0 µs (59%)',
      '48.0 µs',
      '95.0 µs (98%)',
      '31.0 µs',
      '103.0 µs',
    ]);
  });

  it('leaves the other threads blank when a thread CPU time is unknown (not Linux)', () => {
    const md = renderMarkdown(
      reportWithReplay(
        {
          ingestThreadActiveMs: 57_000,
          ingestThreadIdleMs: 40_000,
          mainThreadActiveMs: 95_000,
          mainThreadIdleMs: 2_000,
        },
        103_000,
      ),
    );
    const row = threadRows(md)[2];
    expect(row?.[5]).toBe('– µs');
    expect(row?.[6]).toBe('103.0 µs');
  });
});
