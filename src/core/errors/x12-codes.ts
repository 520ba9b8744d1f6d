import { defineCodes } from './define.js';

/** X12 reader codes. Owned by src/core/x12/. */
export const X12_CODES = defineCodes({});
