/**
 * UN/EDIFACT push tokenizer: byte chunks in, segments (tag + components) out.
 *
 * Written by hand rather than taken from npm (measured, see shared/notes/dependencies.md):
 * `edifact` (node-edifact) breaks on UNA delimiters such as `^ [ \ ]` and rejects the syntax-4 UNA;
 * `ts-edifact` crashes on require (a dev dependency loaded at run time) and ignores custom UNA
 * delimiters in the data; both split a segment wrongly when a release character is the last byte
 * of a read chunk; `edifact-parser` does not exist. A single scanning loop over a byte string is
 * also what keeps memory bounded by the longest segment.
 *
 * How it works: each chunk becomes a byte string (one UTF-16 unit per byte, see charset.ts), and one
 * loop classifies every unit through a 64K lookup table built from the service characters in force.
 * The state of an unfinished segment (components so far, an escape pending after a release
 * character, the length so far) survives the chunk boundary, so a chunk may end anywhere, also right
 * after a release character. Layout deviations (BOM, blanks before a tag, CR/LF inside a segment,
 * missing last terminator) are not judged here: they are reported as flags on the segment and the
 * envelope decides, by mode, whether they are warnings or errors.
 */
import { createByteStringDecoder } from './charset.js';
import { DEFAULT_SERVICE_CHARS, serviceCharsToDelimiters, UNA_LENGTH } from './service-string.js';

/** The segment was preceded by a UTF-8 byte order mark (start of input). */
export const SEG_BOM = 1;
/** Spaces or tabs (or, at the start of input, line breaks) stood before the tag. */
export const SEG_LEADING_BLANK = 2;
/** CR/LF inside the segment (ignored: a hard-wrapped line). */
export const SEG_LINE_BREAK = 4;
/** Input ended before the segment terminator. */
export const SEG_NO_TERMINATOR = 8;
/** A value holds bytes >= 0x80 and needs decoding with the interchange repertoire. */
export const SEG_HIGH = 16;

export interface TokenHandler {
  /** A complete UNA: its six service characters (in force from the next byte on). */
  serviceStringAdvice(chars: string, byteOffset: number, endOffset: number, flags: number): void;
  /**
   * A segment. Values are byte strings with release characters removed; `tag` is the first
   * component before the first element separator. `endOffset` is one past the terminator.
   */
  segment(tag: string, elements: string[][], byteOffset: number, endOffset: number, flags: number): void;
  /** A segment longer than the limit, skipped unread up to its terminator; `tag` is '' when unknown. */
  oversized(tag: string, byteOffset: number, endOffset: number, flags: number): void;
  /** The input does not start with UNA or UNB; nothing after this is read. */
  notEdifact(byteOffset: number, sample: string): void;
  /** Blanks after the last segment (only reported when they are spaces/tabs). */
  trailingBlank(byteOffset: number, flags: number): void;
}

// Separators are 1..3 so the hot loop tells them apart from the rest with one comparison.
const C_DATA = 0;
const C_COMPONENT = 1;
const C_ELEMENT = 2;
const C_TERMINATOR = 3;
const C_RELEASE = 4;
const C_BREAK = 5;
const C_HIGH = 6;

const S_START = 0; // nothing read yet: BOM and the UNA/UNB check pending
const S_BETWEEN = 1; // between segments: skipping blanks
const S_SEGMENT = 2; // inside a segment
const S_DISCARD = 3; // inside an oversized segment: skipping to its terminator
const S_DEAD = 4; // not EDIFACT: ignoring the rest

const BOM = '\u00ef\u00bb\u00bf';
const NOT_EDI_SAMPLE = 16;
/**
 * A skipped oversized segment is named by its tag only when the tag is at most this long (real tags
 * have 3 characters). The tag is read to its end even past the segment limit, so the name never
 * depends on where a chunk happened to end; the bound keeps that read small.
 */
const OVERSIZED_TAG_LIMIT = 16;
/** Only layout flags describe a skipped segment (its values are never decoded). */
const OVERSIZED_FLAGS = ~SEG_HIGH;

