/**
 * X12 envelope layer: turns tokenizer events into sink calls and checks the envelopes
 * (IEA01/IEA02, GE01/GE02, SE01/SE02, missing trailers, segments outside their envelope).
 *
 * Issue routing: an issue belongs to the innermost open scope (message, else interchange, else file).
 * A message's issues are reported in its messageEnd only; interchangeEnd lists the interchange's own
 * (envelope) issues, and its `ok` is false when any of its messages failed too (as the EDIFACT reader).
 * Layout issues (BOM, whitespace, line breaks, missing last terminator) belong to the interchange
 * they occur in or precede; under `strict` they are errors, so that interchange is not ok.
 */
import type { ErrorCode } from '../errors/registry.js';
import type { Severity } from '../model/issue.js';
import type { MessageHeader, ReaderOptions, X12InterchangeHeader, X12Sink } from '../model/reader.js';
import { checkIsa, isaDate, isaDelimiters, isDigits } from './isa.js';
import { IssueList, type IssueScope, type IssueWhere, makeIssue } from './issue-list.js';
import { decodeBytes } from './text.js';
import type { IsaToken, LayoutKind, TokenHandler } from './tokenizer.js';

const MESSAGE_ISSUE_CAP = 100;
const INTERCHANGE_ISSUE_CAP = 1000;

interface OpenInterchange {
  header: X12InterchangeHeader;
  issues: IssueList;
  groupCount: number;
  messageCount: number;
  failedMessages: number;
  byteEnd: number;
}

interface OpenGroup {
  functionalId: string;
  appSender: string;
  appReceiver: string;
  control: string;
  version: string;
  messageCount: number;
}

interface OpenMessage {
  header: MessageHeader;
  issues: IssueList;
  /** Segments counted so far, ST included. */
  count: number;
}

interface PendingLayout {
  kind: LayoutKind;
  index: number;
  byteOffset: number;
}

const LAYOUT: Record<LayoutKind, { code: ErrorCode; message: string }> = {
  bom: { code: 'INTAKE_BOM', message: 'UTF-8 byte order mark before the interchange' },
  whitespace: {
    code: 'X12_LAYOUT_WHITESPACE',
    message: 'spaces or tabs before a segment tag or terminator (first occurrence; later ones not listed)',
  },
  'line-break': {
    code: 'X12_LAYOUT_LINE_BREAK',
    message: 'CR/LF inside a segment (hard-wrapped lines) removed (first occurrence; later ones not listed)',
  },
  'no-final-terminator': {
    code: 'X12_LAYOUT_NO_FINAL_TERMINATOR',
    message: 'the last segment has no segment terminator',
  },
};

export class X12Envelope implements TokenHandler {
  private ic: OpenInterchange | null = null;
  private group: OpenGroup | null = null;
  private msg: OpenMessage | null = null;
  private pending: PendingLayout[] = [];
  private readonly file: string;
  private readonly layoutSeverity: Severity;

  constructor(
    private readonly sink: X12Sink,
    options: ReaderOptions,
  ) {
    this.file = options.fileName;
    this.layoutSeverity = options.strict ? 'error' : 'warning';
  }

