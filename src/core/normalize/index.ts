export {
  createEdifactNormalizer,
  createX12Normalizer,
  PROCESSED_EDIFACT,
  PROCESSED_X12,
} from './create-normalizer.js';
export { eventIdOf } from './event-id.js';
export { murmur3x86_128 } from './hash128.js';
export * from './types.js';
