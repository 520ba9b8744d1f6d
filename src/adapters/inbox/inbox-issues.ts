/**
 * Reasons the intake edge itself quarantines a file, before any parser sees it. They have the
 * shape of core Issues so a quarantine reason file lists them next to the pipeline's own.
 * The codes are registered in src/core/errors/edge-codes.ts (docs/errors.md).
 */
import type { EDGE_CODES } from '../../core/errors/edge-codes.js';
import type { Issue, IssuePosition } from '../../core/model/issue.js';

/** The drop folder's own codes: the INBOX_* entries of the registry (summaries live there only). */
export type InboxIssueCode = Extract<keyof typeof EDGE_CODES, `INBOX_${string}`>;

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
