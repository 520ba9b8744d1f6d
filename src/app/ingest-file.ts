/**
 * Reads one input file as a stream (bounded memory: one chunk plus the reader's current segment plus
 * one interchange's events) and reports each interchange as soon as it closes, so the caller can
 * aggregate while the file is still being read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Issue } from '../core/model/issue.js';
import type { EdifactInterchangeHeader, X12InterchangeHeader } from '../core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../core/model/segment.js';
import type { ShipmentEvent } from '../core/model/shipment-event.js';
import { ChunkedEventHold } from '../core/pipeline/event-hold.js';
import { createFileReader } from '../core/pipeline/file-reader.js';
import {
  type CollectorLimits,
  DEFAULT_COLLECTOR_LIMITS,
  InterchangeCollector,
} from '../core/pipeline/interchange-collector.js';
import type { FileOutcome, InterchangeOutcome, NormalizerFactory } from '../core/pipeline/outcome.js';

export interface NormalizerFactories {
  x12: (file: string) => NormalizerFactory<X12InterchangeHeader, X12Segment>;
  edifact: (file: string) => NormalizerFactory<EdifactInterchangeHeader, EdifactSegment>;
}

export interface IngestOptions {
  strict: boolean;
  /** Files larger than this are refused before reading (INTAKE_TOO_LARGE). */
  maxBytes: number;
  maxSegmentLength?: number;
  chunkBytes?: number;
  limits?: CollectorLimits;
  normalizers: NormalizerFactories;
  /**
   * Keep each interchange's summary in the returned outcome (default true). The replay accounts and
   * acknowledges each interchange as it comes and passes false: a file of 50k interchanges kept
   * 50k summaries (707 MB) until its end.
   */
  summaries?: boolean;
  /**
   * Encode the events in chunks of at most `events` as they are normalized (the replay's ingest
   * thread): the interchange's outcome then carries no events and `onInterchange` receives the
   * chunks, in order (none when the interchange is rejected). Event objects then die young instead
   * of being promoted while their interchange is open (docs/ingest-per-message.md).
   */
  encodeChunks?: { encode: (events: readonly ShipmentEvent[]) => Uint8Array; events: number };
}

/** An interchange's events as encoded chunks (IngestOptions.encodeChunks). */
export interface EncodedEvents {
  chunks: Uint8Array[];
  /** Events in all the chunks. */
  events: number;
}

export interface IngestedFile {
  outcome: FileOutcome;
  /** SHA-256 of the bytes read (null when the file was refused unread). */
  sha256: string | null;
}

/**
 * `onInterchange` receives each interchange (with its events, or their chunks when
 * `encodeChunks` is set) in file order and may be async: reading pauses until it resolves, which is
 * the back-pressure that keeps memory flat. The returned outcome keeps every interchange's summary
 * and issues, but not its events.
 */
export async function ingestFile(
  path: string,
  displayName: string,
  options: IngestOptions,
  onInterchange: (outcome: InterchangeOutcome, encoded: EncodedEvents | undefined) => Promise<void> | void,
): Promise<IngestedFile> {
  const hash = createHash('sha256');
  const outcome: FileOutcome = {
    file: displayName,
    standard: null,
    interchanges: [],
    fileIssues: [],
    bytes: 0,
  };
  const size = (await stat(path)).size;
  outcome.bytes = size;
  if (size > options.maxBytes) {
    outcome.fileIssues.push({
      code: 'INTAKE_TOO_LARGE',
      severity: 'error',
      message: `file is ${size} bytes, over the ${options.maxBytes}-byte limit`,
      file: displayName,
      byteOffset: options.maxBytes,
    });
    return { outcome, sha256: null };
  }
  const chunked =
    options.encodeChunks !== undefined
      ? new ChunkedEventHold(options.encodeChunks.encode, options.encodeChunks.events)
      : undefined;
  // The collector reports an interchange the moment it ends, before any event of the next one
  // reaches the hold: its chunks are taken here, beside its outcome.
  const pending: Array<[InterchangeOutcome, EncodedEvents | undefined]> = [];
  const collect = (ic: InterchangeOutcome): void => {
    pending.push([ic, chunked?.take()]);
  };
  const limits = options.limits ?? DEFAULT_COLLECTOR_LIMITS;
  let fileIssues: Issue[] = outcome.fileIssues;
  const reader = createFileReader(
    {
      fileName: displayName,
      strict: options.strict,
      ...(options.maxSegmentLength !== undefined ? { maxSegmentLength: options.maxSegmentLength } : {}),
    },
    {
      x12: () => {
        const c = new InterchangeCollector(
          displayName,
          options.normalizers.x12(displayName),
          collect,
          limits,
          chunked,
        );
        fileIssues = c.fileIssues;
        return c;
      },
      edifact: () => {
        const c = new InterchangeCollector(
          displayName,
          options.normalizers.edifact(displayName),
          collect,
          limits,
          chunked,
        );
        fileIssues = c.fileIssues;
        return c;
      },
      standard: (standard) => {
        outcome.standard = standard;
      },
      fileIssue: (issue) => outcome.fileIssues.push(issue),
    },
  );
  const drain = async (): Promise<void> => {
    while (pending.length > 0) {
      const [ic, encoded] = pending.shift() as [InterchangeOutcome, EncodedEvents | undefined];
      await onInterchange(ic, encoded);
      if (options.summaries !== false) outcome.interchanges.push({ ...ic, events: [] });
    }
  };
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    reader.push(chunk as Buffer);
    if (pending.length > 0) await drain();
  }
  reader.end();
  await drain();
  if (fileIssues !== outcome.fileIssues) outcome.fileIssues.push(...fileIssues);
  return { outcome, sha256: hash.digest('hex') };
}
