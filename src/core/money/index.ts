export * from './decimal.js';
export * from './rate-table.js';
export * from './convert.js';
