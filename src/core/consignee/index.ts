export * from './consignee-key.js';
export * from './near-identical.js';
export { foldAddress, foldCountry, foldPostal, foldState, foldText } from './normalize-text.js';
export * from './split-suspects.js';