  isa(token: IsaToken): void {
    if (this.ic !== null) {
      this.closeAll(
        'X12_IEA_MISSING',
        'a new ISA starts before this interchange ends with IEA',
        token.segmentIndex,
        token.byteOffset,
        'ISA',
      );
    }
    const f = token.fields.map(decodeBytes);
    const field = (n: number): string => f[n - 1] ?? '';
    const header: X12InterchangeHeader = {
      standard: 'x12',
      senderQualifier: field(5),
      senderId: field(6).trimEnd(),
      receiverQualifier: field(7),
      receiverId: field(8).trimEnd(),
      controlNumber: field(13),
      date: isaDate(field(9)),
      time: field(10),
      usage: field(15),
      version: field(12),
      delimiters: isaDelimiters(f, token.element, token.component, token.terminator),
      segmentIndex: token.segmentIndex,
      byteOffset: token.byteOffset,
    };
    const ic: OpenInterchange = {
      header,
      issues: new IssueList(INTERCHANGE_ISSUE_CAP),
      groupCount: 0,
      messageCount: 0,
      failedMessages: 0,
      byteEnd: token.byteOffset,
    };
    this.ic = ic;
    for (const p of this.pending) this.layout(p.kind, p.index, p.byteOffset);
    this.pending = [];
    const at = { segmentIndex: token.segmentIndex, byteOffset: token.byteOffset, segmentTag: 'ISA' };
    for (const problem of checkIsa(f)) {
      const where: IssueWhere = problem.element === undefined ? at : { ...at, element: problem.element };
      this.addIssue(problem.code, problem.message, where);
    }
    this.sink.interchangeStart(header);
  }

  segment(tag: string, elements: string[], index: number, byteOffset: number, end: number): void {
    const ic = this.ic;
    if (ic === null) return; // the tokenizer only cuts segments after an ISA
    ic.byteEnd = end;
    const m = this.msg;
    if (m !== null && !isControlTag(tag)) {
      m.count++;
      this.sink.segment({ tag, elements, index, byteOffset });
      return;
    }
    this.control(ic, tag, elements, index, byteOffset);
  }

  layout(kind: LayoutKind, index: number, byteOffset: number): void {
    if (this.ic === null) {
      this.pending.push({ kind, index, byteOffset });
      return;
    }
    const spec = LAYOUT[kind];
    this.ic.issues.add(
      makeIssue(spec.code, this.layoutSeverity, spec.message, this.icScope(), {
        segmentIndex: index,
        byteOffset,
      }),
    );
  }

  problem(code: ErrorCode, message: string, index: number, byteOffset: number, tag?: string): void {
    const where: IssueWhere = { segmentIndex: index, byteOffset };
    if (tag !== undefined) where.segmentTag = tag;
    if (this.msg !== null) where.positionInMessage = this.msg.count + 1;
    this.addIssue(code, message, where);
  }

  junk(byteOffset: number): void {
    this.sink.fileIssue(
      makeIssue(
        'X12_JUNK_OUTSIDE_INTERCHANGE',
        'error',
        'bytes outside any interchange (neither an ISA nor line breaks)',
        { file: this.file },
        { byteOffset },
      ),
    );
  }

  end(sawIsa: boolean, byteOffset: number, index: number): void {
    if (this.ic !== null) {
      this.closeAll(
        'X12_IEA_MISSING',
        'the file ends before this interchange ends with IEA',
        index,
        byteOffset,
        undefined,
      );
    }
    if (!sawIsa) {
      this.sink.fileIssue(
        makeIssue(
          'INTAKE_NOT_EDI',
          'error',
          'no X12 interchange (ISA) found in the input',
          { file: this.file },
          { byteOffset: 0 },
        ),
      );
    }
    for (const p of this.pending) {
      const spec = LAYOUT[p.kind];
      this.sink.fileIssue(
        makeIssue(
          spec.code,
          this.layoutSeverity,
          spec.message,
          { file: this.file },
          { segmentIndex: p.index, byteOffset: p.byteOffset },
        ),
      );
    }
    this.pending = [];
  }

