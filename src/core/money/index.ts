export * from './convert.js';
export * from './decimal.js';
export * from './rate-table.js';
export * from './small-decimal.js';
