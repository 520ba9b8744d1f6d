/** Issue construction for everything that writes outbound EDI (generators, writers, acknowledgments). */

import { GENERATE_CODES, type GenerateCode } from '../errors/generate-codes.js';
import type { ErrorCode } from '../errors/registry.js';
import type { Issue, IssuePosition } from '../model/issue.js';

/**
 * The one place a GenerateCode becomes an ErrorCode. Until GENERATE_CODES is merged into
 * registry.ts the union does not contain these codes, hence the widening cast; once registered
 * the cast is a no-op and may be removed.
 */
function asErrorCode(code: GenerateCode): ErrorCode {
  return code as unknown as ErrorCode;
}

export function generateIssue(code: GenerateCode, message: string, position: IssuePosition = {}): Issue {
  return { ...position, code: asErrorCode(code), severity: GENERATE_CODES[code].severity, message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
