/**
 * The intake path of `ingestFile` (file reader → InterchangeCollector → normalizers) without the
 * file system: bytes (already cut into chunks) in, interchange outcomes with their events and the
 * file issues out. Wired the same way as src/app/ingest-file.ts so the fuzzer exercises the real
 * composition; only the stream, the hash and the back-pressure are left out.
 */
import type { Issue } from '../../core/model/issue.js';
import type { EdifactInterchangeHeader, Standard, X12InterchangeHeader } from '../../core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../../core/model/segment.js';
import { createFileReader } from '../../core/pipeline/file-reader.js';
import {
  type CollectorLimits,
  DEFAULT_COLLECTOR_LIMITS,
  InterchangeCollector,
} from '../../core/pipeline/interchange-collector.js';
import type { InterchangeOutcome, NormalizerFactory } from '../../core/pipeline/outcome.js';

/** Same shape as NormalizerFactories of src/app/ingest-file.ts (so `defaultNormalizers(...)` fits). */
export interface IntakeNormalizers {
  x12: (file: string) => NormalizerFactory<X12InterchangeHeader, X12Segment>;
  edifact: (file: string) => NormalizerFactory<EdifactInterchangeHeader, EdifactSegment>;
}

export interface IntakeOptions {
  strict: boolean;
  normalizers: IntakeNormalizers;
  maxSegmentLength?: number;
  limits?: CollectorLimits;
}

export interface IntakeResult {
  standard: Standard | null;
  /** Every interchange in file order, events included. */
  interchanges: InterchangeOutcome[];
  /** Issues outside any interchange, in the order ingestFile reports them. */
  fileIssues: Issue[];
}

export function intakeChunks(
  chunks: Iterable<Uint8Array>,
  name: string,
  options: IntakeOptions,
): IntakeResult {
  const result: IntakeResult = { standard: null, interchanges: [], fileIssues: [] };
  const limits = options.limits ?? DEFAULT_COLLECTOR_LIMITS;
  const collect = (ic: InterchangeOutcome): void => {
    result.interchanges.push(ic);
  };
  let collectorIssues: Issue[] | null = null;
  const reader = createFileReader(
    {
      fileName: name,
      strict: options.strict,
      ...(options.maxSegmentLength !== undefined ? { maxSegmentLength: options.maxSegmentLength } : {}),
    },
    {
      x12: () => {
        const c = new InterchangeCollector(name, options.normalizers.x12(name), collect, limits);
        collectorIssues = c.fileIssues;
        return c;
      },
      edifact: () => {
        const c = new InterchangeCollector(name, options.normalizers.edifact(name), collect, limits);
        collectorIssues = c.fileIssues;
        return c;
      },
      standard: (standard) => {
        result.standard = standard;
      },
      fileIssue: (issue) => result.fileIssues.push(issue),
    },
  );
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  if (collectorIssues !== null) result.fileIssues.push(...(collectorIssues as Issue[]));
  return result;
}
