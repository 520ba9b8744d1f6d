/**
 * Runs bytes through the project's streaming readers and returns, per interchange, what an
 * acknowledgment is built from (AckInput), plus every segment of every message and the file issues.
 */
import type { AckInput, AckMessage } from '../../src/core/ack/types.js';
import { createEdifactReader } from '../../src/core/edifact/reader.js';
import type { Issue } from '../../src/core/model/issue.js';
import type {
  EdifactInterchangeHeader,
  InterchangeHeader,
  MessageHeader,
  X12InterchangeHeader,
} from '../../src/core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../../src/core/model/segment.js';
import { createX12Reader } from '../../src/core/x12/reader.js';

export interface ReadInterchange<S> {
  ack: AckInput;
  segments: Array<{ message: MessageHeader; segments: S[] }>;
}

export interface ReadFile<S> {
  interchanges: Array<ReadInterchange<S>>;
  fileIssues: Issue[];
}

function collector<H extends InterchangeHeader, S>() {
  const interchanges: Array<ReadInterchange<S>> = [];
  const fileIssues: Issue[] = [];
  let messages: AckMessage[] = [];
  let segs: Array<{ message: MessageHeader; segments: S[] }> = [];
  let current: S[] = [];
  const sink = {
    interchangeStart(_h: H): void {
      messages = [];
      segs = [];
    },
    messageStart(_h: H, message: MessageHeader): void {
      current = [];
      segs.push({ message, segments: current });
    },
    segment(s: S): void {
      current.push(s);
    },
    messageEnd(_h: H, header: MessageHeader, result: AckMessage['result']): void {
      messages.push({ header, result });
    },
    interchangeEnd(h: H, result: AckInput['result']): void {
      interchanges.push({ ack: { interchange: h, messages, result }, segments: segs });
    },
    fileIssue(issue: Issue): void {
      fileIssues.push(issue);
    },
  };
  return { sink, interchanges, fileIssues };
}

/** Feeds the bytes in chunks of `chunk` bytes (chunk boundaries fall anywhere). */
export function readX12(bytes: Uint8Array, chunk = 7, strict = true): ReadFile<X12Segment> {
  const c = collector<X12InterchangeHeader, X12Segment>();
  const reader = createX12Reader(c.sink, { fileName: 'generated.x12', strict });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { interchanges: c.interchanges, fileIssues: c.fileIssues };
}

export function readEdifact(bytes: Uint8Array, chunk = 7, strict = true): ReadFile<EdifactSegment> {
  const c = collector<EdifactInterchangeHeader, EdifactSegment>();
  const reader = createEdifactReader(c.sink, { fileName: 'generated.edi', strict });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { interchanges: c.interchanges, fileIssues: c.fileIssues };
}

/** Encodes generated content the way an adapter would, from GeneratedFile.charset. */
export function encode(content: string, charset: string): Uint8Array {
  if (charset === 'iso-8859-1') return Uint8Array.from([...content].map((ch) => ch.codePointAt(0) ?? 0x3f));
  return new TextEncoder().encode(content);
}
