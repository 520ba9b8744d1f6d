/**
 * The replay commits a batch in transactions of `commitEvents` (app/aggregate-batcher.ts) while its
 * schedule — acknowledgments, input accounting, outbound emits — follows whole batches: every file
 * it writes is the same, byte for byte, whatever the commit size. Generated traffic with small
 * batches and frequent emits, so a schedule that followed the commits would put decisions in other
 * outbound files (and control numbers) and fail here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayInto, writeMixedTraffic } from './support/generated-replay.js';
import { expectSameOutputFiles } from './support/output-files.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-commit-size-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('commit size', () => {
  it('commits of 97 events inside batches of 1000 write the same files as one commit per batch', async () => {
    const input = join(scratch, 'traffic');
    writeMixedTraffic(input, 21, 4000);
    const run = (name: string, commitEvents: number) =>
      replayInto(input, join(scratch, name), { batchEvents: 1000, commitEvents, emitEvery: 150 });
    const whole = await run('whole', 1000);
    const split = await run('split', 97);
    const { elapsedMs: _a, ...a } = whole;
    const { elapsedMs: _b, ...b } = split;
    expect(b).toEqual(a);
    expect(a.decisions).toBeGreaterThan(600); // several emits, each of many files
    expect(a.outboundFiles).toBeGreaterThan(20);
    expectSameOutputFiles(join(scratch, 'split'), join(scratch, 'whole'));
  });
});
