/**
 * What crosses between `ingestInThread` (ingest-thread.ts) and its worker thread
 * (ingest-thread-worker.ts): the thread's start data and the messages it posts. Kept apart so
 * neither side imports the other.
 */
import type { InterchangeOutcome } from '../core/pipeline/outcome.js';
import type { IngestedFile } from './ingest-file.js';
import type { IngestSettings } from './ingest-files.js';
import type { InputFile } from './list-inputs.js';

export interface IngestThreadData {
  files: InputFile[];
  settings: IngestSettings;
  maxInFlightEvents: number;
}

export type ThreadMessage =
  | { kind: 'interchange'; ic: InterchangeOutcome }
  | { kind: 'file'; ingested: IngestedFile }
  | { kind: 'done' }
  | { kind: 'failed'; message: string; stack: string };
