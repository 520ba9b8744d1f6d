/**
 * Issues of the EDIFACT reader: where they are collected (scopes) and how they are built with the
 * control numbers in scope and the position of the segment they refer to.
 */
import { codeSpec, type ErrorCode } from '../errors/registry.js';
import type { Issue, Severity } from '../model/issue.js';
import { SEG_BOM, SEG_LEADING_BLANK, SEG_LINE_BREAK, SEG_NO_TERMINATOR } from './tokenizer.js';

/** A message, an interchange, or what precedes an interchange; `layout` = layout kinds reported. */
export interface Scope {
  issues: Issue[];
  layout: number;
}

/** Position of the segment an issue refers to. */
export interface At {
  index?: number;
  tag?: string;
  byteOffset?: number;
  element?: number;
  component?: number;
  positionInMessage?: number;
}

/** Control numbers in scope when the issue is raised. */
export interface IssueContext {
  file: string;
  interchangeControl: string | null;
  groupControl: string | null;
  messageRef: string | null;
}

export function makeIssue(
  code: ErrorCode,
  message: string,
  context: IssueContext,
  at: At,
  severity: Severity = codeSpec(code).severity,
): Issue {
  const issue: Issue = { code, severity, message, file: context.file };
  if (context.interchangeControl !== null) issue.interchangeControl = context.interchangeControl;
  if (context.groupControl !== null) issue.groupControl = context.groupControl;
  if (context.messageRef !== null) issue.messageRef = context.messageRef;
  if (at.index !== undefined) issue.segmentIndex = at.index;
  if (at.positionInMessage !== undefined) issue.positionInMessage = at.positionInMessage;
  if (at.tag !== undefined) issue.segmentTag = at.tag;
  if (at.element !== undefined) issue.element = at.element;
  if (at.component !== undefined) issue.component = at.component;
  if (at.byteOffset !== undefined) issue.byteOffset = at.byteOffset;
  return issue;
}

export function hasError(issues: readonly Issue[]): boolean {
  for (const issue of issues) if (issue.severity === 'error') return true;
  return false;
}

const LAYOUT_KINDS: ReadonlyArray<[number, ErrorCode, string]> = [
  [SEG_BOM, 'INTAKE_BOM', 'a UTF-8 byte order mark precedes the interchange'],
  [SEG_LEADING_BLANK, 'EDIFACT_LAYOUT_WHITESPACE', 'blanks stand before the segment tag'],
  [SEG_LINE_BREAK, 'EDIFACT_LAYOUT_LINE_BREAK', 'CR/LF inside the segment (hard-wrapped line)'],
  [SEG_NO_TERMINATOR, 'EDIFACT_LAYOUT_NO_TERMINATOR', 'the last segment has no segment terminator'],
];
export const LAYOUT_MASK = SEG_BOM | SEG_LEADING_BLANK | SEG_LINE_BREAK | SEG_NO_TERMINATOR;

/**
 * Layout deviations flagged on a segment, each kind once per scope: warnings by default, errors
 * under strict intake. Marks the kinds as reported in the scope.
 */
export function layoutIssues(
  scope: Scope,
  flags: number,
  strict: boolean,
  context: IssueContext,
  at: At,
): Issue[] {
  const out: Issue[] = [];
  const severity: Severity = strict ? 'error' : 'warning';
  const suffix = strict ? ' (rejected: strict intake)' : ' (tolerated)';
  for (const [bit, code, text] of LAYOUT_KINDS) {
    if ((flags & bit) === 0 || (scope.layout & bit) !== 0) continue;
    scope.layout |= bit;
    const position: At = bit === SEG_BOM ? { ...at, byteOffset: 0 } : at;
    out.push(makeIssue(code, text + suffix, context, position, severity));
  }
  return out;
}
