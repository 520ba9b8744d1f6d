/**
 * The X12 streaming reader: `createX12Reader(sink, options)` returns a push parser. Feed bytes with
 * push() as they arrive (chunk boundaries may fall anywhere), then call end().
 *
 * What the sink sees, in file order:
 * - interchangeStart(header) after each readable ISA; interchangeEnd(header, result) at its IEA, at a
 *   new ISA, or at end(). result.ok is false when any error was found in the interchange (its ISA,
 *   groups, any message, layout under strict); result.issues lists every issue of the interchange,
 *   message issues included.
 * - messageStart / segment (ST..SE exclusive, elements[0] = XX01, values raw; components and
 *   repetitions left joined) / messageEnd(result) per transaction set; result.ok is false when the
 *   set has any error (SE count or reference, missing SE, bad segment, ...).
 * - fileIssue(issue) for what is outside every interchange: INTAKE_NOT_EDI when no ISA is found at
 *   all, junk before/between/after interchanges, an unreadable ISA, layout outside interchanges.
 * BIN/BDS payloads are delivered raw as latin1 text (one char per byte). Interchange-level segments
 * (ISB, ISE, TA1) are checked for position but not delivered: the sink contract has no slot for them.
 * The reader never throws on input; it holds at most one segment (maxSegmentLength, default 1 MiB,
 * counted in bytes, so a segment with multi-byte UTF-8 text reaches it slightly before its length
 * in characters does).
 * Values are raw (X12 has no escape) with two exceptions: bytes >= 0x80 are decoded as UTF-8 (kept
 * as latin1 when not valid UTF-8), and layout removed by the tolerant intake (CR/LF inside a
 * hard-wrapped segment, spaces/tabs right before a terminator) is not part of any value.
 */
import type { ReaderOptions, StreamReader, X12Sink } from '../model/reader.js';
import { X12Envelope } from './envelope.js';
import { X12Tokenizer } from './tokenizer.js';

export const DEFAULT_MAX_SEGMENT_LENGTH = 1024 * 1024;

export function createX12Reader(sink: X12Sink, options: ReaderOptions): StreamReader {
  const requested = options.maxSegmentLength;
  const max =
    requested !== undefined && Number.isFinite(requested) && requested > 0
      ? Math.floor(requested)
      : DEFAULT_MAX_SEGMENT_LENGTH;
  const tokenizer = new X12Tokenizer(new X12Envelope(sink, options), max);
  return {
    push: (chunk) => tokenizer.push(chunk),
    end: () => tokenizer.end(),
  };
}
