import { defineCodes } from './define.js';

/**
 * Codes of the intake edges (drop folder, SFTP poller, queue producer). Raised by adapters, listed
 * here so the one registry and docs/errors.md cover every code an operator can see.
 */
export const EDGE_CODES = defineCodes({
  INBOX_UNSAFE_NAME: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The file name has a path separator, "..", a control character, invalid UTF-8, or is too long.',
  },
  INBOX_NOT_REGULAR_FILE: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The inbox entry is a symbolic link, FIFO, socket or device, not a regular file.',
  },
  INBOX_CHANGED_AFTER_CLAIM: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The file changed after it was claimed: its upload was not complete.',
  },
  PRODUCER_EMPTY_PAYLOAD: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'A producer offered an empty message; it was refused.',
  },
  PRODUCER_INVALID_PARTNER: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The partner id given by a producer is not a safe identifier.',
  },
  PRODUCER_UNSAFE_FILE_NAME: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    summary: 'The file name given by a producer is unsafe (path tricks, control characters).',
  },
  PRODUCER_QUEUE_UNAVAILABLE: {
    stage: 'adapter',
    severity: 'error',
    retryable: true,
    summary: 'Redis could not be reached to enqueue; nothing was enqueued.',
  },
  SFTP_HOST_KEY_REJECTED: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      "The SFTP server's host key matches none of the partner's configured SHA256 fingerprints; nothing was read.",
  },
});
