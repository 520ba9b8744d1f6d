export * from './config-error.js';
export * from './json-file.js';
export * from './load-config.js';
export * from './logger.js';
export * from './redact.js';
export * from './schema.js';
