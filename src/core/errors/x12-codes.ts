import { defineCodes } from './define.js';

/**
 * X12 reader codes. Owned by src/core/x12/.
 * `ack` names what an acknowledgment would carry: TA1 note codes for interchange problems,
 * 999 IK5/AK9 (997 AK5/AK9) codes for transaction set and group problems, IK3 for segment problems.
 * Layout codes are warnings by default; the reader raises them to errors under `strict`.
 */
export const X12_CODES = defineCodes({
  X12_ISA_INVALID: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: 'TA1:022',
    summary:
      'An ISA header cannot be read: fewer than 16 element separators, no terminator, a truncated file, or delimiters that collide or are alphanumeric.',
  },
  X12_ISA_LENGTH: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:022',
    summary: 'The ISA segment is not 106 characters long (its fixed-width fields are not padded).',
  },
  X12_ISA_FIELD: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:005-020 by element',
    summary:
      'An ISA field has the wrong width or an invalid value (dates, version, control number, indicators).',
  },
  X12_IEA_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:021',
    summary: 'IEA01 does not equal the number of functional groups (GS) in the interchange.',
  },
  X12_IEA_CONTROL: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:001',
    summary: 'IEA02 is not identical to ISA13 (compared as written: 3438 is not 000003438).',
  },
  X12_IEA_MISSING: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:023',
    summary: 'The interchange has no IEA trailer (the file ends or a new ISA starts first).',
  },
  X12_GS_INVALID: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:024',
    summary: 'A GS header lacks its functional identifier (GS01) or group control number (GS06).',
  },
  X12_GE_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:AK9=5',
    summary: 'GE01 does not equal the number of transaction sets (ST) in the group.',
  },
  X12_GE_CONTROL: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:AK9=4',
    summary: 'GE02 is not identical to GS06.',
  },
  X12_GE_MISSING: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:AK9=3',
    summary: 'A functional group has no GE trailer.',
  },
  X12_ST_INVALID: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=R',
    summary: 'An ST header lacks its transaction set identifier (ST01) or control number (ST02).',
  },
  X12_SE_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=4',
    summary: 'SE01 does not equal the number of segments from ST to SE inclusive.',
  },
  X12_SE_CONTROL: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=3',
    summary: 'SE02 is not identical to ST02.',
  },
  X12_SE_MISSING: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=2',
    summary:
      'A transaction set has no SE trailer (another ST, GE, IEA, ISA or the end of the file comes first).',
  },
  X12_SEGMENT_OUTSIDE_ENVELOPE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'TA1:024',
    summary:
      'A segment stands where its envelope does not allow it (data outside ST/SE, ST outside GS/GE, GE without GS).',
  },
  X12_SEGMENT_TAG_INVALID: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: '999:IK3=1',
    summary: 'A segment tag is not 2 or 3 upper-case letters or digits.',
  },
  X12_SEGMENT_EMPTY: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: '999:IK3=1',
    summary: 'Two segment terminators follow each other (an empty segment).',
  },
  X12_SEGMENT_TOO_LONG: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=R',
    summary: 'A segment is longer than maxSegmentLength; it is skipped up to the next terminator.',
  },
  X12_BINARY_INVALID: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: '999:IK3=8',
    summary: 'A BIN/BDS segment has a non-numeric length or its terminator is not where the length says.',
  },
  X12_JUNK_OUTSIDE_INTERCHANGE: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: 'TA1:024',
    summary: 'Bytes that are neither an ISA nor line breaks stand before, between or after interchanges.',
  },
  X12_TOO_MANY_ISSUES: {
    stage: 'envelope',
    severity: 'warning',
    retryable: false,
    summary:
      'The issue list of a message or interchange reached its cap; later issues are counted in ok but not listed.',
  },
  X12_LAYOUT_WHITESPACE: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary:
      'Spaces or tabs stand before a segment tag or right before a segment terminator and are removed (tolerated; an error under --strict). Listed once per interchange.',
  },
  X12_LAYOUT_LINE_BREAK: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary:
      'A CR or LF stands inside a segment (hard-wrapped lines) and is removed (tolerated; an error under --strict). Listed once per interchange.',
  },
  X12_LAYOUT_NO_FINAL_TERMINATOR: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary: 'The last segment of the file has no segment terminator (tolerated; an error under --strict).',
  },
});
