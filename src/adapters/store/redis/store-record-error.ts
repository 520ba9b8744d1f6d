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

/**
 * The store holds the key layout of an earlier version (STORE_OLD_LAYOUT): the meta hash records no
 * `layout`, or another one, while the store is not empty. Refused rather than read, because a
 * worker of this version would neither see the old member sets nor keep them up to date;
 * `s321 queue migrate` (layout-migration.ts) rewrites the store in place.
 */
export class StoreLayoutError extends Error {
  readonly code = 'STORE_OLD_LAYOUT';
  constructor(
    readonly prefix: string,
    readonly stored: string | undefined,
    readonly expected: string,
  ) {
    super(
      `store ${prefix} has key layout ${stored ?? '(none recorded: written before layouts were versioned)'}, this version needs layout ${expected}: stop the workers and run \`s321 queue migrate\` (docs/queue-mode.md "Memory")`,
    );
    this.name = 'StoreLayoutError';
  }
}