  /** Envelope segments, and any segment outside a message. */
  private control(ic: OpenInterchange, tag: string, el: string[], index: number, byteOffset: number): void {
    const at: IssueWhere = { segmentIndex: index, byteOffset, segmentTag: tag };
    switch (tag) {
      case 'ST': {
        if (this.msg !== null) this.missingSe(at, 'another ST');
        const g = this.group;
        const header: MessageHeader = {
          type: el[0] ?? '',
          reference: el[1] ?? '',
          version: g?.version ?? '',
          functionalId: g?.functionalId ?? '',
          groupControl: g?.control ?? '',
          appSender: g?.appSender ?? '',
          appReceiver: g?.appReceiver ?? '',
          segmentIndex: index,
          byteOffset,
        };
        this.msg = { header, issues: new IssueList(MESSAGE_ISSUE_CAP), count: 1 };
        ic.messageCount++;
        const atSt = { ...at, positionInMessage: 1 };
        if (g === null) {
          this.addIssue('X12_SEGMENT_OUTSIDE_ENVELOPE', 'ST outside a functional group (no open GS)', atSt);
        } else {
          g.messageCount++;
        }
        if (header.type === '')
          this.addIssue('X12_ST_INVALID', 'ST01 (transaction set identifier) is empty', {
            ...atSt,
            element: 1,
          });
        if (header.reference === '')
          this.addIssue('X12_ST_INVALID', 'ST02 (control number) is empty', { ...atSt, element: 2 });
        this.sink.messageStart(ic.header, header);
        return;
      }
      case 'SE': {
        const m = this.msg;
        if (m === null) {
          this.addIssue('X12_SEGMENT_OUTSIDE_ENVELOPE', 'SE without an open ST', at);
          return;
        }
        m.count++;
        const atSe = { ...at, positionInMessage: m.count };
        checkCount(this, el[0], m.count, 'X12_SE_COUNT', 'SE01', 'segments from ST to SE', atSe);
        const se02 = el[1] ?? '';
        if (se02 !== m.header.reference) {
          this.addIssue('X12_SE_CONTROL', `SE02=${se02} != ST02=${m.header.reference}`, {
            ...atSe,
            element: 2,
          });
        }
        this.endMessage(ic, m);
        return;
      }
      case 'GS': {
        if (this.msg !== null) this.missingSe(at, 'GS');
        if (this.group !== null) this.missingGe(at, 'another GS');
        const g: OpenGroup = {
          functionalId: el[0] ?? '',
          appSender: el[1] ?? '',
          appReceiver: el[2] ?? '',
          control: el[5] ?? '',
          version: el[7] ?? '',
          messageCount: 0,
        };
        this.group = g;
        ic.groupCount++;
        if (g.functionalId === '')
          this.addIssue('X12_GS_INVALID', 'GS01 (functional identifier) is empty', { ...at, element: 1 });
        if (g.control === '')
          this.addIssue('X12_GS_INVALID', 'GS06 (group control number) is empty', { ...at, element: 6 });
        return;
      }
      case 'GE': {
        if (this.msg !== null) this.missingSe(at, 'GE');
        const g = this.group;
        if (g === null) {
          this.addIssue('X12_SEGMENT_OUTSIDE_ENVELOPE', 'GE without an open GS', at);
          return;
        }
        checkCount(
          this,
          el[0],
          g.messageCount,
          'X12_GE_COUNT',
          'GE01',
          'transaction sets (ST) in the group',
          at,
        );
        const ge02 = el[1] ?? '';
        if (ge02 !== g.control)
          this.addIssue('X12_GE_CONTROL', `GE02=${ge02} != GS06=${g.control}`, { ...at, element: 2 });
        this.group = null;
        return;
      }
      case 'IEA': {
        if (this.msg !== null) this.missingSe(at, 'IEA');
        if (this.group !== null) this.missingGe(at, 'IEA');
        checkCount(this, el[0], ic.groupCount, 'X12_IEA_COUNT', 'IEA01', 'functional groups (GS)', at);
        const iea02 = el[1] ?? '';
        const isa13 = ic.header.controlNumber;
        if (iea02 !== isa13)
          this.addIssue('X12_IEA_CONTROL', `IEA02=${iea02} != ISA13=${isa13}`, { ...at, element: 2 });
        this.endInterchange(ic);
        return;
      }
      default: {
        if (this.group === null && (tag === 'ISB' || tag === 'ISE' || tag === 'TA1')) return; // interchange-level segments
        const where =
          this.group === null ? 'outside a functional group' : 'between transaction sets (outside ST/SE)';
        this.addIssue('X12_SEGMENT_OUTSIDE_ENVELOPE', `${tag} segment ${where}`, at);
      }
    }
  }

