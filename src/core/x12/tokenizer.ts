/**
 * X12 tokenizer: bytes in, segments out, memory bounded by the longest segment.
 *
 * Written by hand rather than with node-x12 (installed for cross-checks only): its whole-document
 * parse needs ~1.3 GB RSS for 24 MB, and its stream parser drops the end of a file and lets a missing
 * IEA, a missing SE or a truncated file pass silently (see ../shared/notes/dependencies.md).
 *
 * How it stays fast: chunks are decoded as latin1 (index = byte offset, ~2 GB/s), segments are cut
 * with indexOf on the terminator needle and split with indexOf on the element needle; the rare
 * cases (CR/LF inside a segment, bytes >= 0x80 to decode as UTF-8) are detected with per-buffer
 * cached "next occurrence" positions, so the common segment costs no per-character JS loop and no
 * regex. This layer knows delimiters, layout and interchange boundaries (ISA ... IEA); the envelope
 * layer (envelope.ts) checks groups, messages, counts and control numbers.
 */
import type { ErrorCode } from '../errors/registry.js';
import { type IsaScan, isDigits, scanIsa } from './isa.js';
import { decodeBytes, decodeChunk, hasHighByte, isAlnum } from './text.js';

export type LayoutKind = 'bom' | 'whitespace' | 'line-break' | 'no-final-terminator';

/** A successfully scanned ISA, handed to the envelope layer. */
export interface IsaToken {
  /** ISA01..ISA16 as latin1 text (CR/LF removed). */
  fields: string[];
  element: string;
  component: string;
  terminator: string;
  segmentIndex: number;
  byteOffset: number;
}

export interface TokenHandler {
  /** An ISA was read; the interchange it opens is current until the IEA segment. */
  isa(token: IsaToken): void;
  /** Any segment after an ISA (IEA included); `end` = file offset just after its terminator. */
  segment(tag: string, elements: string[], index: number, byteOffset: number, end: number): void;
  /** A tolerated layout deviation; before an ISA it belongs to the interchange that follows. */
  layout(kind: LayoutKind, index: number, byteOffset: number): void;
  /** A tokenizer error in the current scope (message, interchange, or file outside interchanges). */
  problem(code: ErrorCode, message: string, index: number, byteOffset: number, tag?: string): void;
  /** A run of junk outside interchanges ended (at an ISA or at end of input). */
  junk(byteOffset: number): void;
  /** End of input; `sawIsa` = at least one ISA was read. */
  end(sawIsa: boolean, byteOffset: number, index: number): void;
}

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const MODE_OUTSIDE = 0;
const MODE_SEGMENTS = 1;
const MODE_SKIP = 2;
const BOM = '\u00ef\u00bb\u00bf';
const BINARY_REPORTED = -2;
/** First byte >= 0x80 (the latin1 text only holds chars <= 0xFF). */
const HIGH = /[\u0080-\u00ff]/g;

export class X12Tokenizer {
  private buf = '';
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private mode = MODE_OUTSIDE;
  private segIndex = 0;
  private sawIsa = false;
  private atFileStart = true;
  /** File offset where the current junk run started, -1 when none. */
  private junkStart = -1;
  private wsBeforeIsaReported = false;
  // Delimiter needles (latin1) of the current interchange.
  private term = '~';
  private el = '*';
  private skipLF = true;
  private skipCR = true;
  private skipSpace = true;
  private skipTab = true;
  // Layout kinds already reported in the current interchange (listed once each).
  private wsReported = false;
  private breakReported = false;
  // Cached next positions in buf; -1 = unknown, buf.length = none up to the end of buf.
  private nextLF = -1;
  private nextCR = -1;
  private nextHigh = -1;
  /** False when every byte in buf is ASCII (no UTF-8 decoding needed). */
  private mayHaveHigh = false;
  /**
   * File offset of a segment start whose ISA/BIN reading already failed (and was reported): the
   * segment is then cut normally, and when that waits for more input the check must not run again.
   */
  private specialFailedAt = -1;
  /** Set by split(). */
  private tag = '';
  /** split()'s element values before they are copied out (reused for every segment). */
  private readonly scratch: string[] = [];
  private ended = false;
  /**
   * Waiting for input: chunks are parked here, not joined into buf, until one may complete what is
   * pending. Joining every chunk into a long pending segment and rescanning it made a segment
   * that spans n chunks cost O(n * length) (a 200 KB element fed in 4-byte chunks never finished).
   */
  private waiting = false;
  /** While waiting: wake when a terminator arrives. */
  private waitTerm = false;
  /** While waiting: wake once input reaches this file offset (too long, or enough binary data). */
  private wakeAt = 0;
  private parked: string[] = [];
  private parkedLen = 0;
  private parkedAscii = true;

