/** Typed refusals of the producer: the caller (CLI, intake) maps them to exit codes or quarantine. */

export type EnqueueRefusalCode =
  | 'INTAKE_TOO_LARGE'
  | 'PRODUCER_EMPTY_PAYLOAD'
  | 'PRODUCER_INVALID_PARTNER'
  | 'PRODUCER_UNSAFE_FILE_NAME';

/** The input will never be accepted as is: do not retry. */
export class EnqueueRefusedError extends Error {
  constructor(
    readonly code: EnqueueRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'EnqueueRefusedError';
  }
}

export class PayloadTooLargeError extends EnqueueRefusedError {
  constructor(
    readonly size: number,
    readonly maxBytes: number,
    fileName: string,
  ) {
    super('INTAKE_TOO_LARGE', `${fileName}: ${size} bytes, over the ${maxBytes}-byte queue payload limit`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Redis could not be reached or answered with an error: retrying later may work. */
export class QueueUnavailableError extends Error {
  readonly code = 'PRODUCER_QUEUE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}
