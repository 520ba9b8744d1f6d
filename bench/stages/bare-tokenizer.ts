/**
 * The parsing ceiling: the least work a streaming tokenizer can do and still hand out what the s321
 * readers hand out (per segment: tag, elements as strings — EDIFACT elements split into components
 * with release characters removed — segment index and byte offset). No envelope checks, no issues,
 * no counting rules, no charset decoding (bytes are read as latin-1, so offsets are exact and
 * delimiters match byte for byte; the real readers decode UTF-8 / the declared charset).
 *
 * Written by hand on purpose: it is the yardstick for the readers, so it must be what plain
 * `indexOf` + `split` over decoded chunk text costs on this machine, nothing more.
 */

export interface BareSegment {
  tag: string;
  elements: string[] | string[][];
  index: number;
  byteOffset: number;
}

export interface BareCounts {
  segments: number;
  /** LX (309) and CNI (CUSCAR) segments: manifest shipment loops. */
  shipmentLoops: number;
  interchanges: number;
}

export interface BareTokenizer {
  push(chunk: Uint8Array): void;
  end(): void;
  readonly counts: BareCounts;
}

function latin1(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
}

/**
 * The carried tail plus the next chunk as one flat string. Concatenating strings would make a cons
 * string that V8 flattens on first access anyway; writing the tail back as bytes in front of the chunk
 * and decoding once is cheaper (latin-1: one char per byte, so the tail re-encodes exactly).
 */
function joinLatin1(carry: string, chunk: Uint8Array): string {
  if (carry.length === 0) return latin1(chunk);
  const joined = Buffer.allocUnsafe(carry.length + chunk.length);
  joined.write(carry, 0, 'latin1');
  joined.set(chunk, carry.length);
  return joined.toString('latin1');
}

/** Skips CR/LF/space/tab between segments. */
function skipLayout(text: string, from: number): number {
  let p = from;
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13 || c === 32 || c === 9) p++;
    else return p;
  }
}

export function createBareX12Tokenizer(onSegment: (seg: BareSegment) => void): BareTokenizer {
  const counts: BareCounts = { segments: 0, shipmentLoops: 0, interchanges: 0 };
  let carry = '';
  /** File offset of carry[0]. */
  let base = 0;
  let element = 42;
  let terminator = 126;
  let index = 0;

  const run = (final: boolean): void => {
    // Delimiters in locals: closure variables read per character cost a context load each time.
    let el = element;
    let term = terminator;
    const text = carry;
    const len = text.length;
    let p = 0;
    for (;;) {
      p = skipLayout(text, p);
      if (p >= len) break;
      if (text.charCodeAt(p) === 73 && text.startsWith('ISA', p)) {
        // ISA is fixed length: element separator at +3, segment terminator at +105.
        if (p + 106 > len && !final) break;
        el = text.charCodeAt(p + 3);
        term = text.charCodeAt(p + 105);
        element = el;
        terminator = term;
        counts.interchanges++;
      }
      // One pass over the segment: substrings of the chunk text, no per-segment copy.
      let tag: string | undefined;
      const elements: string[] = [];
      let a = p;
      let q = p;
      let done = false;
      while (q < len) {
        const c = text.charCodeAt(q);
        if (c === el || c === term) {
          const v = text.substring(a, q);
          if (tag === undefined) tag = v;
          else elements.push(v);
          a = q + 1;
          if (c === term) {
            done = true;
            break;
          }
        }
        q++;
      }
      if (!done) {
        if (!final) break;
        const v = text.substring(a, len);
        if (tag === undefined) tag = v;
        else elements.push(v);
      }
      onSegment({ tag: tag ?? '', elements, index: index++, byteOffset: base + p });
      counts.segments++;
      if (tag === 'LX') counts.shipmentLoops++;
      p = q + 1;
    }
    carry = p >= len ? '' : text.slice(p);
    base += Math.min(p, len);
  };

  return {
    counts,
    push(chunk) {
      carry = joinLatin1(carry, chunk);
      run(false);
    },
    end() {
      run(true);
    },
  };
}

const DATA = 0;
const COMPONENT = 1;
const ELEMENT = 2;
const RELEASE = 3;
const TERMINATOR = 4;

export function createBareEdifactTokenizer(onSegment: (seg: BareSegment) => void): BareTokenizer {
  const counts: BareCounts = { segments: 0, shipmentLoops: 0, interchanges: 0 };
  let carry = '';
  let base = 0;
  /** Character classes by char code (latin-1 text: codes < 256). */
  const classes = new Uint8Array(256);
  /** Release -1: none. */
  const setDelimiters = (component: number, element: number, release: number, terminator: number): void => {
    classes.fill(DATA);
    classes[component] = COMPONENT;
    classes[element] = ELEMENT;
    if (release >= 0) classes[release] = RELEASE;
    classes[terminator] = TERMINATOR;
  };
  setDelimiters(58, 43, 63, 39);
  let index = 0;

  const run = (final: boolean): void => {
    // The class table in a local: a closure variable read per character costs a context load.
    const table = classes;
    const text = carry;
    const len = text.length;
    let p = 0;
    for (;;) {
      p = skipLayout(text, p);
      if (p >= len) break;
      if (text.charCodeAt(p) === 85 && text.startsWith('UNA', p)) {
        if (p + 9 > len && !final) break;
        setDelimiters(
          text.charCodeAt(p + 3),
          text.charCodeAt(p + 4),
          text.charCodeAt(p + 6) === 32 ? -1 : text.charCodeAt(p + 6),
          text.charCodeAt(p + 8),
        );
        p += 9;
        continue;
      }
      if (text.charCodeAt(p) === 85 && text.startsWith('UNB', p)) counts.interchanges++;
      // One pass: components are substrings of the chunk text; a released character forces the
      // current component to be built piecewise (rare: names like O'BRIEN).
      let tag: string | undefined;
      const elements: string[][] = [];
      let comps: string[] = [];
      let a = p;
      let pending = '';
      let released = false;
      let q = p;
      let done = false;
      while (q < len) {
        // One table load per character instead of four comparisons (data chars are class 0).
        const k = table[text.charCodeAt(q)];
        if (k === DATA) {
          q++;
          continue;
        }
        if (k === RELEASE) {
          if (q + 1 >= len) break;
          pending += text.substring(a, q);
          released = true;
          a = q + 1;
          q += 2;
          continue;
        }
        const v = released ? pending + text.substring(a, q) : text.substring(a, q);
        released = false;
        pending = '';
        comps.push(v);
        a = q + 1;
        if (k !== COMPONENT) {
          if (tag === undefined) tag = comps[0] ?? '';
          else elements.push(comps);
          comps = [];
          if (k === TERMINATOR) {
            done = true;
            break;
          }
        }
        q++;
      }
      if (!done) {
        if (!final) break;
        comps.push(released ? pending + text.substring(a, len) : text.substring(a, len));
        if (tag === undefined) tag = comps[0] ?? '';
        else elements.push(comps);
        q = len;
      }
      onSegment({ tag: tag ?? '', elements, index: index++, byteOffset: base + p });
      counts.segments++;
      if (tag === 'CNI') counts.shipmentLoops++;
      if (tag === 'UNZ') {
        // The next interchange may have no UNA: back to the defaults.
        setDelimiters(58, 43, 63, 39);
      }
      p = q + 1;
    }
    carry = p >= len ? '' : text.slice(p);
    base += Math.min(p, len);
  };

  return {
    counts,
    push(chunk) {
      carry = joinLatin1(carry, chunk);
      run(false);
    },
    end() {
      run(true);
    },
  };
}
