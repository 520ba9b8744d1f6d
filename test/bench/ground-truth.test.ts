/**
 * What the generator says it wrote is what the s321 readers, the normalizers and the bare tokenizer
 * find in the bytes — every shipment loop, every status line, every segment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksFor } from '../../bench/harness/run-bench.js';
import {
  type BareSegment,
  createBareEdifactTokenizer,
  createBareX12Tokenizer,
} from '../../bench/stages/bare-tokenizer.js';
import type { StageName, StageResult } from '../../bench/stages/stage-result.js';
import {
  normalizeStage,
  readersStage,
  type StageOutcome,
  tokenizerStage,
} from '../../bench/stages/stages.js';
import { type GroundTruth, generateTraffic, writeTraffic } from '../../bench/traffic/index.js';

let dir: string;
let truth: GroundTruth;
const input = (): { dir: string; budgetMs: number; maxWholeFileBytes: number } => ({
  dir,
  budgetMs: 10_000,
  maxWholeFileBytes: 30e6,
});

function asResult(stage: StageName, out: StageOutcome): StageResult {
  return { stage, ...out, wallMs: 1, cpuMs: 1, maxRssMB: 1 };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's321-truth-'));
  // Small interchanges and a high redelivery rate so every feature shows up in a short run.
  truth = writeTraffic(dir, {
    seed: 2025,
    shipments: 15_000,
    interchangeSize: [150, 500],
    duplicateRate: 0.1,
  }).truth;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ground truth against the readers', () => {
  it('the bare tokenizer finds every segment and shipment loop', () => {
    const out = tokenizerStage(input());
    expect(out.status).toBe('ok');
    expect(out.counts.x12Segments).toBe(truth.segments.x12);
    expect(out.counts.edifactSegments).toBe(truth.segments.edifact);
    expect(out.counts.interchanges).toBe(truth.interchanges.x12 + truth.interchanges.edifact);
    expect(checksFor(asResult('tokenizer', out), truth).every((c) => c.ok)).toBe(true);
  });

  it('the s321 readers find every interchange, message and shipment loop, without issues', async () => {
    const out = await readersStage(input());
    expect(out.status).toBe('ok');
    const checks = checksFor(asResult('readers', out), truth);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(out.counts.messagesNotOk).toBe(0);
    expect(out.counts.fileIssues).toBe(0);
    expect(truth.duplicateInterchanges).toBeGreaterThan(0);
  });

  it('the normalizers emit one event per shipment loop and status line, each of the right kind', async () => {
    const out = await normalizeStage(input());
    expect(out.status).toBe('ok');
    expect({
      declared: out.counts.declared,
      amended: out.counts.amended,
      deleted: out.counts.deleted,
      status: out.counts.status,
    }).toEqual(truth.events);
    expect(out.counts.rejected).toBe(0);
    expect(out.counts.unsupported).toBe(0);
  });
});

describe('bare tokenizer', () => {
  function tokens(
    make: (on: (s: BareSegment) => void) => { push(c: Uint8Array): void; end(): void },
    bytes: Uint8Array,
    chunk: (i: number) => number,
  ): BareSegment[] {
    const out: BareSegment[] = [];
    const t = make((s) => out.push(s));
    let p = 0;
    for (let i = 0; p < bytes.length; i++) {
      const n = Math.max(1, chunk(i));
      t.push(bytes.subarray(p, p + n));
      p += n;
    }
    t.end();
    return out;
  }

  it('cuts the same segments whatever the chunk boundaries (release characters included)', () => {
    const files = [...generateTraffic({ seed: 77, shipments: 3_000, interchangeSize: [100, 300] })];
    let sawRelease = false;
    for (const f of files) {
      const make = f.fileName.endsWith('.x12') ? createBareX12Tokenizer : createBareEdifactTokenizer;
      const whole = tokens(make, f.content, () => f.content.length);
      // Chunk sizes 1..13 bytes put a boundary between every release character and what it escapes.
      const tiny = tokens(make, f.content, (i) => 1 + ((i * 7) % 13));
      expect(tiny).toEqual(whole);
      if (!f.fileName.endsWith('.x12')) {
        const text = Buffer.from(f.content).toString('latin1');
        if (text.includes("?'")) sawRelease = true;
        // Released apostrophes come back as data, never as segment ends.
        const names = whole
          .filter((s) => s.tag === 'NAD')
          .map((s) => (s.elements as string[][])[3]?.[0] ?? '');
        if (text.includes("O?'BRIEN")) expect(names.some((n) => n.includes("O'BRIEN"))).toBe(true);
      }
    }
    expect(sawRelease).toBe(true);
  });

  it('reports file byte offsets of every segment', () => {
    const file = [...generateTraffic({ seed: 4, shipments: 600, interchangeSize: [100, 200] })][0];
    expect(file).toBeDefined();
    if (file === undefined) return;
    const make = file.fileName.endsWith('.x12') ? createBareX12Tokenizer : createBareEdifactTokenizer;
    const segs = tokens(make, file.content, (i) => 100 + i);
    const text = Buffer.from(file.content).toString('latin1');
    for (const s of segs) expect(text.startsWith(s.tag, s.byteOffset)).toBe(true);
  });
});
