/** Ocean / rail carrier notifications as X12 350 in the CBP ocean/rail envelope (2M, or 4M when withheld). */
export { generateCarrierX12350 } from './x12-350.js';
