/**
 * Worker-thread side of `ingestInThread`: reads the files as `ingestInProcess` would and posts what it
 * produces. With the 'json-bytes' transfer an interchange's events are encoded in chunks as they are
 * normalized (IngestOptions.encodeChunks), so the thread holds an open interchange as bytes, not as
 * event objects; the chunks of an accepted interchange go with its outcome, moved, not copied.
 * Flow control: the parent acknowledges each interchange once consumed; reading pauses while more
 * than `maxInFlightEvents` events are posted but not consumed, so memory stays bounded however far
 * parsing could run ahead of aggregation. The parent ends the thread after `done` or `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { encodeEvents } from './event-transfer.js';
import { ingestFile } from './ingest-file.js';
import { ingestOptions } from './ingest-files.js';
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

const post = (message: ThreadMessage, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

try {
  const options = ingestOptions(data.settings);
  if (data.transfer === 'json-bytes')
    options.encodeChunks = { encode: encodeEvents, events: data.chunkEvents };
  for (const input of data.files) {
    const ingested = await ingestFile(input.path, input.name, options, async (ic, encoded) => {
      const events = encoded === undefined ? ic.events.length : encoded.events;
      // One event is counted even for an interchange without events, so acknowledgments balance.
      inFlight += events + 1;
      if (encoded === undefined || encoded.chunks.length === 0)
        post({ kind: 'interchange', ic, events: null });
      else
        post(
          { kind: 'interchange', ic, events: encoded.chunks },
          encoded.chunks.map((c) => c.buffer as ArrayBuffer),
        );
      if (inFlight > data.maxInFlightEvents) await new Promise<void>((go) => (resume = go));
    });
    post({ kind: 'file', ingested });
  }
  post({ kind: 'done', cpuMs: threadCpuMs() });
} catch (e) {
  const error = e as Error;
  post({ kind: 'failed', message: error.message, stack: error.stack ?? '' });
}
