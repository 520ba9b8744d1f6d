/**
 * One registry of stable error codes (fastify-style). Each area declares its codes in its own file
 * (x12-codes.ts, edifact-codes.ts, ...); they are merged here by mergeCodeTables, which refuses a
 * code declared twice (test/errors/registry.test.ts plants one). Codes are never reused once
 * retired; the same test checks that docs/errors.md lists exactly these codes.
 */
import { CONFIG_CODES } from './config-codes.js';
import { EDGE_CODES } from './edge-codes.js';
import { EDIFACT_CODES } from './edifact-codes.js';
import { ENVELOPE_CODES } from './envelope-codes.js';
import { GENERATE_CODES } from './generate-codes.js';
import { mergeCodeTables } from './merge.js';
import { NORMALIZE_CODES } from './normalize-codes.js';
import { PIPELINE_CODES } from './pipeline-codes.js';
import { QUEUE_CODES } from './queue-codes.js';
import type { CodeSpec } from './spec.js';
import { STORE_CODES } from './store-codes.js';
import { X12_CODES } from './x12-codes.js';

export type { CodeSpec, Stage } from './spec.js';

/** The areas' tables by name (the name is what a duplicate's error message cites). */
export const CODES = mergeCodeTables({
  ENVELOPE_CODES,
  X12_CODES,
  EDIFACT_CODES,
  NORMALIZE_CODES,
  PIPELINE_CODES,
  GENERATE_CODES,
  EDGE_CODES,
  STORE_CODES,
  QUEUE_CODES,
  CONFIG_CODES,
});

export type ErrorCode = keyof typeof CODES & string;

export function codeSpec(code: ErrorCode): CodeSpec {
  return (CODES as Record<ErrorCode, CodeSpec>)[code];
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(CODES, code);
}

/**
 * The registry code an error carries (its `code` property), if it carries one. Adapters' and the
 * app's error classes set `code` to a registry code, so callers decide by the registry's spec
 * (`retryable`, `stage`) instead of by class.
 */
export function registryCodeOf(err: unknown): ErrorCode | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return isErrorCode(code) ? code : undefined;
}
