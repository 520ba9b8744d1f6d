import { defineCodes } from './define.js';

/** Codes shared by both standards' readers (file-level intake). */
export const ENVELOPE_CODES = defineCodes({
  INTAKE_NOT_EDI: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The input is neither an X12 interchange (ISA) nor a UN/EDIFACT interchange (UNA/UNB).',
  },
  INTAKE_TOO_LARGE: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary:
      'The input exceeds the configured size limit; it is refused before it is read (replay and inspect, the drop folder, an SFTP download, the queue producer).',
  },
  INTAKE_BOM: {
    stage: 'intake',
    severity: 'warning',
    retryable: false,
    summary: 'A UTF-8 byte order mark precedes the interchange (tolerated; an error under --strict).',
  },
});
