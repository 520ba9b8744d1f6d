/**
 * One registry of stable error codes (fastify-style). Each area of the core declares its codes in
 * its own file (x12-codes.ts, edifact-codes.ts, ...) and they are merged here. Codes are never
 * reused once retired; test/errors/registry.test.ts checks uniqueness and that docs/errors.md lists
 * every code.
 */

import { EDGE_CODES } from './edge-codes.js';
import { EDIFACT_CODES } from './edifact-codes.js';
import { ENVELOPE_CODES } from './envelope-codes.js';
import { GENERATE_CODES } from './generate-codes.js';
import { NORMALIZE_CODES } from './normalize-codes.js';
import { PIPELINE_CODES } from './pipeline-codes.js';
import { X12_CODES } from './x12-codes.js';

export type Stage = 'intake' | 'tokenize' | 'envelope' | 'normalize' | 'aggregate' | 'generate' | 'adapter';

export interface CodeSpec {
  stage: Stage;
  severity: 'error' | 'warning';
  /** true when retrying the same input later may succeed (adapter faults); input problems are not. */
  retryable: boolean;
  /** Which acknowledgment the code drives, e.g. 'TA1:022', '999:IK5=R', 'CONTRL:UCI=7'. */
  ack?: string;
  summary: string;
}

export const CODES = {
  ...ENVELOPE_CODES,
  ...X12_CODES,
  ...EDIFACT_CODES,
  ...NORMALIZE_CODES,
  ...PIPELINE_CODES,
  ...GENERATE_CODES,
  ...EDGE_CODES,
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof CODES;

export function codeSpec(code: ErrorCode): CodeSpec {
  return CODES[code];
}
