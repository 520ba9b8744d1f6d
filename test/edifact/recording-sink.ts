/** Test helpers: a sink that records every call in order, and ways to feed bytes in chunks. */
import { createEdifactReader } from '../../src/core/edifact/index.js';
import type { Issue } from '../../src/core/model/issue.js';
import type {
  EdifactInterchangeHeader,
  EdifactSink,
  InterchangeResult,
  MessageHeader,
  MessageResult,
} from '../../src/core/model/reader.js';
import type { EdifactSegment } from '../../src/core/model/segment.js';

export type SinkEvent =
  | { kind: 'interchangeStart'; header: EdifactInterchangeHeader }
  | { kind: 'messageStart'; interchange: string; message: MessageHeader }
  | { kind: 'segment'; segment: EdifactSegment }
  | { kind: 'messageEnd'; interchange: string; message: MessageHeader; result: MessageResult }
  | { kind: 'interchangeEnd'; header: EdifactInterchangeHeader; result: InterchangeResult }
  | { kind: 'fileIssue'; issue: Issue };

export interface Recording {
  events: SinkEvent[];
  interchanges: Array<{ header: EdifactInterchangeHeader; result: InterchangeResult }>;
  messages: Array<{ header: MessageHeader; result: MessageResult }>;
  segments: EdifactSegment[];
  fileIssues: Issue[];
  /** Every issue from every scope, in the order the results were delivered. */
  issues: Issue[];
  /** No error anywhere: every interchange and message ok, no error file issue. */
  ok: boolean;
}

export function recordingSink(): { sink: EdifactSink; recording: Recording } {
  const recording: Recording = {
    events: [],
    interchanges: [],
    messages: [],
    segments: [],
    fileIssues: [],
    issues: [],
    ok: true,
  };
  const sink: EdifactSink = {
    interchangeStart(header) {
      recording.events.push({ kind: 'interchangeStart', header });
    },
    messageStart(interchange, message) {
      recording.events.push({ kind: 'messageStart', interchange: interchange.controlNumber, message });
    },
    segment(segment) {
      recording.events.push({ kind: 'segment', segment });
      recording.segments.push(segment);
    },
    messageEnd(interchange, message, result) {
      recording.events.push({ kind: 'messageEnd', interchange: interchange.controlNumber, message, result });
      recording.messages.push({ header: message, result });
      recording.issues.push(...result.issues);
      if (!result.ok) recording.ok = false;
    },
    interchangeEnd(header, result) {
      recording.events.push({ kind: 'interchangeEnd', header, result });
      recording.interchanges.push({ header, result });
      recording.issues.push(...result.issues);
      if (!result.ok) recording.ok = false;
    },
    fileIssue(issue) {
      recording.events.push({ kind: 'fileIssue', issue });
      recording.fileIssues.push(issue);
      recording.issues.push(issue);
      if (issue.severity === 'error') recording.ok = false;
    },
  };
  return { sink, recording };
}

export interface ReadOptions {
  strict?: boolean;
  maxSegmentLength?: number;
  /** Chunk boundaries (byte positions, ascending); default: one chunk. */
  splits?: readonly number[];
  fileName?: string;
}

export function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Latin-1 bytes for a string whose characters are all <= U+00FF. */
export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

export function read(input: string | Uint8Array, options: ReadOptions = {}): Recording {
  const bytes = toBytes(input);
  const { sink, recording } = recordingSink();
  const readerOptions: { fileName: string; strict: boolean; maxSegmentLength?: number } = {
    fileName: options.fileName ?? 'test.edi',
    strict: options.strict ?? false,
  };
  if (options.maxSegmentLength !== undefined) readerOptions.maxSegmentLength = options.maxSegmentLength;
  const reader = createEdifactReader(sink, readerOptions);
  let last = 0;
  for (const at of options.splits ?? []) {
    if (at <= last || at >= bytes.length) continue;
    reader.push(bytes.subarray(last, at));
    last = at;
  }
  reader.push(bytes.subarray(last));
  reader.end();
  return recording;
}

/** Chunk boundaries for chunks of `size` bytes. */
export function everyNBytes(length: number, size: number): number[] {
  const out: number[] = [];
  for (let at = size; at < length; at += size) out.push(at);
  return out;
}

export function codes(recording: Recording): string[] {
  return recording.issues.map((issue) => issue.code);
}

export function errors(recording: Recording): Issue[] {
  return recording.issues.filter((issue) => issue.severity === 'error');
}
