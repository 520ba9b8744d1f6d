import { defineCodes } from './define.js';

/** Shipment-level codes raised while mapping messages to shipment events. Owned by src/core/normalize/. */
export const NORMALIZE_CODES = defineCodes({});
