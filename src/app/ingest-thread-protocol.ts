/**
 * What crosses between `ingestInThread` (ingest-thread.ts) and its worker thread
 * (ingest-thread-worker.ts): the thread's start data and the messages it posts. Kept apart so
 * neither side imports the other.
 */
import type { InterchangeOutcome } from '../core/pipeline/outcome.js';
import type { EventTransfer } from './event-transfer.js';
import type { IngestedFile } from './ingest-file.js';
import type { IngestSettings } from './ingest-files.js';
import type { InputFile } from './list-inputs.js';

export interface IngestThreadData {
  files: InputFile[];
  settings: IngestSettings;
  maxInFlightEvents: number;
  transfer: EventTransfer;
  /** 'json-bytes': events per encoded chunk, at most (IngestOptions.encodeChunks). */
  chunkEvents: number;
}

export type ThreadMessage =
  /**
   * `events`: the interchange's events as encoded chunks, in order (each decoded alone, their
   * events concatenated); `ic.events` is then empty on the way. null: `ic.events` are the events.
   */
  | { kind: 'interchange'; ic: InterchangeOutcome; events: Uint8Array[] | null }
  | { kind: 'file'; ingested: IngestedFile }
  /** `cpuMs`: the thread's CPU time (thread-cpu.ts), for ThreadTimes. */
  | { kind: 'done'; cpuMs: number | undefined }
  | { kind: 'failed'; message: string; stack: string };
