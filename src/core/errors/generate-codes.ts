import { defineCodes } from './define.js';

/** Codes of the outbound writers, channel generators and acknowledgment builders (src/core/generate, src/core/ack, x12/edifact writers). */
export const GENERATE_CODES = defineCodes({
  GENERATE_DELIMITER_REPLACED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary:
      'A data value contained a character reserved by the output syntax (X12 delimiter, CAMIR separator, line break, control character) and no escape exists; it was replaced by the configured replacement character.',
  },
  GENERATE_CHARACTER_REPLACED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary:
      'A data value contained a character outside the character repertoire of the output (e.g. lowercase or accented letters under UNOA); it was converted or replaced.',
  },
  GENERATE_VALUE_TRUNCATED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary: 'A free-text value was longer than its field and was cut to the field length.',
  },
  GENERATE_SEGMENT_OMITTED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary: 'A data segment had no data left (every element empty) and was not written; counts exclude it.',
  },
  GENERATE_VALUE_TOO_LONG: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'An identifier or code does not fit its field; identifiers are never truncated, so the item is not sent.',
  },
  GENERATE_IDENTIFIER_UNREPRESENTABLE: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'An identifier (bill, SCAC, entry number, port, filer code) contains a character the output cannot carry as it is (a delimiter without an escape, a control character, or one outside the character set); identifiers are never altered, so the decision is not sent.',
  },
  GENERATE_MISSING_VALUE: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'A value the outbound message requires (port, entry number, air waybill, ...) is missing or malformed; the decision is not sent.',
  },
  GENERATE_DEFAULT_USED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary: 'An optional value was missing and the profile default was sent in its place.',
  },
  GENERATE_UNCONFIRMED_DEFAULT: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary:
      'The file used a shipped profile default that no CBP guide, bulletin or published sample confirmed (listed in the profile\'s "unconfirmed" paths and in docs/conformance.md (Outbound)); agree the value with the partner and set it in the partner profile.',
  },
  GENERATE_CODE_MAPPED: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary: "A withheld decision's code was sent as the partner's configured hold code.",
  },
  GENERATE_DECISION_MISMATCH: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'A decision in the batch belongs to another channel or recipient, or is not a valid decision record; it is not sent.',
  },
  GENERATE_DUPLICATE_DECISION: {
    stage: 'generate',
    severity: 'warning',
    retryable: false,
    summary: 'The same decision id occurs twice in one batch; it is sent once.',
  },
  GENERATE_EMPTY_BATCH: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary: 'No decision of the batch could be sent; no file is produced.',
  },
  GENERATE_INVALID_CONTROL_NUMBER: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'A control number is not a non-negative integer within the standard width (9 digits X12, 14 characters EDIFACT); no envelope is written.',
  },
  GENERATE_INVALID_ENVELOPE: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'An envelope value (sender/receiver id, qualifier, date, time, version, segment tag) is missing, too long or contains a delimiter; no envelope is written.',
  },
  GENERATE_INVALID_DELIMITERS: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'The configured delimiters are not single, distinct, non-alphanumeric characters; nothing is written.',
  },
  GENERATE_INVALID_PROFILE: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary: 'The partner profile override does not match the outbound profile schema.',
  },
  GENERATE_ACK_NOT_APPLICABLE: {
    stage: 'generate',
    severity: 'error',
    retryable: false,
    summary:
      'The acknowledgment requested does not fit the inbound interchange (X12 ack for EDIFACT input or the reverse).',
  },
});

export type GenerateCode = keyof typeof GENERATE_CODES;
