import { defineCodes } from './define.js';

/** Codes of queue mode's jobs (src/app/queue). */
export const QUEUE_CODES = defineCodes({
  QUEUE_BAD_JOB_DATA: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      "A job's data does not match its schema, size or SHA-256; no retry can fix it, so it is dead-lettered at once.",
  },
});