function oversizedTag(tag: string | null): string {
  return tag !== null && tag.length <= OVERSIZED_TAG_LIMIT ? tag : '';
}

const tableCache = new Map<string, Uint8Array>();

/** Lookup table: class of every UTF-16 unit for the given component, element, release, terminator. */
function classTable(
  component: string,
  element: string,
  release: string | null,
  terminator: string,
): Uint8Array {
  const key = `${component}${element}${release ?? ''}\u0000${terminator}`;
  let table = tableCache.get(key);
  if (table !== undefined) return table;
  table = new Uint8Array(0x10000);
  table.fill(C_HIGH, 0x80);
  table[0x0a] = C_BREAK;
  table[0x0d] = C_BREAK;
  // Later roles win when a (reported) invalid UNA gives one character two roles.
  table[component.charCodeAt(0)] = C_COMPONENT;
  table[element.charCodeAt(0)] = C_ELEMENT;
  if (release !== null) table[release.charCodeAt(0)] = C_RELEASE;
  table[terminator.charCodeAt(0)] = C_TERMINATOR;
  if (tableCache.size >= 16) tableCache.clear();
  tableCache.set(key, table);
  return table;
}

export class EdifactTokenizer {
  private readonly handler: TokenHandler;
  private readonly maxSegmentLength: number;
  private readonly decode = createByteStringDecoder();

  private table: Uint8Array = new Uint8Array(0);
  private state = S_START;
  /** Absolute offset of the next byte pushed. */
  private offset = 0;
  /** A few units held back at a segment start until enough are there to recognise BOM/UNA/UNB. */
  private carry = '';
  private carryOffset = 0;
  private segmentsSeen = 0;
  /** Flags gathered between segments for the next one. */
  private pendingFlags = 0;

  // Unfinished segment.
  private segOffset = 0;
  private segFlags = 0;
  private segLength = 0;
  private tag: string | null = null;
  private inTag = true;
  /** Components of the current element and elements of the current segment, reused across segments. */
  private readonly compBuf: string[] = [];
  private compCount = 0;
  private readonly elemBuf: string[][] = [];
  private elemCount = 0;
  /** Start of the current value already cut out (release characters or CR/LF removed). */
  private current = '';
  private escapePending = false;

  constructor(handler: TokenHandler, maxSegmentLength: number) {
    this.handler = handler;
    this.maxSegmentLength = maxSegmentLength;
    this.useServiceChars(DEFAULT_SERVICE_CHARS);
  }

  /** Switches the separators; called for a UNA and, with the defaults, after each UNZ. */
  useServiceChars(chars: string): void {
    const d = serviceCharsToDelimiters(chars);
    this.table = classTable(d.component, d.element, d.release, d.segment);
  }

  push(chunk: Uint8Array): void {
    if (this.state === S_DEAD || chunk.length === 0) {
      this.offset += chunk.length;
      return;
    }
    const text = this.decode(chunk);
    const base = this.carry.length > 0 ? this.carryOffset : this.offset;
    const s = this.carry.length > 0 ? this.carry + text : text;
    this.carry = '';
    this.offset += chunk.length;
    this.run(s, base, false);
  }

  end(): void {
    if (this.carry.length > 0) {
      const s = this.carry;
      this.carry = '';
      this.run(s, this.carryOffset, true);
    }
    if (this.state === S_SEGMENT) {
      // A release character as the very last byte escapes nothing; it is dropped.
      this.escapePending = false;
      this.endValue(this.current, C_TERMINATOR);
      this.current = '';
      this.emitSegment(this.offset, this.segFlags | SEG_NO_TERMINATOR);
    } else if (this.state === S_DISCARD) {
      this.state = S_BETWEEN;
      const tag = oversizedTag(this.tag);
      this.tag = null;
      const flags = (this.segFlags | SEG_NO_TERMINATOR) & OVERSIZED_FLAGS;
      this.handler.oversized(tag, this.segOffset, this.offset, flags);
    }
    if (this.state === S_START || (this.state === S_BETWEEN && this.segmentsSeen === 0)) {
      this.state = S_DEAD;
      this.handler.notEdifact(this.offset, '');
    } else if (this.state !== S_DEAD && (this.pendingFlags & SEG_LEADING_BLANK) !== 0) {
      this.handler.trailingBlank(this.offset, this.pendingFlags);
    }
    this.pendingFlags = 0;
  }

