/** Test helper: run the X12 reader over bytes and record every sink call. */
import type { Issue } from '../../src/core/model/issue.js';
import type {
  InterchangeResult,
  MessageHeader,
  MessageResult,
  X12InterchangeHeader,
  X12Sink,
} from '../../src/core/model/reader.js';
import type { X12Segment } from '../../src/core/model/segment.js';
import { createX12Reader } from '../../src/core/x12/reader.js';

export type Call =
  | { kind: 'interchangeStart'; header: X12InterchangeHeader }
  | { kind: 'messageStart'; interchange: string; message: MessageHeader }
  | { kind: 'segment'; segment: X12Segment }
  | { kind: 'messageEnd'; message: MessageHeader; result: MessageResult }
  | { kind: 'interchangeEnd'; header: X12InterchangeHeader; result: InterchangeResult }
  | { kind: 'fileIssue'; issue: Issue };

export interface ReadResult {
  calls: Call[];
  interchanges: { header: X12InterchangeHeader; result: InterchangeResult }[];
  messages: { header: MessageHeader; result: MessageResult }[];
  segments: X12Segment[];
  fileIssues: Issue[];
  /** Every issue once, in file order (by byte offset; issues without one keep their reported order, last). */
  issues: Issue[];
  errors: Issue[];
  /** No error anywhere and at least one interchange. */
  ok: boolean;
}

export interface ReadOptions {
  strict?: boolean;
  maxSegmentLength?: number;
  /** Chunk size, or explicit cut points (byte offsets). Default: one chunk. */
  chunks?: number | number[];
  fileName?: string;
}

export function recordingSink(calls: Call[]): X12Sink {
  return {
    interchangeStart: (header) => calls.push({ kind: 'interchangeStart', header }),
    messageStart: (interchange, message) =>
      calls.push({ kind: 'messageStart', interchange: interchange.controlNumber, message }),
    segment: (segment) => calls.push({ kind: 'segment', segment }),
    messageEnd: (_ic, message, result) => calls.push({ kind: 'messageEnd', message, result }),
    interchangeEnd: (header, result) => calls.push({ kind: 'interchangeEnd', header, result }),
    fileIssue: (issue) => calls.push({ kind: 'fileIssue', issue }),
  };
}

export function splitAt(bytes: Uint8Array, chunks: number | number[] | undefined): Uint8Array[] {
  if (chunks === undefined) return [bytes];
  const cuts: number[] = [];
  if (typeof chunks === 'number') {
    for (let i = chunks; i < bytes.length; i += chunks) cuts.push(i);
  } else {
    cuts.push(...[...chunks].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b));
  }
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  out.push(bytes.subarray(from));
  return out;
}

export function readX12(input: Uint8Array | string, options: ReadOptions = {}): ReadResult {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const calls: Call[] = [];
  const reader = createX12Reader(recordingSink(calls), {
    fileName: options.fileName ?? 'test.edi',
    strict: options.strict ?? false,
    ...(options.maxSegmentLength !== undefined ? { maxSegmentLength: options.maxSegmentLength } : {}),
  });
  for (const chunk of splitAt(bytes, options.chunks)) reader.push(chunk);
  reader.end();
  const interchanges: ReadResult['interchanges'] = [];
  const messages: ReadResult['messages'] = [];
  const segments: X12Segment[] = [];
  const fileIssues: Issue[] = [];
  for (const c of calls) {
    if (c.kind === 'interchangeEnd') interchanges.push({ header: c.header, result: c.result });
    else if (c.kind === 'messageEnd') messages.push({ header: c.message, result: c.result });
    else if (c.kind === 'segment') segments.push(c.segment);
    else if (c.kind === 'fileIssue') fileIssues.push(c.issue);
  }
  const issues: Issue[] = [];
  for (const c of calls) {
    if (c.kind === 'messageEnd' || c.kind === 'interchangeEnd') issues.push(...c.result.issues);
    else if (c.kind === 'fileIssue') issues.push(c.issue);
  }
  const at = (i: Issue): number => i.byteOffset ?? Number.MAX_SAFE_INTEGER;
  issues.sort((a, b) => at(a) - at(b));
  const errors = issues.filter((i) => i.severity === 'error');
  const ok =
    interchanges.length > 0 &&
    errors.length === 0 &&
    interchanges.every((i) => i.result.ok) &&
    messages.every((m) => m.result.ok);
  return { calls, interchanges, messages, segments, fileIssues, issues, errors, ok };
}
