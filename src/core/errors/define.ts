import type { CodeSpec } from './registry.js';

/** Helper so each area's code table is type-checked against CodeSpec while keeping literal keys. */
export function defineCodes<const T extends Record<string, CodeSpec>>(codes: T): T {
  return codes;
}