  addIssue(code: ErrorCode, message: string, where: IssueWhere, severity?: Severity): void {
    const issue = makeIssue(code, severity ?? 'error', message, this.scope(), where);
    if (this.msg !== null) this.msg.issues.add(issue);
    else if (this.ic !== null) this.ic.issues.add(issue);
    else this.sink.fileIssue(issue);
  }

  private scope(): IssueScope {
    const s = this.icScope();
    if (this.group !== null) s.groupControl = this.group.control;
    if (this.msg !== null) s.messageRef = this.msg.header.reference;
    return s;
  }

  private icScope(): IssueScope {
    const s: IssueScope = { file: this.file };
    if (this.ic !== null) s.interchangeControl = this.ic.header.controlNumber;
    return s;
  }

  private missingSe(at: IssueWhere, by: string): void {
    const m = this.msg;
    if (m === null || this.ic === null) return;
    this.addIssue('X12_SE_MISSING', `transaction set ${m.header.reference} has no SE: ${by} comes first`, {
      ...at,
      positionInMessage: m.count + 1,
    });
    this.endMessage(this.ic, m);
  }

  private missingGe(at: IssueWhere, by: string): void {
    const g = this.group;
    if (g === null) return;
    this.addIssue('X12_GE_MISSING', `functional group ${g.control} has no GE: ${by} comes first`, at);
    this.group = null;
  }

  /** Close whatever is open with the given interchange-level error (truncation or a new ISA). */
  private closeAll(
    code: ErrorCode,
    message: string,
    index: number,
    byteOffset: number,
    tag: string | undefined,
  ): void {
    const ic = this.ic;
    if (ic === null) return;
    const at: IssueWhere = { segmentIndex: index, byteOffset };
    if (tag !== undefined) at.segmentTag = tag;
    const by = tag === undefined ? 'the end of the file' : tag;
    if (this.msg !== null) this.missingSe(at, by);
    if (this.group !== null) this.missingGe(at, by);
    this.addIssue(code, message, at);
    this.endInterchange(ic);
  }

  private endMessage(ic: OpenInterchange, m: OpenMessage): void {
    this.msg = null;
    const ok = m.issues.errors === 0;
    if (!ok) ic.failedMessages++;
    this.sink.messageEnd(ic.header, m.header, { ok, issues: m.issues.items, segmentCount: m.count });
  }

  private endInterchange(ic: OpenInterchange): void {
    this.ic = null;
    this.group = null;
    this.msg = null;
    const ok = ic.issues.errors === 0 && ic.failedMessages === 0;
    this.sink.interchangeEnd(ic.header, {
      ok,
      issues: ic.issues.items,
      groupCount: ic.groupCount,
      messageCount: ic.messageCount,
      byteLength: ic.byteEnd - ic.header.byteOffset,
    });
  }
}

function isControlTag(tag: string): boolean {
  const c = tag.charCodeAt(0);
  if (c === 83 /* S */) return tag === 'SE' || tag === 'ST';
  if (c === 71 /* G */) return tag === 'GS' || tag === 'GE';
  return c === 73 /* I */ && tag === 'IEA';
}

/** A trailer count (SE01, GE01, IEA01): digits equal to the counted number. */
function checkCount(
  env: X12Envelope,
  value: string | undefined,
  counted: number,
  code: ErrorCode,
  name: string,
  what: string,
  at: IssueWhere,
): void {
  const text = value ?? '';
  if (!isDigits(text)) {
    env.addIssue(code, `${name}='${text}' is not a number (counted ${counted} ${what})`, {
      ...at,
      element: 1,
    });
  } else if (Number(text) !== counted) {
    env.addIssue(code, `${name}=${text} but counted ${counted} ${what}`, { ...at, element: 1 });
  }
}
