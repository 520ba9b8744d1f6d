/**
 * What the main-thread benches (bench/core.ts, bench/aggregate-store.ts) share: the events of a
 * folder as the replay's main thread receives them, and a count of scavenges.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { encodeEvents } from '../../src/app/event-transfer.js';
import { ingestInProcess } from '../../src/app/ingest-files.js';
import { listInputs } from '../../src/app/list-inputs.js';
import { benchRates } from '../stages/stages.js';

/** One interchange's events encoded by src/app/event-transfer.ts, with what the batcher keys it by. */
export interface EncodedInterchange {
  sender: string;
  controlNumber: string;
  fingerprint: string;
  file: string;
  bytes: Uint8Array;
}

/** The interchanges of `dir` that carry events (a rejected one carries none), parsed and encoded beforehand. */
export async function encodedInterchanges(dir: string): Promise<EncodedInterchange[]> {
  const encoded: EncodedInterchange[] = [];
  const listing = await listInputs([dir]);
  await ingestInProcess(
    listing.files,
    { strict: false, maxBytes: 2 ** 31, normalize: { rates: benchRates() } },
    {
      interchange: (input, ic) => {
        if (ic.events.length === 0) return;
        encoded.push({
          sender: ic.header.senderId.trim(),
          controlNumber: ic.header.controlNumber,
          fingerprint: ic.fingerprint,
          file: input.name,
          bytes: encodeEvents(ic.events),
        });
      },
      file: () => {},
    },
  );
  return encoded;
}

/**
 * Counts this thread's scavenges (minor GCs) from now on: with a fixed semi-space, a count of what
 * was allocated, whatever the load. `settled` waits for the observer, which the event loop calls,
 * to see a run's last entries, and returns the count.
 */
export function scavengeCounter(): { settled(): Promise<number> } {
  let scavenges = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
        scavenges++;
  }).observe({ entryTypes: ['gc'] });
  return {
    settled: async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return scavenges;
    },
  };
}
