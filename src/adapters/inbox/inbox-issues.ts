/**
 * Reasons the intake edge itself quarantines a file, before any parser sees it. They have the
 * shape of core Issues so a quarantine reason file lists them next to the pipeline's own.
 * The codes are registered in src/core/errors/edge-codes.ts (docs/errors.md).
 */
import type { EDGE_CODES } from '../../core/errors/edge-codes.js';
import type { Issue, IssuePosition } from '../../core/model/issue.js';

/**
 * The drop folder's codes: the INBOX_* entries of the registry, and INTAKE_TOO_LARGE, the one code
 * for an oversized input wherever it arrives (summaries live in the registry only).
 */
export type InboxIssueCode = Extract<keyof typeof EDGE_CODES, `INBOX_${string}`> | 'INTAKE_TOO_LARGE';

export interface InboxIssue extends IssuePosition {
  code: InboxIssueCode;
  severity: 'error';
  message: string;
}

/** What a quarantine reason file lists: intake issues and/or the pipeline's issues. */
export type QuarantineReason = Issue | InboxIssue;

export function inboxIssue(code: InboxIssueCode, message: string, position: IssuePosition = {}): InboxIssue {
  return { code, severity: 'error', message, ...position };
}
