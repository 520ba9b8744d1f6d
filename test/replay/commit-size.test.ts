/**
 * The replay commits a batch in transactions of `commitEvents` (app/aggregate-batcher.ts) while its
 * schedule — acknowledgments, input accounting, outbound emits — follows whole batches: every file
 * it writes is the same, byte for byte, whatever the commit size. Generated traffic with small
 * batches and frequent emits, so a schedule that followed the commits would put decisions in other
 * outbound files (and control numbers) and fail here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import { ingestInProcess } from '../../src/app/ingest-files.js';
import { runReplay } from '../../src/app/replay.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-commit-size-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .filter((f) => f !== 's321.db' && !f.startsWith('s321.db-'))
    .sort();
}

describe('commit size', () => {
  it('commits of 97 events inside batches of 1000 write the same files as one commit per batch', async () => {
    const input = join(scratch, 'traffic');
    writeTraffic(input, {
      seed: 21,
      shipments: 4000,
      interchangeSize: [40, 160],
      interchangesPerFile: [2, 4],
    });
    const run = (name: string, commitEvents: number) =>
      runReplay({
        inputs: [input],
        dbPath: join(scratch, name, 's321.db'),
        outDir: join(scratch, name),
        now: '2025-06-30T12:00',
        normalize: { rates: benchRates() },
        ingest: ingestInProcess,
        retentionDays: 0,
        batchEvents: 1000,
        commitEvents,
        emitEvery: 150,
      });
    const whole = await run('whole', 1000);
    const split = await run('split', 97);
    const { elapsedMs: _a, ...a } = whole;
    const { elapsedMs: _b, ...b } = split;
    expect(b).toEqual(a);
    expect(a.decisions).toBeGreaterThan(600); // several emits, each of many files
    expect(a.outboundFiles).toBeGreaterThan(20);
    const files = listFiles(join(scratch, 'whole'));
    expect(listFiles(join(scratch, 'split'))).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(scratch, 'split', f)).equals(readFileSync(join(scratch, 'whole', f))), f).toBe(
        true,
      );
  });
});
