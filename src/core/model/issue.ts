/**
 * Problems are data (zod-style): every stage gathers Issues instead of throwing.
 * An Issue always carries the position it refers to, so an acknowledgment, a quarantine
 * reason file and a log line can all name the file, control numbers and segment.
 */
import type { ErrorCode } from '../errors/registry.js';

export type Severity = 'error' | 'warning';

export interface IssuePosition {
  /** Input file name (base name or relative path as given by the adapter), when known. */
  file?: string;
  /** ISA13 / UNB05 of the interchange in scope. */
  interchangeControl?: string;
  /** GS06 / UNG05 of the functional group in scope. */
  groupControl?: string;
  /** ST02 / UNH01 of the message in scope. */
  messageRef?: string;
  /** 0-based index of the segment in the file (counting every segment, envelopes included). */
  segmentIndex?: number;
  /** 1-based position of the segment inside its message (ST / UNH = 1), as acknowledgments want it. */
  positionInMessage?: number;
  segmentTag?: string;
  /** 1-based element position (ST01 = 1). */
  element?: number;
  /** 1-based component position. */
  component?: number;
  /** Byte offset of the segment (or of the offending byte) in the file. */
  byteOffset?: number;
}

export interface Issue extends IssuePosition {
  code: ErrorCode;
  severity: Severity;
  message: string;
}

export function isError(issue: Issue): boolean {
  return issue.severity === 'error';
}

/** One line for humans and logs: "CODE file#ISA 000000001/ST 0001 seg 12 (N1) el 3: message". */
export function formatIssue(issue: Issue): string {
  const where: string[] = [];
  if (issue.file !== undefined) where.push(issue.file);
  if (issue.interchangeControl !== undefined) where.push(`icn ${issue.interchangeControl}`);
  if (issue.groupControl !== undefined) where.push(`group ${issue.groupControl}`);
  if (issue.messageRef !== undefined) where.push(`msg ${issue.messageRef}`);
  if (issue.segmentIndex !== undefined) {
    where.push(`seg ${issue.segmentIndex}${issue.segmentTag !== undefined ? ` (${issue.segmentTag})` : ''}`);
  }
  if (issue.element !== undefined)
    where.push(`el ${issue.element}${issue.component !== undefined ? `.${issue.component}` : ''}`);
  if (issue.byteOffset !== undefined) where.push(`byte ${issue.byteOffset}`);
  return `${issue.severity.toUpperCase()} ${issue.code} [${where.join(', ')}] ${issue.message}`;
}
