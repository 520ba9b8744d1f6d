/**
 * Normalizer factories straight from the core (default inbound profile, USD only), used by both
 * sides of the end-to-end differential tests, so the embedded and queue runs read EDI identically.
 * (The service's own wiring lives in src/app/normalizers.ts; these tests compare the two modes,
 * not that wiring.)
 */
import type { NormalizerFactories } from '../../../src/app/ingest-file.js';
import { createEdifactNormalizer, createX12Normalizer } from '../../../src/core/normalize/index.js';
import { DEFAULT_INBOUND_PROFILE } from '../../../src/core/profiles/index.js';

export function coreNormalizers(): NormalizerFactories {
  return {
    x12: (file) => (ic, msg) =>
      createX12Normalizer(ic, msg, { file, profile: DEFAULT_INBOUND_PROFILE, rates: {} }),
    edifact: (file) => (ic, msg) =>
      createEdifactNormalizer(ic, msg, { file, profile: DEFAULT_INBOUND_PROFILE, rates: {} }),
  };
}
