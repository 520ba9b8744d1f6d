/** Tokens produced by the readers. Positions are file-level so every issue can point back to the bytes. */

export interface X12Delimiters {
  element: string;
  component: string;
  /** ISA11, only from version 00402 on; null before. */
  repetition: string | null;
  segment: string;
}

export interface EdifactDelimiters {
  component: string;
  element: string;
  decimal: string;
  release: string | null;
  repetition: string | null;
  segment: string;
}

interface SegmentPosition {
  /** 0-based index of the segment in the file. */
  index: number;
  /** Byte offset of the segment's first byte (its tag) in the file. */
  byteOffset: number;
}

/**
 * X12 segment: elements[0] is XX01. Components are left joined (X12 rarely uses them and splitting
 * every element would cost an array per element); split them with `x12Components`.
 */
export interface X12Segment extends SegmentPosition {
  tag: string;
  elements: string[];
}

/**
 * EDIFACT segment: elements[0] is the first data element after the tag; each element is the list of
 * its components, with release characters already removed (so they cannot be re-split afterwards).
 */
export interface EdifactSegment extends SegmentPosition {
  tag: string;
  elements: string[][];
}

export function x12Components(value: string | undefined, delimiters: X12Delimiters): string[] {
  if (value === undefined || value === '') return [];
  return value.split(delimiters.component);
}

/** X12 element by 1-based position (XX01 = 1); '' when absent. */
export function x12El(seg: X12Segment, position: number): string {
  return seg.elements[position - 1] ?? '';
}

/** EDIFACT component by 1-based element and component positions; '' when absent. */
export function edi(seg: EdifactSegment, element: number, component = 1): string {
  return seg.elements[element - 1]?.[component - 1] ?? '';
}
