/**
 * Generated traffic replayed in one thread into a folder of its own: the replay tests that run the
 * same input twice with one setting changed (batch or commit size) and compare what each wrote.
 */
import { join } from 'node:path';
import { benchRates } from '../../../bench/stages/stages.js';
import { writeTraffic } from '../../../bench/traffic/index.js';
import { ingestInProcess } from '../../../src/app/ingest-files.js';
import { type ReplayOptions, type ReplaySummary, runReplay } from '../../../src/app/replay.js';

/** Generated X12 and EDIFACT files of 40–160 shipments an interchange, 2–4 interchanges a file. */
export function writeMixedTraffic(dir: string, seed: number, shipments: number): void {
  writeTraffic(dir, { seed, shipments, interchangeSize: [40, 160], interchangesPerFile: [2, 4] });
}

/** Replays `input` into `outDir` (its store at outDir/s321.db) with the bench's rates, nothing pruned. */
export function replayInto(
  input: string,
  outDir: string,
  options: Partial<ReplayOptions> = {},
): Promise<ReplaySummary> {
  return runReplay({
    inputs: [input],
    dbPath: join(outDir, 's321.db'),
    outDir,
    now: '2025-06-30T12:00',
    normalize: { rates: benchRates() },
    ingest: ingestInProcess,
    retentionDays: 0,
    ...options,
  });
}
