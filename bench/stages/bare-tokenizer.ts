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
  let element = '*';
  let terminator = '~';
  let index = 0;

  const run = (final: boolean): void => {
    const text = carry;
    let p = 0;
    for (;;) {
      p = skipLayout(text, p);
      if (p >= text.length) break;
      if (text.charCodeAt(p) === 73 && text.startsWith('ISA', p)) {
        // ISA is fixed length: element separator at +3, segment terminator at +105.
        if (p + 106 > text.length && !final) break;
        element = text.charAt(p + 3);
        terminator = text.charAt(p + 105);
        counts.interchanges++;
      }
      let end = text.indexOf(terminator, p);
      if (end < 0) {
        if (!final) break;
        end = text.length;
      }
      const elements = text.slice(p, end).split(element);
      const tag = elements.shift() ?? '';
      onSegment({ tag, elements, index: index++, byteOffset: base + p });
      counts.segments++;
      if (tag === 'LX') counts.shipmentLoops++;
      p = end + 1;
    }
    carry = p >= text.length ? '' : text.slice(p);
    base += Math.min(p, text.length);
  };

  return {
    counts,
    push(chunk) {
      carry = carry.length === 0 ? latin1(chunk) : carry + latin1(chunk);
      run(false);
    },
    end() {
      run(true);
    },
  };
}

export function createBareEdifactTokenizer(onSegment: (seg: BareSegment) => void): BareTokenizer {
  const counts: BareCounts = { segments: 0, shipmentLoops: 0, interchanges: 0 };
  let carry = '';
  let base = 0;
  let component = ':';
  let element = '+';
  let release = '?';
  let terminator = "'";
  let index = 0;

  /** Position of the first terminator at or after `from` that is not released (-1: none yet). */
  const findEnd = (text: string, from: number): number => {
    let q = from;
    for (;;) {
      const t = text.indexOf(terminator, q);
      if (t < 0) return -1;
      let r = 0;
      while (t - r - 1 >= from && text.charAt(t - r - 1) === release) r++;
      if (r % 2 === 0) return t;
      q = t + 1;
    }
  };

  /** Splits a segment's text into its tag and elements of components, releasing escaped characters. */
  const split = (seg: string): { tag: string; elements: string[][] } => {
    if (seg.indexOf(release) < 0) {
      const parts = seg.split(element);
      const tag = parts[0] ?? '';
      const elements: string[][] = new Array(parts.length - 1);
      for (let i = 1; i < parts.length; i++) {
        const v = parts[i] as string;
        elements[i - 1] = v.indexOf(component) < 0 ? [v] : v.split(component);
      }
      return { tag, elements };
    }
    // Slow path (a release character is present): one pass, char by char.
    const elements: string[][] = [];
    let comps: string[] = [];
    let cur = '';
    let tag: string | undefined;
    for (let i = 0; i < seg.length; i++) {
      const c = seg.charAt(i);
      if (c === release && i + 1 < seg.length) {
        cur += seg.charAt(++i);
      } else if (c === element) {
        comps.push(cur);
        if (tag === undefined) tag = comps[0] ?? '';
        else elements.push(comps);
        comps = [];
        cur = '';
      } else if (c === component) {
        comps.push(cur);
        cur = '';
      } else cur += c;
    }
    comps.push(cur);
    if (tag === undefined) tag = comps[0] ?? '';
    else elements.push(comps);
    return { tag, elements };
  };

  const run = (final: boolean): void => {
    const text = carry;
    let p = 0;
    for (;;) {
      p = skipLayout(text, p);
      if (p >= text.length) break;
      if (text.charCodeAt(p) === 85 && text.startsWith('UNA', p)) {
        if (p + 9 > text.length && !final) break;
        component = text.charAt(p + 3);
        element = text.charAt(p + 4);
        release = text.charAt(p + 6) === ' ' ? '\u0000' : text.charAt(p + 6);
        terminator = text.charAt(p + 8);
        p += 9;
        continue;
      }
      if (text.charCodeAt(p) === 85 && text.startsWith('UNB', p)) counts.interchanges++;
      let end = findEnd(text, p);
      if (end < 0) {
        if (!final) break;
        end = text.length;
      }
      const { tag, elements } = split(text.slice(p, end));
      onSegment({ tag, elements, index: index++, byteOffset: base + p });
      counts.segments++;
      if (tag === 'CNI') counts.shipmentLoops++;
      if (tag === 'UNZ') {
        // The next interchange may have no UNA: back to the defaults.
        component = ':';
        element = '+';
        release = '?';
        terminator = "'";
      }
      p = end + 1;
    }
    carry = p >= text.length ? '' : text.slice(p);
    base += Math.min(p, text.length);
  };

  return {
    counts,
    push(chunk) {
      carry = carry.length === 0 ? latin1(chunk) : carry + latin1(chunk);
      run(false);
    },
    end() {
      run(true);
    },
  };
}
