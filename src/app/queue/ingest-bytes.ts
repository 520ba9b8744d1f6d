/**
 * Ingests an input held in memory (a queue job's payload) with exactly the embedded pipeline's code:
 * the bytes go to a private temp file that ingestFile reads like any input, so queue mode cannot
 * parse differently from `s321 replay`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileOutcome } from '../../core/pipeline/outcome.js';
import type { InterchangeEvents } from '../../ports/decision-store.js';
import { type IngestOptions, ingestFile } from '../ingest-file.js';
import { interchangeEventsOf } from './interchange-events.js';

export interface IngestedBytes {
  outcome: FileOutcome;
  sha256: string | null;
  /** Interchanges that go on to aggregation, in input order. */
  interchanges: InterchangeEvents[];
}

export async function ingestBytes(
  bytes: Uint8Array,
  displayName: string,
  options: IngestOptions,
): Promise<IngestedBytes> {
  const dir = await mkdtemp(join(tmpdir(), 's321-ingest-'));
  try {
    const path = join(dir, 'input');
    await writeFile(path, bytes, { mode: 0o600 });
    const interchanges: InterchangeEvents[] = [];
    const { outcome, sha256 } = await ingestFile(path, displayName, options, (ic) => {
      const events = interchangeEventsOf(ic, displayName);
      if (events !== undefined) interchanges.push(events);
    });
    return { outcome, sha256, interchanges };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
