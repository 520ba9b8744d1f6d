/**
 * `s321 inspect`: what an EDI engineer wants first from an unknown file — standard, delimiters,
 * interchange / group / message counts, message types, and every issue with its position. Reads the
 * envelope of any message type (normalizes nothing).
 */
import type { Issue } from '../model/issue.js';
import type {
  InterchangeHeader,
  InterchangeResult,
  MessageHeader,
  MessageResult,
  ReaderSink,
  Standard,
} from '../model/reader.js';
import type { EdifactDelimiters, X12Delimiters } from '../model/segment.js';

export interface InspectReport {
  file: string;
  standard: Standard | null;
  bytes: number;
  interchanges: number;
  groups: number;
  /** ST/SE or UNH/UNT pairs. */
  messages: number;
  messageTypes: string[];
  /** Delimiters of the first interchange (later ones, when different, are listed in `otherDelimiters`). */
  delimiters: X12Delimiters | EdifactDelimiters | null;
  otherDelimiters: Array<X12Delimiters | EdifactDelimiters>;
  /** EDIFACT syntax identifier / X12 version of the first interchange. */
  syntax: string | null;
  ok: boolean;
  issues: Issue[];
}

export class InspectSink implements ReaderSink<InterchangeHeader, unknown> {
  readonly report: InspectReport;
  private readonly types = new Set<string>();

  constructor(file: string) {
    this.report = {
      file,
      standard: null,
      bytes: 0,
      interchanges: 0,
      groups: 0,
      messages: 0,
      messageTypes: [],
      delimiters: null,
      otherDelimiters: [],
      syntax: null,
      ok: true,
      issues: [],
    };
  }

  interchangeStart(header: InterchangeHeader): void {
    this.report.interchanges += 1;
    this.report.standard = header.standard;
    if (this.report.delimiters === null) {
      this.report.delimiters = header.delimiters;
      this.report.syntax = header.standard === 'x12' ? header.version : header.syntax;
    } else if (JSON.stringify(header.delimiters) !== JSON.stringify(this.report.delimiters)) {
      this.report.otherDelimiters.push(header.delimiters);
    }
  }

  messageStart(_interchange: InterchangeHeader, message: MessageHeader): void {
    this.report.messages += 1;
    this.types.add(message.type);
  }

  segment(): void {}

  messageEnd(_interchange: InterchangeHeader, _message: MessageHeader, result: MessageResult): void {
    this.take(result.issues);
    if (!result.ok) this.report.ok = false;
  }

  interchangeEnd(_header: InterchangeHeader, result: InterchangeResult): void {
    this.report.groups += result.groupCount;
    this.take(result.issues);
    if (!result.ok) this.report.ok = false;
  }

  fileIssue(issue: Issue): void {
    this.take([issue]);
  }

  /** Call after the reader's end(). */
  finish(bytes: number, standard: Standard | null): InspectReport {
    this.report.bytes = bytes;
    if (this.report.standard === null) this.report.standard = standard;
    this.report.messageTypes = [...this.types].sort();
    if (this.report.standard === null || (this.report.interchanges === 0 && this.report.messages === 0))
      this.report.ok = false;
    return this.report;
  }

  private take(issues: Issue[]): void {
    for (const issue of issues) {
      this.report.issues.push(issue);
      if (issue.severity === 'error') this.report.ok = false;
    }
  }
}
