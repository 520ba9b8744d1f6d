import { defineCodes } from './define.js';

/**
 * UN/EDIFACT reader codes. Owned by src/core/edifact/.
 * `ack` names the CONTRL response the code drives: UCI (interchange), UCF (group), UCM (message),
 * with action code 0083 (4 = rejected, 7 = acknowledged) and syntax error code 0085 (ISO 9735-1).
 * Layout codes (EDIFACT_LAYOUT_*) are warnings by default and errors under --strict.
 */
export const EDIFACT_CODES = defineCodes({
  EDIFACT_UNA_INVALID: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=20',
    summary: 'The UNA service string advice is truncated or names one character for two separator roles.',
  },
  EDIFACT_SEGMENT_TOO_LONG: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=18',
    summary: 'A segment is longer than the configured maximum (maxSegmentLength); it is skipped unread.',
  },
  EDIFACT_BAD_TAG: {
    stage: 'tokenize',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCS 0085=22',
    summary: 'A segment tag is not three upper-case letters or digits (e.g. "UNG " with a trailing space).',
  },
  EDIFACT_LAYOUT_WHITESPACE: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary:
      'Spaces, tabs or a leading line break stand before a segment tag (tolerated; an error under --strict).',
  },
  EDIFACT_LAYOUT_LINE_BREAK: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary: 'CR/LF inside a segment (hard-wrapped line); ignored (tolerated; an error under --strict).',
  },
  EDIFACT_LAYOUT_NO_TERMINATOR: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary: 'The last segment of the input has no segment terminator (tolerated; an error under --strict).',
  },
  EDIFACT_CHARSET_UNKNOWN: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary:
      'The UNB syntax identifier names no supported character repertoire; values are read as ISO 8859-1.',
  },
  EDIFACT_CHARSET_UTF8: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary:
      'The interchange declares an ISO 8859-1 family repertoire but carries valid UTF-8 text; it is read as UTF-8.',
  },
  EDIFACT_CHARSET_INVALID_BYTES: {
    stage: 'tokenize',
    severity: 'warning',
    retryable: false,
    summary: 'Bytes that are not valid in the declared character set were replaced by U+FFFD.',
  },
  EDIFACT_UNB_INVALID: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=13',
    summary: 'A mandatory UNB element (syntax, sender, recipient, date/time, control reference) is missing.',
  },
  EDIFACT_UNG_INVALID: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCF 0083=4 0085=13',
    summary: 'A mandatory UNG element (message group identification, group reference) is missing.',
  },
  EDIFACT_UNH_INVALID: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCM 0083=4 0085=13',
    summary: 'A mandatory UNH element (message reference, type, version, release, agency) is missing.',
  },
  EDIFACT_UNT_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCM 0083=4 0085=29',
    summary: 'UNT segment count (0074) is not the number of segments from UNH to UNT inclusive.',
  },
  EDIFACT_UNT_REFERENCE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCM 0083=4 0085=28',
    summary: 'UNT message reference (0062) differs from the UNH message reference.',
  },
  EDIFACT_UNE_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCF 0083=4 0085=29',
    summary: 'UNE message count (0060) is not the number of messages in the group.',
  },
  EDIFACT_UNE_REFERENCE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCF 0083=4 0085=28',
    summary: 'UNE group reference (0048) differs from the UNG group reference.',
  },
  EDIFACT_UNZ_COUNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=29',
    summary: 'UNZ control count (0036) is not the number of messages (or of groups, when groups are used).',
  },
  EDIFACT_UNZ_REFERENCE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=28',
    summary: 'UNZ interchange control reference (0020) differs from the UNB control reference.',
  },
  EDIFACT_MISSING_UNT: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCM 0083=4 0085=13',
    summary: 'A message has no UNT: another UNH, UNE, UNZ, UNB or the end of input came first (truncated).',
  },
  EDIFACT_MISSING_UNE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCF 0083=4 0085=13',
    summary: 'A group has no UNE: another UNG, UNZ, UNB or the end of input came first (truncated).',
  },
  EDIFACT_MISSING_UNZ: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=13',
    summary: 'An interchange has no UNZ: another UNA/UNB or the end of input came first (truncated).',
  },
  EDIFACT_UNMATCHED_TRAILER: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=33',
    summary: 'A UNT, UNE or UNZ has no open UNH, UNG or UNB to close.',
  },
  EDIFACT_GROUPS_MIXED: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=30',
    summary: 'An interchange holds both groups (UNG/UNE) and messages outside any group.',
  },
  EDIFACT_SEGMENT_OUTSIDE_MESSAGE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=33',
    summary: 'A data segment stands inside an interchange but outside any UNH..UNT message.',
  },
  EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=33',
    summary:
      'A UNH message (or a group) stands before any UNB: it belongs to no interchange and is not read.',
  },
  EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    ack: 'CONTRL:UCI 0083=4 0085=33',
    summary: 'A segment stands before the first UNB (after a UNA or at the start of input).',
  },
  EDIFACT_JUNK_AFTER_UNZ: {
    stage: 'envelope',
    severity: 'error',
    retryable: false,
    summary: 'Data that is not a new interchange (UNA/UNB) follows a UNZ.',
  },
});
