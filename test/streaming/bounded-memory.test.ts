/**
 * Memory stays flat as files grow: a generated 200 MB X12 file (back-to-back 309/350 interchanges)
 * read through the real file ingest — stream, reader, normalizers, per-interchange collector — keeps
 * the heap bounded by one chunk plus one interchange, not by the file. Runs in a child process so the
 * measurement sees only this work (--expose-gc, heap sampled after each interchange).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('streaming intake', () => {
  it('reads a 200 MB file with the heap bounded (< 160 MB) and every shipment found', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', 'dist/scripts/memory-probe.js', '200'], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      bytes: number;
      shipments: number;
      expectedShipments: number;
      maxHeapMB: number;
      rejected: number;
    };
    expect(m.bytes).toBeGreaterThan(200e6);
    expect(m.rejected).toBe(0);
    expect(m.shipments).toBe(m.expectedShipments);
    expect(m.maxHeapMB).toBeLessThan(160);
  }, 250_000);
});
