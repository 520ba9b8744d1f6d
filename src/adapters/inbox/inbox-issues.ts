/**
 * Reasons the intake edge itself quarantines a file, before any parser sees it. They have the
 * shape of core Issues so a quarantine reason file lists them next to the pipeline's own.
 * The codes are registered in src/core/errors/edge-codes.ts (docs/errors.md).
 */
import type { Issue, IssuePosition } from '../../core/model/issue.js';

export const INBOX_ISSUE_CODES = {
  INBOX_UNSAFE_NAME:
    'The file name has a path separator, "..", a control character, invalid UTF-8, or is too long.',
  INBOX_TOO_LARGE: 'The file is larger than the configured limit.',
  INBOX_NOT_REGULAR_FILE: 'The inbox entry is a symbolic link, FIFO, socket or device, not a regular file.',
  INBOX_CHANGED_AFTER_CLAIM: 'The file changed after it was claimed: its upload was not complete.',
} as const;

export type InboxIssueCode = keyof typeof INBOX_ISSUE_CODES;

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
