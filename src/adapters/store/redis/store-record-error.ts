/**
 * A record read from the Redis store in neither its compact encoding nor the JSON form earlier
 * versions wrote (STORE_BAD_RECORD): nothing is decided from it.
 */
export class StoreBadRecordError extends Error {
  readonly code = 'STORE_BAD_RECORD';
  constructor(
    readonly kind: 'person-day' | 'decision',
    readonly field: string,
    readonly value: string,
  ) {
    super(`${kind} ${JSON.stringify(field)}: unreadable value ${JSON.stringify(value.slice(0, 200))}`);
    this.name = 'StoreBadRecordError';
  }
}