  private run(s: string, base: number, final: boolean): void {
    const n = s.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case S_SEGMENT:
          i = this.scanSegment(s, i, base);
          break;
        case S_DISCARD:
          i = this.scanDiscard(s, i, base);
          break;
        case S_START:
        case S_BETWEEN:
          i = this.between(s, i, base, final);
          break;
        default:
          return;
      }
    }
  }

  /** Holds the rest of the chunk back until more bytes arrive. */
  private hold(s: string, i: number, base: number): number {
    this.carry = s.slice(i);
    this.carryOffset = base + i;
    return s.length;
  }

  /** Skips blanks between segments, recognises BOM and UNA, and opens the next segment. */
  private between(s: string, i: number, base: number, final: boolean): number {
    const n = s.length;
    const table = this.table;
    for (; i < n; i++) {
      const unit = s.charCodeAt(i);
      const cls = table[unit];
      if (cls === C_BREAK) {
        // CR/LF right after a terminator is ordinary; before the first segment it is layout.
        if (this.segmentsSeen === 0) this.pendingFlags |= SEG_LEADING_BLANK;
        continue;
      }
      if ((unit === 0x20 || unit === 0x09) && cls === C_DATA) {
        this.pendingFlags |= SEG_LEADING_BLANK;
        continue;
      }
      const available = n - i;
      if (this.state === S_START && base + i === 0 && unit === 0xef) {
        if (available < 3 && !final && BOM.startsWith(s.slice(i))) return this.hold(s, i, base);
        if (s.startsWith(BOM, i)) {
          this.pendingFlags |= SEG_BOM;
          i += 2;
          continue;
        }
      }
      if (unit === 0x55 /* U */) {
        if (available < 3 && !final && 'UNA'.startsWith(s.slice(i))) return this.hold(s, i, base);
        if (s.startsWith('UNA', i)) {
          if (available < UNA_LENGTH && !final) return this.hold(s, i, base);
          if (available >= UNA_LENGTH) {
            const chars = s.slice(i + 3, i + UNA_LENGTH);
            const flags = this.pendingFlags;
            this.pendingFlags = 0;
            this.segmentsSeen++;
            this.state = S_BETWEEN;
            this.useServiceChars(chars);
            this.handler.serviceStringAdvice(chars, base + i, base + i + UNA_LENGTH, flags);
            return i + UNA_LENGTH;
          }
          // A truncated UNA at the end of input is read as an ordinary segment and reported as such.
        }
      }
      if (this.segmentsSeen === 0) {
        // Enough bytes to decide, and to quote the same sample however the input is chunked.
        if (available < NOT_EDI_SAMPLE && !final) return this.hold(s, i, base);
        if (!s.startsWith('UNB', i) && !s.startsWith('UNA', i)) {
          this.state = S_DEAD;
          this.handler.notEdifact(base + i, s.slice(i, i + NOT_EDI_SAMPLE));
          return n;
        }
      }
      this.state = S_SEGMENT;
      this.segOffset = base + i;
      this.segFlags = this.pendingFlags;
      this.pendingFlags = 0;
      this.segLength = 0;
      return i;
    }
    if (this.state === S_START && this.segmentsSeen === 0 && n > 0) this.state = S_BETWEEN;
    return n;
  }

  /**
   * Scans segments from `i`; returns where scanning stopped: the chunk end, or the start of
   * something `between` must look at (blanks, a possible UNA, new separators after UNZ).
   * This is the hot loop: locals mirror the fields and are written back only when it stops.
   */
  private scanSegment(s: string, i: number, base: number): number {
    const n = s.length;
    const table = this.table;
    const compBuf = this.compBuf;
    const elemBuf = this.elemBuf;
    let from = i;
    let start = i;
    let current = this.current;
    let compCount = this.compCount;
    let elemCount = this.elemCount;
    let tag = this.tag;
    let inTag = this.inTag;
    let flags = this.segFlags;

    if (this.escapePending) {
      while (i < n && table[s.charCodeAt(i)] === C_BREAK) {
        flags |= SEG_LINE_BREAK;
        i++;
      }
      if (i >= n) {
        this.segFlags = flags;
        return this.suspend(n, from);
      }
      if (s.charCodeAt(i) > 0x7f) flags |= SEG_HIGH;
      current += s[i];
      this.escapePending = false;
      i++;
      start = i;
    }

    for (; i < n; i++) {
      const cls = table[s.charCodeAt(i)] as number;
      if (cls === C_DATA) continue;
      if (cls <= C_TERMINATOR) {
        const value = current === '' ? s.slice(start, i) : current + s.slice(start, i);
        current = '';
        start = i + 1;
        if (inTag) {
          if (tag === null) tag = value;
          if (cls !== C_COMPONENT) inTag = false;
        } else if (cls === C_COMPONENT) {
          compBuf[compCount++] = value;
        } else if (compCount === 0) {
          elemBuf[elemCount++] = [value];
        } else {
          compBuf[compCount++] = value;
          elemBuf[elemCount++] = compBuf.slice(0, compCount);
          compCount = 0;
        }
        if (cls !== C_TERMINATOR) continue;

        // Segment complete.
        const segTag = tag ?? '';
        const elements: string[][] = elemCount === 0 ? [] : elemBuf.slice(0, elemCount);
        const length = this.segLength + (i - from);
        tag = null;
        inTag = true;
        elemCount = 0;
        this.segmentsSeen++;
        this.tag = null;
        this.inTag = true;
        this.compCount = 0;
        this.elemCount = 0;
        this.current = '';
        this.state = S_BETWEEN;
        const next = i + 1;
        if (length > this.maxSegmentLength) {
          this.handler.oversized(oversizedTag(segTag), this.segOffset, base + next, flags & OVERSIZED_FLAGS);
          return next;
        }
        if (segTag === 'UNZ') {
          // Separators belong to one interchange: the next one has its own UNA or the defaults.
          this.useServiceChars(DEFAULT_SERVICE_CHARS);
          this.handler.segment(segTag, elements, this.segOffset, base + next, flags);
          return next;
        }
        this.handler.segment(segTag, elements, this.segOffset, base + next, flags);

        // Continue with the next segment here when it plainly starts with a tag character.
        let j = next;
        while (j < n && table[s.charCodeAt(j)] === C_BREAK) j++;
        if (j + 3 > n) return j;
        const unit = s.charCodeAt(j);
        if (
          table[unit] !== C_DATA ||
          unit === 0x20 ||
          unit === 0x09 ||
          (unit === 0x55 && s.startsWith('UNA', j))
        )
          return j;
        this.state = S_SEGMENT;
        this.segOffset = base + j;
        this.segLength = 0;
        flags = 0;
        from = j;
        start = j;
        i = j - 1;
        continue;
      }
      if (cls === C_RELEASE) {
        current += s.slice(start, i);
        let j = i + 1;
        while (j < n && table[s.charCodeAt(j)] === C_BREAK) {
          flags |= SEG_LINE_BREAK;
          j++;
        }
        if (j >= n) {
          this.escapePending = true;
          this.store(current, compCount, elemCount, tag, inTag, flags);
          return this.suspend(n, from);
        }
        if (s.charCodeAt(j) > 0x7f) flags |= SEG_HIGH;
        current += s[j];
        start = j + 1;
        i = j;
      } else if (cls === C_BREAK) {
        current += s.slice(start, i);
        start = i + 1;
        flags |= SEG_LINE_BREAK;
      } else {
        flags |= SEG_HIGH;
      }
    }
    this.store(current + s.slice(start, n), compCount, elemCount, tag, inTag, flags);
    return this.suspend(n, from);
  }

  private store(
    current: string,
    compCount: number,
    elemCount: number,
    tag: string | null,
    inTag: boolean,
    flags: number,
  ): void {
    this.current = current;
    this.compCount = compCount;
    this.elemCount = elemCount;
    this.tag = tag;
    this.inTag = inTag;
    this.segFlags = flags;
  }

  /**
   * The chunk ended inside a segment: keep its state, or give it up if it is already too long. A tag
   * still being read is read on (up to OVERSIZED_TAG_LIMIT) so the skipped segment gets the name it
   * gets when the whole input is one chunk.
   */
  private suspend(n: number, from: number): number {
    this.segLength += n - from;
    if (
      this.segLength > this.maxSegmentLength &&
      (this.tag !== null || this.current.length > OVERSIZED_TAG_LIMIT)
    ) {
      this.state = S_DISCARD;
      this.compCount = 0;
      this.elemCount = 0;
      this.compBuf.length = 0;
      this.elemBuf.length = 0;
      this.current = '';
      // The tag, when already read, is kept to name the skipped segment.
      this.inTag = false;
    }
    return n;
  }

  /** Ends the current value at end of input (as if a terminator followed). */
  private endValue(value: string, cls: number): void {
    if (this.inTag) {
      if (this.tag === null) this.tag = value;
      if (cls !== C_COMPONENT) this.inTag = false;
    } else if (this.compCount === 0) {
      this.elemBuf[this.elemCount++] = [value];
    } else {
      this.compBuf[this.compCount++] = value;
      this.elemBuf[this.elemCount++] = this.compBuf.slice(0, this.compCount);
      this.compCount = 0;
    }
  }

  /** Emits the segment gathered in the buffers (used at end of input). */
  private emitSegment(endOffset: number, flags: number): void {
    const tag = this.tag ?? '';
    const elements: string[][] = this.elemBuf.slice(0, this.elemCount);
    this.state = S_BETWEEN;
    this.segmentsSeen++;
    this.tag = null;
    this.inTag = true;
    this.compCount = 0;
    this.elemCount = 0;
    if (this.segLength > this.maxSegmentLength)
      this.handler.oversized(oversizedTag(tag), this.segOffset, endOffset, flags & OVERSIZED_FLAGS);
    else this.handler.segment(tag, elements, this.segOffset, endOffset, flags);
  }

  /**
   * Skips an oversized segment up to its unreleased terminator, still noting CR/LF inside it (the
   * layout warning must not depend on how much of the segment was read before it was given up).
   */
  private scanDiscard(s: string, i: number, base: number): number {
    const n = s.length;
    const table = this.table;
    if (this.escapePending) {
      while (i < n && table[s.charCodeAt(i)] === C_BREAK) {
        this.segFlags |= SEG_LINE_BREAK;
        i++;
      }
      if (i >= n) return n;
      this.escapePending = false;
      i++;
    }
    for (; i < n; i++) {
      const cls = table[s.charCodeAt(i)];
      if (cls === C_DATA) continue;
      if (cls === C_RELEASE) {
        let j = i + 1;
        while (j < n && table[s.charCodeAt(j)] === C_BREAK) {
          this.segFlags |= SEG_LINE_BREAK;
          j++;
        }
        if (j >= n) {
          this.escapePending = true;
          return n;
        }
        i = j;
      } else if (cls === C_BREAK) {
        this.segFlags |= SEG_LINE_BREAK;
      } else if (cls === C_TERMINATOR) {
        this.state = S_BETWEEN;
        this.segmentsSeen++;
        this.escapePending = false;
        const tag = oversizedTag(this.tag);
        this.tag = null;
        this.inTag = true;
        this.handler.oversized(tag, this.segOffset, base + i + 1, this.segFlags & OVERSIZED_FLAGS);
        return i + 1;
      }
    }
    return n;
  }
}
