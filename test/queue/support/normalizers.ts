/**
 * The normalizers both sides of the end-to-end differential tests use: the service's own wiring
 * (src/app/normalizers.ts) with default settings, as `s321 replay` and `s321 worker ingest` use it.
 */
import type { NormalizerFactories } from '../../../src/app/ingest-file.js';
import { defaultNormalizers } from '../../../src/app/normalizers.js';

export function serviceNormalizers(): NormalizerFactories {
  return defaultNormalizers({});
}
