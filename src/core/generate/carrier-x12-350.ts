/** Ocean / rail carrier notifications as X12 350 (disposition 2M, 4M when withheld). */
export { generateCarrierX12350 } from './x12-350.js';
