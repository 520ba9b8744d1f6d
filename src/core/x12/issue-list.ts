/**
 * Issue construction and bounded issue lists. A broken file can produce an issue per segment; lists
 * are capped so memory stays bounded, while the error count (which decides `ok`) stays exact.
 */
import type { ErrorCode } from '../errors/registry.js';
import type { Issue, IssuePosition, Severity } from '../model/issue.js';

export interface IssueScope {
  file: string;
  interchangeControl?: string;
  groupControl?: string;
  messageRef?: string;
}

export interface IssueWhere {
  segmentIndex?: number;
  positionInMessage?: number;
  segmentTag?: string;
  element?: number;
  byteOffset?: number;
}

export function makeIssue(
  code: ErrorCode,
  severity: Severity,
  message: string,
  scope: IssueScope,
  where: IssueWhere,
): Issue {
  // Only defined keys are copied (exactOptionalPropertyTypes: no `key: undefined`).
  const position: IssuePosition = { file: scope.file };
  if (scope.interchangeControl !== undefined) position.interchangeControl = scope.interchangeControl;
  if (scope.groupControl !== undefined) position.groupControl = scope.groupControl;
  if (scope.messageRef !== undefined) position.messageRef = scope.messageRef;
  if (where.segmentIndex !== undefined) position.segmentIndex = where.segmentIndex;
  if (where.positionInMessage !== undefined) position.positionInMessage = where.positionInMessage;
  if (where.segmentTag !== undefined) position.segmentTag = where.segmentTag;
  if (where.element !== undefined) position.element = where.element;
  if (where.byteOffset !== undefined) position.byteOffset = where.byteOffset;
  return { code, severity, message, ...position };
}

export class IssueList {
  readonly items: Issue[] = [];
  errors = 0;
  private capped = false;

  constructor(private readonly cap: number) {}

  add(issue: Issue): void {
    if (issue.severity === 'error') this.errors++;
    if (this.items.length < this.cap) {
      this.items.push(issue);
    } else if (!this.capped) {
      this.capped = true;
      this.items.push({
        ...issue,
        code: 'X12_TOO_MANY_ISSUES',
        severity: 'warning',
        message: `more than ${this.cap} issues; later ones are not listed`,
      });
    }
  }

  /** Append another list's issues (a message's into its interchange), keeping its error count. */
  addAll(other: IssueList): void {
    for (const issue of other.items) {
      if (issue.code === 'X12_TOO_MANY_ISSUES') continue;
      this.add(issue);
    }
    // Errors that the other list counted but did not list still count here.
    let listedErrors = 0;
    for (const issue of other.items) if (issue.severity === 'error') listedErrors++;
    this.errors += other.errors - listedErrors;
  }
}
