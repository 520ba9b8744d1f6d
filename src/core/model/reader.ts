/**
 * The streaming reader contract shared by the X12 and EDIFACT readers (src/core/x12, src/core/edifact).
 * Readers are pure push parsers: the adapter feeds bytes as they arrive, the reader calls the sink
 * synchronously. Memory is bounded by the longest segment, never by the file.
 */
import type { Issue } from './issue.js';
import type { EdifactDelimiters, EdifactSegment, X12Delimiters, X12Segment } from './segment.js';

export type Standard = 'x12' | 'edifact';

export interface ReaderOptions {
  /** Name used in issues (never opened by the core). */
  fileName: string;
  /** Layout tolerance off: BOM, whitespace before tags, stray CR/LF, missing last terminator become errors. */
  strict: boolean;
  /** Longest segment accepted, in characters; longer is an error (protects memory). Default 1 MiB. */
  maxSegmentLength?: number;
}

export interface InterchangeHeaderBase {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  controlNumber: string;
  /** CCYYMMDD when it can be derived (X12 ISA09 is YYMMDD; EDIFACT UNB 0017 YYMMDD or CCYYMMDD). */
  date: string;
  /** HHMM */
  time: string;
  /** ISA15 / UNB 0035 ('1' = test), '' when absent. */
  usage: string;
  /** 0-based file-level index of the ISA / UNB segment. */
  segmentIndex: number;
  byteOffset: number;
}

export interface X12InterchangeHeader extends InterchangeHeaderBase {
  standard: 'x12';
  /** ISA12 */
  version: string;
  delimiters: X12Delimiters;
}

export interface EdifactInterchangeHeader extends InterchangeHeaderBase {
  standard: 'edifact';
  /** UNB 0001:0002, e.g. 'UNOA:4' */
  syntax: string;
  /** Character set used to decode values (e.g. 'utf-8', 'iso-8859-2'). */
  charset: string;
  delimiters: EdifactDelimiters;
  /** true when a UNA service string advice was present. */
  una: boolean;
}

export type InterchangeHeader = X12InterchangeHeader | EdifactInterchangeHeader;

export interface MessageHeader {
  /** ST01 ('309', '350', ...) or UNH 0065 ('CUSCAR', 'CUSRES', ...). */
  type: string;
  /** ST02 / UNH 0062 */
  reference: string;
  /** GS08 / UNH 0052:0054:0051 e.g. '004060' or 'D:03B:UN'. */
  version: string;
  /** GS01 functional identifier / UNG 0038, '' when absent. */
  functionalId: string;
  /** GS06 / UNG 0048, '' when absent. */
  groupControl: string;
  /** GS02/GS03 application sender/receiver (X12) or UNG sender/receiver, '' when absent. */
  appSender: string;
  appReceiver: string;
  segmentIndex: number;
  byteOffset: number;
}

export interface MessageResult {
  ok: boolean;
  /** Issues of this message (trailer counts, references, content too short...). */
  issues: Issue[];
  /** Segments counted from ST/UNH to SE/UNT inclusive. */
  segmentCount: number;
}

export interface InterchangeResult {
  /** false when the envelope has an error or any of its messages failed. */
  ok: boolean;
  /** Issues of the interchange envelope itself (ISA/IEA, UNB/UNZ, groups, layout); message issues are in messageEnd. */
  issues: Issue[];
  groupCount: number;
  messageCount: number;
  /** Number of bytes of the interchange, for accounting. */
  byteLength: number;
}

export interface ReaderSink<H extends InterchangeHeader, S> {
  interchangeStart(header: H): void;
  messageStart(interchange: H, message: MessageHeader): void;
  /** Every segment between ST/UNH and SE/UNT (exclusive of both). */
  segment(segment: S): void;
  messageEnd(interchange: H, message: MessageHeader, result: MessageResult): void;
  interchangeEnd(header: H, result: InterchangeResult): void;
  /** Issues outside any interchange (junk between interchanges, not EDI, truncated file) and warnings. */
  fileIssue(issue: Issue): void;
}

export type X12Sink = ReaderSink<X12InterchangeHeader, X12Segment>;
export type EdifactSink = ReaderSink<EdifactInterchangeHeader, EdifactSegment>;

export interface StreamReader {
  /** Feed the next bytes of the file; chunk boundaries may fall anywhere, also inside a character. */
  push(chunk: Uint8Array): void;
  /** End of input: flush, report truncation. */
  end(): void;
}
