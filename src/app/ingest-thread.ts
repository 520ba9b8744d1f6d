/**
 * `ingestInThread`: the IngestDriver that parses and normalizes in a worker thread
 * (ingest-thread-worker.ts) while this thread consumes, so a replay uses both cores. Messages are
 * consumed strictly in the order they were posted; the consumer sees exactly the calls
 * `ingestInProcess` would make. An interchange's events cross as transferred buffers, chunks of at
 * most `chunkEvents` encoded on the thread as they are normalized (event-transfer.ts: the fields as
 * typed-array columns and a string table, the cold ones left as bytes until read), instead of a
 * structured clone of the objects (docs/transfer-columns.md, docs/ingest-per-message.md).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ShipmentEvent } from '../core/model/shipment-event.js';
import { decodeEvents, type EventTransfer } from './event-transfer.js';
import { type IngestDriver, ingestInProcess } from './ingest-files.js';
import type { IngestThreadData, ThreadMessage } from './ingest-thread-protocol.js';
import { threadCpuMs } from './thread-cpu.js';

/**
 * Events posted by the thread and not yet consumed, at most, when the caller sets no window. Replay
 * sets one store batch (the thread fills the next batch while this one is applied); a window of
 * half a batch left each thread waiting on the other 25–40% of the time (profiles at 100k and 1M).
 */
export const DEFAULT_MAX_IN_FLIGHT_EVENTS = 10_000;

/**
 * Events per encoded chunk, at most. An event object then lives for about one chunk's normalizing
 * (~9 KB allocated per event): well inside one 4 MB semi-space, so it is scavenged young rather than
 * promoted, as it was when an interchange's ~800 events were held to its end (docs/ingest-per-message.md).
 */
export const DEFAULT_CHUNK_EVENTS = 256;

const WORKER_URL = new URL('./ingest-thread-worker.js', import.meta.url);

/** The thread needs the compiled worker module; running from TypeScript sources (tests) it is absent. */
export function ingestThreadAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

export interface IngestThreadOptions {
  /** Events posted and not yet consumed, at most. */
  maxInFlightEvents?: number;
  /**
   * The thread's old-generation heap budget, MB (V8 otherwise sizes it for the machine and grows it
   * lazily, which is most of a replay's RSS). Parsing is streaming: the thread holds one chunk, one
   * interchange's events and the in-flight window.
   */
  heapMb?: number;
  /** How events cross (default 'json-bytes'; 'clone' is the structured clone, kept to compare). */
  transfer?: EventTransfer;
  /** 'json-bytes': events per encoded chunk, at most (default DEFAULT_CHUNK_EVENTS). */
  chunkEvents?: number;
  /** Called once at the end with how busy each thread was (for the bench). */
  onThreadTimes?: (times: ThreadTimes) => void;
}

/**
 * How busy each thread was over the run: event-loop utilization (`active` ms busy out of
 * `active + idle`) and, on Linux, the thread's own CPU time (`cpuMs`).
 */
export interface ThreadTimes {
  ingest: { active: number; idle: number; cpuMs: number | undefined };
  consumer: { active: number; idle: number; cpuMs: number | undefined };
}

/**
 * Old-generation budget of the thread when the caller sets none, MB. The thread's live heap is one
 * read chunk, one interchange's events and the in-flight window; V8's default for the machine let
 * the thread's RSS grow with the run (README, Memory).
 */
export const DEFAULT_INGEST_HEAP_MB = 64;

export function ingestInThread(options: IngestThreadOptions = {}): IngestDriver {
  const maxInFlightEvents = options.maxInFlightEvents ?? DEFAULT_MAX_IN_FLIGHT_EVENTS;
  return (files, settings, consumer) =>
    new Promise<void>((resolve, reject) => {
      const data: IngestThreadData = {
        files: [...files],
        settings,
        maxInFlightEvents,
        transfer: options.transfer ?? 'json-bytes',
        chunkEvents: options.chunkEvents ?? DEFAULT_CHUNK_EVENTS,
      };
      const consumerStart = performance.eventLoopUtilization();
      const consumerCpuStart = threadCpuMs();
      const worker = new Worker(WORKER_URL, {
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? DEFAULT_INGEST_HEAP_MB },
      });
      let fileIndex = 0;
      let settled = false;
      let chain = Promise.resolve();
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        reject(error);
      };
      const consume = async (message: ThreadMessage): Promise<void> => {
        if (settled) return;
        switch (message.kind) {
          case 'interchange': {
            const input = files[fileIndex];
            if (input === undefined) throw new Error('ingest thread sent an interchange after its last file');
            const ic = message.ic;
            if (message.events !== null) ic.events = decodeChunks(message.events);
            await consumer.interchange(input, ic);
            worker.postMessage(ic.events.length + 1);
            return;
          }
          case 'file': {
            const input = files[fileIndex++];
            if (input === undefined) throw new Error('ingest thread sent more files than it was given');
            await consumer.file(input, message.ingested);
            return;
          }
          case 'done':
            if (fileIndex !== files.length)
              throw new Error(`ingest thread ended after ${fileIndex} of ${files.length} files`);
            settled = true;
            if (options.onThreadTimes !== undefined) {
              const ingest = worker.performance.eventLoopUtilization();
              const main = performance.eventLoopUtilization(consumerStart);
              const mainCpu = threadCpuMs();
              options.onThreadTimes({
                ingest: { active: ingest.active, idle: ingest.idle, cpuMs: message.cpuMs },
                consumer: {
                  active: main.active,
                  idle: main.idle,
                  cpuMs:
                    mainCpu !== undefined && consumerCpuStart !== undefined
                      ? mainCpu - consumerCpuStart
                      : undefined,
                },
              });
            }
            await worker.terminate();
            resolve();
            return;
          case 'failed': {
            const error = new Error(message.message);
            error.stack = message.stack;
            throw error;
          }
        }
      };
      worker.on('message', (message: ThreadMessage) => {
        chain = chain.then(() => consume(message)).catch((e: unknown) => fail(e as Error));
      });
      worker.on('error', (e) => fail(e));
      worker.on('exit', (code) => {
        // Messages posted before the exit are still queued on the chain: judge after them.
        chain = chain.then(() => fail(new Error(`ingest thread exited (code ${code}) before it finished`)));
      });
    });
}

/** An interchange's events from its chunks, in order. */
function decodeChunks(chunks: readonly Uint8Array[]): ShipmentEvent[] {
  if (chunks.length === 1) return decodeEvents(chunks[0] as Uint8Array);
  const events: ShipmentEvent[] = [];
  for (const chunk of chunks) for (const e of decodeEvents(chunk)) events.push(e);
  return events;
}

/** The thread when it can run here, else the same work in this thread. */
export function bestIngestDriver(options: IngestThreadOptions = {}): IngestDriver {
  return ingestThreadAvailable() ? ingestInThread(options) : ingestInProcess;
}
