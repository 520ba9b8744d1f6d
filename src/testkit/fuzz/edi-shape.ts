/**
 * A rough, independent view of an input's structure for the mutators and the oracles: its standard,
 * its delimiters (as bytes) and where its segments are. Deliberately simpler than the readers (no
 * layout tolerance rules, no envelope): mutations only need plausible places to cut, and the oracles
 * that use it are cross-checks, not a second reader.
 */
import { ascii, indexOfBytes, startsWithBytes, utf8Length } from './bytes.js';

export type DelimiterRole = 'element' | 'component' | 'segment' | 'release' | 'repetition';

export interface EdiShape {
  standard: 'x12' | 'edifact' | null;
  element: Uint8Array;
  component: Uint8Array;
  segment: Uint8Array;
  /** EDIFACT release character (ISO 9735 '?' by default); null for X12. */
  release: Uint8Array | null;
  repetition: Uint8Array | null;
  /** [start, end) of every segment, end just past its terminator (the last one may have none). */
  segments: Array<[number, number]>;
}

const ISA = ascii('ISA');
const UNA = ascii('UNA');
const UNB = ascii('UNB');
const UNH = ascii('UNH');

/** Offset of the first tag after an optional BOM and blanks (as the file reader skips them). */
function firstTag(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0d || bytes[i] === 0x0a)
  )
    i++;
  return i;
}

function sequenceAt(bytes: Uint8Array, at: number): Uint8Array | null {
  if (at >= bytes.length) return null;
  const n = utf8Length(bytes[at] as number);
  return bytes.slice(at, Math.min(bytes.length, at + n));
}

function x12Delimiters(bytes: Uint8Array, isa: number): Omit<EdiShape, 'standard' | 'segments'> {
  const fallback = {
    element: ascii('*'),
    component: ascii(':'),
    segment: ascii('~'),
    release: null,
    repetition: null,
  };
  const element = sequenceAt(bytes, isa + 3);
  if (element === null) return fallback;
  // ISA16 (component separator) follows the 16th element separator; the terminator follows it.
  let at = isa + 3;
  let isa11: [number, number] | null = null;
  for (let n = 1; n <= 16; n++) {
    const next = indexOfBytes(bytes, element, at + (n === 1 ? 0 : element.length));
    if (next < 0 || next - isa > 400) return { ...fallback, element };
    if (n === 12) isa11 = [at + element.length, next];
    at = next;
  }
  const component = sequenceAt(bytes, at + element.length);
  if (component === null) return { ...fallback, element };
  const segment = sequenceAt(bytes, at + element.length + component.length) ?? fallback.segment;
  let repetition: Uint8Array | null = null;
  if (isa11 !== null && isa11[1] - isa11[0] === 1) {
    const c = bytes[isa11[0]] as number;
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && c !== 0x20) repetition = Uint8Array.of(c);
  }
  return { element, component, segment, release: null, repetition };
}

function edifactDelimiters(bytes: Uint8Array, start: number): Omit<EdiShape, 'standard' | 'segments'> {
  if (startsWithBytes(bytes, UNA, start) && start + 9 <= bytes.length) {
    const c = (k: number): Uint8Array => bytes.slice(start + k, start + k + 1);
    const rep = bytes[start + 7];
    return {
      component: c(3),
      element: c(4),
      release: bytes[start + 6] === 0x20 ? null : c(6),
      repetition: rep === 0x20 ? null : c(7),
      segment: c(8),
    };
  }
  return {
    component: ascii(':'),
    element: ascii('+'),
    release: ascii('?'),
    repetition: ascii('*'),
    segment: ascii("'"),
  };
}

/** Cuts segments on the terminator, honouring the release character (it escapes the next byte). */
export function segmentBounds(
  bytes: Uint8Array,
  segment: Uint8Array,
  release: Uint8Array | null,
  from = 0,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const rel = release !== null && release.length === 1 ? (release[0] as number) : -1;
  let start = from;
  if (rel < 0) {
    while (start < bytes.length) {
      const e = indexOfBytes(bytes, segment, start);
      if (e < 0) break;
      out.push([start, e + segment.length]);
      start = e + segment.length;
    }
  } else {
    const term = segment[0] as number;
    for (let i = start; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === rel) i++;
      else if (b === term) {
        out.push([start, i + 1]);
        start = i + 1;
      }
    }
  }
  if (start < bytes.length) out.push([start, bytes.length]);
  return out;
}

export function describeShape(bytes: Uint8Array): EdiShape {
  const start = firstTag(bytes);
  if (startsWithBytes(bytes, ISA, start)) {
    const d = x12Delimiters(bytes, start);
    return { standard: 'x12', ...d, segments: segmentBounds(bytes, d.segment, null) };
  }
  if (
    startsWithBytes(bytes, UNA, start) ||
    startsWithBytes(bytes, UNB, start) ||
    startsWithBytes(bytes, UNH, start)
  ) {
    const d = edifactDelimiters(bytes, start);
    // The UNA itself is not terminated by its own terminator in a way worth cutting: start after it.
    const from = startsWithBytes(bytes, UNA, start) ? Math.min(bytes.length, start + 9) : 0;
    const segments = segmentBounds(bytes, d.segment, d.release, from);
    if (from > 0) segments.unshift([0, from]);
    return { standard: 'edifact', ...d, segments };
  }
  const d = x12Delimiters(bytes, Math.max(0, indexOfBytes(bytes, ISA)));
  return { standard: null, ...d, segments: segmentBounds(bytes, d.segment, null) };
}

/** The bytes of one delimiter role of a shape (the EDIFACT default release '?' when the shape has none). */
export function delimiterBytes(shape: EdiShape, role: DelimiterRole): Uint8Array {
  switch (role) {
    case 'element':
      return shape.element;
    case 'component':
      return shape.component;
    case 'segment':
      return shape.segment;
    case 'release':
      return shape.release ?? ascii('?');
    case 'repetition':
      return shape.repetition ?? shape.component;
  }
}
