import { defineCodes } from './define.js';

/**
 * Replies of the Redis store's Lua scripts (src/adapters/store/redis/lua/*.lua), each sent as
 * `redis.error_reply('<CODE> <detail>')`; redis-store.ts maps them back by code.
 */
export const STORE_CODES = defineCodes({
  STORE_DUPLICATE_DECISION: {
    stage: 'aggregate',
    severity: 'error',
    retryable: false,
    summary:
      'A committed batch would add a decision id the store already holds; nothing of the batch was written.',
  },
  STORE_WRONGTYPE: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'A key the script would write holds another kind of value (lua/write-guard.lua refuses before the first write); nothing was written.',
  },
  STORE_BAD_ARGS: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      "A store script was called with arguments that do not match its layout (a caller's bug); nothing was written.",
  },
  STORE_NOT_PENDING: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'An outbound file was recorded for a decision that is no longer pending (another worker recorded it first).',
  },
  STORE_PARTITIONS_MISMATCH: {
    stage: 'config',
    severity: 'error',
    retryable: false,
    summary:
      'A partitioned store was created with another partition count than this worker is configured with (a store keeps the P it was created with); nothing was written.',
  },
  STORE_BAD_RECORD: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'A record read from the Redis store is in neither its compact encoding nor the JSON form earlier versions wrote (a key written by something else); nothing is decided from it.',
  },
  STORE_OLD_LAYOUT: {
    stage: 'config',
    severity: 'error',
    retryable: false,
    summary:
      'The Redis store was written in an earlier key layout (person-day member sets as one sorted set per person-day); this version neither reads nor writes it until `s321 queue migrate` rewrote it (docs/queue-mode.md "Memory"); nothing was written.',
  },
  STORE_FILE_EXISTS: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary: 'An outbound file name is already recorded (another worker wrote it first).',
  },
});
