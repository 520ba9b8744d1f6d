/**
 * Worker-thread side of `ingestInThread`: runs the in-process driver and posts what it produces.
 * Flow control: the parent acknowledges each interchange once consumed; reading pauses while more
 * than `maxInFlightEvents` events are posted but not consumed, so memory stays bounded however far
 * parsing could run ahead of aggregation. The parent ends the thread after `done` or `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type EventTransfer, encodeEvents } from './event-transfer.js';
import { ingestInProcess } from './ingest-files.js';
import type { IngestThreadData, ThreadMessage } from './ingest-thread-protocol.js';
import { threadCpuMs } from './thread-cpu.js';

const port = parentPort;
if (port === null) throw new Error('ingest-thread-worker must run as a worker thread');
const data = workerData as IngestThreadData;

let inFlight = 0;
let resume: (() => void) | undefined;
port.on('message', (consumedEvents: number) => {
  inFlight -= consumedEvents;
  if (resume !== undefined && inFlight <= data.maxInFlightEvents) {
    const go = resume;
    resume = undefined;
    go();
  }
});

const post = (message: ThreadMessage): void => port.postMessage(message);

try {
  await ingestInProcess(data.files, data.settings, {
    interchange: async (_input, ic) => {
      // One event is counted even for an interchange without events, so acknowledgments balance.
      inFlight += ic.events.length + 1;
      if (data.transfer === 'clone' || ic.events.length === 0)
        post({ kind: 'interchange', ic, events: null });
      else {
        const events = encodeEvents(ic.events);
        // The events go as one buffer whose memory moves to the other thread (no copy, no clone).
        port.postMessage({ kind: 'interchange', ic: { ...ic, events: [] }, events } satisfies ThreadMessage, [
          events.buffer as ArrayBuffer,
        ]);
      }
      if (inFlight > data.maxInFlightEvents) await new Promise<void>((go) => (resume = go));
    },
    file: (_input, ingested) => post({ kind: 'file', ingested }),
  });
  post({ kind: 'done', cpuMs: threadCpuMs() });
} catch (e) {
  const error = e as Error;
  post({ kind: 'failed', message: error.message, stack: error.stack ?? '' });
}