  constructor(
    private readonly handler: TokenHandler,
    private readonly maxSegmentLength: number,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    const { text, ascii } = decodeChunk(chunk);
    if (this.waiting) {
      const reached = this.base + this.buf.length + this.parkedLen + text.length;
      if (reached < this.wakeAt && !(this.waitTerm && this.termArrives(text))) {
        this.parked.push(text);
        this.parkedLen += text.length;
        if (!ascii) this.parkedAscii = false;
        return;
      }
    }
    this.take(text, ascii);
    this.run(false);
  }

  end(): void {
    if (this.ended) return;
    if (this.waiting) this.take('', true);
    this.run(true);
    this.ended = true;
    const fileEnd = this.base + this.buf.length;
    if (this.junkStart >= 0 && this.sawIsa) this.handler.junk(this.junkStart);
    this.junkStart = -1;
    this.buf = '';
    this.pos = 0;
    this.handler.end(this.sawIsa, fileEnd, this.segIndex);
  }

  /** Drop what is consumed and append the parked chunks and `text` to what is pending (one join). */
  private take(text: string, ascii: boolean): void {
    const parked = this.parked.length > 0 ? this.parked.join('') : '';
    const high = !ascii || !this.parkedAscii;
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = parked + text;
      this.mayHaveHigh = high;
    } else {
      this.base += this.pos;
      const rest = this.buf.slice(this.pos);
      this.buf = rest + parked + text;
      this.mayHaveHigh = high || (this.mayHaveHigh && hasHighByte(rest));
    }
    this.pos = 0;
    this.nextLF = -1;
    this.nextCR = -1;
    this.nextHigh = -1;
    this.waiting = false;
    this.parked = [];
    this.parkedLen = 0;
    this.parkedAscii = true;
  }

  /** Stop until a terminator arrives (term) or input reaches file offset `wakeAt`. */
  private wait(term: boolean, wakeAt: number): void {
    this.waiting = true;
    this.waitTerm = term;
    this.wakeAt = wakeAt;
  }

  /** Whether `text` holds a terminator, or completes one begun at the end of the pending input. */
  private termArrives(text: string): boolean {
    const term = this.term;
    if (text.indexOf(term) >= 0) return true;
    const k = term.length - 1;
    if (k === 0) return false;
    let tail = '';
    for (let i = this.parked.length - 1; i >= 0 && tail.length < k; i--)
      tail = (this.parked[i] as string).slice(-k) + tail;
    if (tail.length < k) tail = this.buf.slice(Math.max(this.pos, this.buf.length - k)) + tail;
    return (tail.slice(-k) + text.slice(0, k)).indexOf(term) >= 0;
  }

  private run(final: boolean): void {
    for (;;) {
      let again: boolean;
      if (this.mode === MODE_SEGMENTS) again = this.segments(final);
      else if (this.mode === MODE_OUTSIDE) again = this.outside(final);
      else again = this.skip(final);
      if (!again) return;
    }
  }

  /** Between interchanges: BOM, line breaks, whitespace, an ISA, or junk. */
  private outside(final: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    let p = this.pos;
    while (p < len) {
      if (this.atFileStart) {
        if (p + 3 > len && !final && BOM.startsWith(buf.slice(p))) break;
        this.atFileStart = false;
        if (buf.startsWith(BOM, p)) {
          this.handler.layout('bom', this.segIndex, this.base + p);
          p += 3;
          continue;
        }
      }
      const c = buf.charCodeAt(p);
      if (this.junkStart < 0) {
        if (c === LF || c === CR) {
          p++;
          continue;
        }
        if (c === SP || c === TAB) {
          if (!this.wsBeforeIsaReported) {
            this.wsBeforeIsaReported = true;
            this.handler.layout('whitespace', this.segIndex, this.base + p);
          }
          p++;
          continue;
        }
      }
      if (c === 73 /* I */) {
        if (p + 4 > len && !final) break;
        if (
          buf.charCodeAt(p + 1) === 83 &&
          buf.charCodeAt(p + 2) === 65 &&
          p + 3 < len &&
          !isAlnum(buf.charCodeAt(p + 3))
        ) {
          const scan = scanIsa(buf, p, final);
          if (scan.kind === 'more') break;
          if (scan.kind === 'ok') {
            if (this.junkStart >= 0) {
              this.handler.junk(this.junkStart);
              this.junkStart = -1;
            }
            this.pos = p;
            this.openInterchange(scan, p);
            return true;
          }
          this.handler.problem(
            'X12_ISA_INVALID',
            `ISA cannot be read: ${scan.reason}`,
            this.segIndex,
            this.base + p,
            'ISA',
          );
        }
      }
      // Junk: jump to the next "ISA" candidate, keeping a possible split "IS" at the end of the buffer.
      if (this.junkStart < 0) this.junkStart = this.base + p;
      const next = buf.indexOf('ISA', p + 1);
      if (next < 0) {
        p = final ? len : Math.max(p + 1, len - 2);
        break;
      }
      p = next;
    }
    this.pos = p;
    return false;
  }

  private openInterchange(scan: Extract<IsaScan, { kind: 'ok' }>, at: number): void {
    const index = this.segIndex++;
    this.sawIsa = true;
    this.wsBeforeIsaReported = false;
    this.wsReported = false;
    this.breakReported = false;
    this.term = scan.terminator;
    this.el = scan.element;
    const delims = scan.element + scan.component + scan.terminator;
    this.skipLF = !delims.includes('\n');
    this.skipCR = !delims.includes('\r');
    this.skipSpace = !delims.includes(' ');
    this.skipTab = !delims.includes('\t');
    this.handler.isa({
      fields: scan.fields,
      element: scan.element,
      component: scan.component,
      terminator: scan.terminator,
      segmentIndex: index,
      byteOffset: this.base + at,
    });
    if (scan.lineBreakAt >= 0) this.reportBreak(index, this.base + scan.lineBreakAt);
    this.pos = scan.end;
    this.mode = MODE_SEGMENTS;
  }

  /** Inside an interchange: cut segments until the IEA, a new ISA, or the end of the buffer. */
  private segments(final: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    const term = this.term;
    const termLen = term.length;
    const max = this.maxSegmentLength;
    let p = this.pos;
    for (;;) {
      // Line breaks after a terminator are ordinary; spaces/tabs before a tag are layout.
      while (p < len) {
        const c = buf.charCodeAt(p);
        if (c === LF ? this.skipLF : c === CR ? this.skipCR : false) {
          p++;
        } else if ((c === SP && this.skipSpace) || (c === TAB && this.skipTab)) {
          if (!this.wsReported) {
            this.wsReported = true;
            this.handler.layout('whitespace', this.segIndex, this.base + p);
          }
          p++;
        } else break;
      }
      if (p >= len) {
        this.pos = p;
        return false;
      }
      const c0 = buf.charCodeAt(p);
      if ((c0 === 73 || c0 === 66) && this.specialFailedAt === this.base + p) {
        // already tried as ISA/BIN and reported; cut it normally below
      } else if (c0 === 73 /* I */ && p + 4 > len && !final && 'ISA'.startsWith(buf.substring(p, p + 3))) {
        // Too few bytes to tell a new ISA from an ordinary segment: wait (for at most 4 bytes), so
        // the outcome never depends on where a chunk ends (with a tiny segment limit it did).
        this.pos = p;
        return false;
      } else if (c0 === 73 /* I */ && buf.charCodeAt(p + 1) === 83 && buf.charCodeAt(p + 2) === 65) {
        // A new ISA inside an interchange (missing IEA): read it with its own delimiters.
        if (p + 3 < len && !isAlnum(buf.charCodeAt(p + 3))) {
          const scan = scanIsa(buf, p, final);
          if (scan.kind === 'more') {
            this.pos = p;
            return false;
          }
          if (scan.kind === 'ok') {
            this.openInterchange(scan, p);
            return true;
          }
          this.handler.problem(
            'X12_ISA_INVALID',
            `ISA cannot be read: ${scan.reason}`,
            this.segIndex,
            this.base + p,
            'ISA',
          );
          this.specialFailedAt = this.base + p;
        }
      } else if (c0 === 66 /* B */) {
        const r = this.binary(p, final);
        if (r === 0) {
          this.pos = p;
          return false;
        }
        if (r > 0) {
          p = r;
          continue;
        }
        if (r === BINARY_REPORTED) this.specialFailedAt = this.base + p;
      }
      let e = buf.indexOf(term, p);
      let unterminated = false;
      if (e < 0) {
        // Before the end, the last termLen - 1 chars may be the start of a terminator: the segment
        // is too long only when it certainly is (as it is judged when the whole input is there).
        if (final ? len - p > max : len - p - termLen + 1 > max) {
          this.tooLong(p);
          this.pos = p;
          this.mode = MODE_SKIP;
          return true;
        }
        if (!final) {
          this.pos = p;
          this.wait(true, this.base + p + max + termLen);
          return false;
        }
        e = len;
        unterminated = true;
      } else if (e - p > max) {
        this.tooLong(p);
        this.segIndex++;
        p = e + termLen;
        continue;
      }
      const index = this.segIndex++;
      const next = unterminated ? len : e + termLen;
      if (unterminated) {
        while (
          e > p &&
          ((buf.charCodeAt(e - 1) === LF && this.skipLF) || (buf.charCodeAt(e - 1) === CR && this.skipCR))
        )
          e--;
        this.handler.layout('no-final-terminator', index, this.base + p);
      }
      this.emit(p, e, index, this.base + next);
      p = next;
      if (this.tag === 'IEA') {
        this.pos = p;
        this.mode = MODE_OUTSIDE;
        return true;
      }
    }
  }

  /** Cut [start, end) into tag and elements and hand it on. */
  private emit(start: number, end: number, index: number, fileEnd: number): void {
    const buf = this.buf;
    const byteOffset = this.base + start;
    // Spaces/tabs right before the terminator are layout too (pretty-printed files write "SE*14*1 ~").
    const ws = end;
    while (end > start) {
      const c = buf.charCodeAt(end - 1);
      if ((c === SP && this.skipSpace) || (c === TAB && this.skipTab)) end--;
      else break;
    }
    if (end < ws && !this.wsReported) {
      this.wsReported = true;
      this.handler.layout('whitespace', index, this.base + end);
    }
    if (start === end) {
      this.tag = '';
      this.handler.problem(
        'X12_SEGMENT_EMPTY',
        'empty segment (two terminators in a row)',
        index,
        byteOffset,
      );
      return;
    }
    let elements: string[];
    const brk = this.lineBreakIn(start, end);
    if (brk >= 0) {
      this.reportBreak(index, this.base + brk);
      const text = this.stripBreaks(buf.substring(start, end));
      elements = this.split(text, 0, text.length);
    } else {
      elements = this.split(buf, start, end);
    }
    if (this.highIn(start, end)) {
      this.tag = decodeBytes(this.tag);
      for (let i = 0; i < elements.length; i++) elements[i] = decodeBytes(elements[i] as string);
    }
    const tag = this.tag;
    if (!validTag(tag)) {
      this.handler.problem(
        'X12_SEGMENT_TAG_INVALID',
        `segment tag '${tag}' is not 2-3 upper-case letters or digits`,
        index,
        byteOffset,
        tag,
      );
    }
    this.handler.segment(tag, elements, index, byteOffset, fileEnd);
  }

  /**
   * Split text[start, end) on the element needle: tag into this.tag, elements returned (XX01 first).
   * The values are gathered in `scratch` and copied out into an array of exactly their number: an
   * array grown by push from empty holds 17 slots (~150 bytes) for the 2–6 elements of a typical
   * segment, ~0.75 KB of garbage per shipment on the bench traffic (docs/ingest-cpu.md).
   */
  private split(text: string, start: number, end: number): string[] {
    const el = this.el;
    const elLen = el.length;
    let i = text.indexOf(el, start);
    if (i < 0 || i >= end) {
      this.tag = text.substring(start, end);
      return [];
    }
    this.tag = text.substring(start, i);
    const scratch = this.scratch;
    let n = 0;
    let a = i + elLen;
    for (;;) {
      i = text.indexOf(el, a);
      if (i < 0 || i >= end) {
        scratch[n++] = text.substring(a, end);
        break;
      }
      scratch[n++] = text.substring(a, i);
      a = i + elLen;
    }
    const elements = scratch.slice(0, n);
    // Let go of the values (a value sliced from the chunk would keep the chunk's text alive).
    scratch.fill('', 0, n);
    return elements;
  }

  /**
   * BIN (BIN01 length, BIN02 data) and BDS (BDS02 length, BDS03 data) carry raw bytes that may hold
   * the terminator: read the declared number of bytes. Returns the index after the segment, 0 when
   * more input is needed, -1 when this is not a binary segment, BINARY_REPORTED when it is a broken
   * one (reported; both are then cut normally).
   */
  private binary(p: number, final: boolean): number {
    const buf = this.buf;
    const el = this.el;
    if (p + 3 + el.length > buf.length) return final ? -1 : 0;
    const isBin = buf.startsWith('BIN', p);
    if (!isBin && !buf.startsWith('BDS', p)) return -1;
    const lengthField = isBin ? 0 : 1;
    let a = p + 3;
    if (!buf.startsWith(el, a)) return -1;
    a += el.length;
    const fields: string[] = [];
    for (let f = 0; f <= lengthField; f++) {
      const i = buf.indexOf(el, a);
      if (i < 0 || i - a > 32) {
        if (i < 0 && buf.length - a <= 32 && !final) return 0;
        break;
      }
      fields.push(buf.substring(a, i));
      a = i + el.length;
    }
    const index = this.segIndex;
    const tag = isBin ? 'BIN' : 'BDS';
    const lengthText = fields[lengthField];
    if (lengthText === undefined || lengthText.length > 15 || !isDigits(lengthText)) {
      this.handler.problem(
        'X12_BINARY_INVALID',
        `${tag} length '${lengthText ?? ''}' is not a number`,
        index,
        this.base + p,
        tag,
      );
      return BINARY_REPORTED;
    }
    const size = Number(lengthText);
    if (size > this.maxSegmentLength) return -1; // the normal path reports it as too long
    const dataEnd = a + size;
    if (dataEnd + this.term.length > this.buf.length) {
      if (final) return this.binaryMisfit(p, tag);
      this.wait(false, this.base + dataEnd + this.term.length);
      return 0;
    }
    if (!buf.startsWith(this.term, dataEnd)) return this.binaryMisfit(p, tag);
    this.segIndex++;
    const next = dataEnd + this.term.length;
    // Data stays raw: one latin1 char per byte, never decoded.
    fields.push(buf.substring(a, dataEnd));
    this.tag = tag;
    this.handler.segment(tag, fields, index, this.base + p, this.base + next);
    return next;
  }

  private binaryMisfit(p: number, tag: string): number {
    this.handler.problem(
      'X12_BINARY_INVALID',
      `${tag} data is not followed by the segment terminator where its length says`,
      this.segIndex,
      this.base + p,
      tag,
    );
    return BINARY_REPORTED;
  }

  /** After an over-long segment: drop input up to and including the next terminator. */
  private skip(final: boolean): boolean {
    const e = this.buf.indexOf(this.term, this.pos);
    if (e < 0) {
      this.pos = final ? this.buf.length : Math.max(this.pos, this.buf.length - this.term.length + 1);
      if (final) this.segIndex++;
      return false;
    }
    this.segIndex++;
    this.pos = e + this.term.length;
    this.mode = MODE_SEGMENTS;
    return true;
  }

  private tooLong(p: number): void {
    this.handler.problem(
      'X12_SEGMENT_TOO_LONG',
      `segment longer than ${this.maxSegmentLength} bytes; skipped to the next terminator`,
      this.segIndex,
      this.base + p,
    );
  }

  private reportBreak(index: number, byteOffset: number): void {
    if (this.breakReported) return;
    this.breakReported = true;
    this.handler.layout('line-break', index, byteOffset);
  }

  /** Index of the first removable CR/LF in [start, end), -1 when none. */
  private lineBreakIn(start: number, end: number): number {
    let found = -1;
    if (this.skipLF) {
      let n = this.nextLF;
      if (n < start) {
        n = this.buf.indexOf('\n', start);
        if (n < 0) n = this.buf.length;
        this.nextLF = n;
      }
      if (n < end) found = n;
    }
    if (this.skipCR) {
      let n = this.nextCR;
      if (n < start) {
        n = this.buf.indexOf('\r', start);
        if (n < 0) n = this.buf.length;
        this.nextCR = n;
      }
      if (n < end && (found < 0 || n < found)) found = n;
    }
    return found;
  }

  private highIn(start: number, end: number): boolean {
    if (!this.mayHaveHigh) return false;
    let n = this.nextHigh;
    if (n < start) {
      HIGH.lastIndex = start;
      const m = HIGH.exec(this.buf);
      n = m === null ? this.buf.length : m.index;
      this.nextHigh = n;
    }
    return n < end;
  }

  private stripBreaks(text: string): string {
    let out = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if ((c === LF && this.skipLF) || (c === CR && this.skipCR)) {
        out += text.substring(from, i);
        from = i + 1;
      }
    }
    return out + text.substring(from);
  }
}

function validTag(tag: string): boolean {
  if (tag.length < 2 || tag.length > 3) return false;
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}
