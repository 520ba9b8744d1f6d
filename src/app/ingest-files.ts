/**
 * Reads a list of input files, in order, and hands their interchanges and file outcomes to one
 * consumer, in order. Two drivers with the same contract: in this thread (`ingestInProcess`), or in a
 * worker thread (`ingest-thread.ts`) so parsing and normalizing run on one core while the consumer
 * aggregates on the other. The consumer cannot tell them apart: same calls, same order.
 */
import type { InterchangeOutcome } from '../core/pipeline/outcome.js';
import { type IngestedFile, type IngestOptions, ingestFile } from './ingest-file.js';
import type { InputFile } from './list-inputs.js';
import { defaultNormalizers, type NormalizeSettings } from './normalizers.js';

/** What the drivers need to read a file: plain data, so it can cross to a worker thread. */
export interface IngestSettings {
  strict: boolean;
  maxBytes: number;
  normalize: NormalizeSettings;
  /** Keep interchange summaries in each file's outcome (default true; see IngestOptions.summaries). */
  summaries?: boolean;
}

export interface IngestConsumer {
  /** Each interchange with its events, in file order. Reading waits while this runs. */
  interchange(input: InputFile, ic: InterchangeOutcome): Promise<void> | void;
  /** After a file's last interchange: its outcome (interchange summaries without events) and hash. */
  file(input: InputFile, ingested: IngestedFile): Promise<void> | void;
}

export type IngestDriver = (
  files: readonly InputFile[],
  settings: IngestSettings,
  consumer: IngestConsumer,
) => Promise<void>;

/** `ingestFile`'s options for these settings (the normalizers built once for all files). */
export function ingestOptions(settings: IngestSettings): IngestOptions {
  return {
    strict: settings.strict,
    maxBytes: settings.maxBytes,
    normalizers: defaultNormalizers(settings.normalize),
    ...(settings.summaries !== undefined ? { summaries: settings.summaries } : {}),
  };
}

export const ingestInProcess: IngestDriver = async (files, settings, consumer) => {
  const options = ingestOptions(settings);
  for (const input of files) {
    const ingested = await ingestFile(input.path, input.name, options, (ic) =>
      consumer.interchange(input, ic),
    );
    await consumer.file(input, ingested);
  }
};
