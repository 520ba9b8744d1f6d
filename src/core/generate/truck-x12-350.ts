/** Truck carrier notifications as X12 350 (disposition 95, or the configured hold code when withheld). */
export { generateTruckX12350 } from './x12-350.js';
