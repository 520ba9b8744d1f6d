export * from './schema.js';
export * from './load-config.js';
export * from './redact.js';
export * from './logger.js';
