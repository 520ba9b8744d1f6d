/** Everything the `s321 enqueue` CLI and the workers need from the producer side. */
export * from './producer.js';
export * from './producer-errors.js';
export * from './producer-file.js';
export * from './producer-job.js';
