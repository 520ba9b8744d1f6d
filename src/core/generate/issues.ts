/** Issue construction for everything that writes outbound EDI (generators, writers, acknowledgments). */

import { GENERATE_CODES, type GenerateCode } from '../errors/generate-codes.js';
import type { Issue, IssuePosition } from '../model/issue.js';

export function generateIssue(code: GenerateCode, message: string, position: IssuePosition = {}): Issue {
  return { ...position, code, severity: GENERATE_CODES[code].severity, message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
