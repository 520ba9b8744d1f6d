/** Where each area's code table gets `defineCodes` (kept apart from registry.ts: no import cycle). */
export { defineCodes } from './spec.js';
