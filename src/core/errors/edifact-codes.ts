import { defineCodes } from './define.js';

/** UN/EDIFACT reader codes. Owned by src/core/edifact/. */
export const EDIFACT_CODES = defineCodes({});
