export * from './code-tables.js';
export * from './dialects.js';
export * from './inbound-profile.js';
export * from './resolve-profile.js';
