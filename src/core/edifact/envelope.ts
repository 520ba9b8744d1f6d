/**
 * EDIFACT envelope: turns the tokenizer's segments into sink calls and checks the envelope
 * (UNB/UNZ, optional UNG/UNE groups, UNH/UNT messages). Every problem becomes an Issue in the
 * narrowest scope that holds it (message, interchange, or file). A message is ok only without
 * error issues; an interchange only without error issues of its own and with every message ok,
 * so a consumer never mistakes a partly broken interchange for a success.
 */
import type { ErrorCode } from '../errors/registry.js';
import type { Issue } from '../model/issue.js';
import type { EdifactInterchangeHeader, EdifactSink, MessageHeader } from '../model/reader.js';
import { charsetForSyntax, ValueDecoder } from './charset.js';
import {
  type At,
  hasError,
  type IssueContext,
  LAYOUT_MASK,
  layoutIssues,
  makeIssue,
  type Scope,
} from './issue-scope.js';
import {
  field,
  interchangeHeader,
  isValidTag,
  type MissingField,
  messageHeader,
  missingInUnb,
  missingInUng,
  missingInUnh,
  readUnb,
} from './service-segments.js';
import { serviceCharsProblem } from './service-string.js';
import { SEG_HIGH, type TokenHandler } from './tokenizer.js';
import { checkUne, checkUnt, checkUnz, type Finding } from './trailer-checks.js';

export interface EnvelopeOptions {
  fileName: string;
  strict: boolean;
}

interface InterchangeState extends Scope {
  header: EdifactInterchangeHeader;
  decoder: ValueDecoder;
  groupCount: number;
  messageCount: number;
  ungroupedMessages: number;
  failedMessages: number;
  byteStart: number;
  byteEnd: number;
  mixedReported: boolean;
  strayReported: boolean;
  utf8Reported: boolean;
  invalidReported: boolean;
}

interface GroupState {
  reference: string;
  functionalId: string;
  appSender: string;
  appReceiver: string;
  messageCount: number;
}

interface MessageState extends Scope {
  header: MessageHeader;
  segmentCount: number;
}

const missingText = (fields: readonly MissingField[]): string => fields.map((f) => f.name).join(', ');
const isServiceTag = (tag: string): boolean => tag.charCodeAt(0) === 0x55 && tag.charCodeAt(1) === 0x4e;

export class EdifactEnvelope implements TokenHandler {
  private readonly sink: EdifactSink;
  private readonly fileName: string;
  private readonly strict: boolean;

  private segmentIndex = 0;
  private ic: InterchangeState | null = null;
  private group: GroupState | null = null;
  private msg: MessageState | null = null;

  /** Issues before a UNB that belong to the interchange it opens (BOM, blanks, UNA problems). */
  private pending: Scope = { issues: [], layout: 0 };
  private pendingUna: { chars: string; index: number; byteOffset: number } | null = null;
  /** Issues outside every interchange go straight to sink.fileIssue; this holds their layout marks. */
  private readonly fileScope: Scope = { issues: [], layout: 0 };
  private afterUnz = false;
  /** Codes already reported for the current run of segments outside any interchange. */
  private readonly strayCodes = new Set<ErrorCode>();

  constructor(sink: EdifactSink, options: EnvelopeOptions) {
    this.sink = sink;
    this.fileName = options.fileName;
    this.strict = options.strict;
  }

  // ---- TokenHandler ------------------------------------------------------------------------

  serviceStringAdvice(chars: string, byteOffset: number, _endOffset: number, flags: number): void {
    const index = this.segmentIndex++;
    const at: At = { index, tag: 'UNA', byteOffset };
    if (this.ic !== null) this.closeInterchange('a UNA (next interchange) came before UNZ', at);
    if (this.pendingUna !== null) this.flushPending();
    this.layout(this.pending, flags, at);
    const problem = serviceCharsProblem(chars);
    if (problem !== null) this.report(this.pending, 'EDIFACT_UNA_INVALID', problem, at);
    this.pendingUna = { chars, index, byteOffset };
  }

  segment(tag: string, elements: string[][], byteOffset: number, endOffset: number, flags: number): void {
    const index = this.segmentIndex++;
    const msg = this.msg;
    if (msg !== null && !isServiceTag(tag) && isValidTag(tag)) {
      // Hot path: a data segment inside a message.
      (this.ic as InterchangeState).byteEnd = endOffset;
      msg.segmentCount++;
      if (flags !== 0)
        this.segmentFlags(msg, flags, elements, {
          index,
          tag,
          byteOffset,
          positionInMessage: msg.segmentCount,
        });
      this.sink.segment({ tag, elements, index, byteOffset });
      return;
    }
    const ic = this.ic;
    if (ic === null) {
      if (tag === 'UNB') this.onUnb(elements, index, byteOffset, endOffset, flags);
      else this.stray(tag, index, byteOffset, flags);
      return;
    }
    ic.byteEnd = endOffset;
    const at: At = { index, tag, byteOffset };
    if (!isValidTag(tag)) {
      this.badTag(ic, elements, at, flags);
      return;
    }
    switch (tag) {
      case 'UNB':
        this.closeInterchange('a UNB (next interchange) came before UNZ', at);
        this.onUnb(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNG':
        this.onUng(ic, elements, at, flags);
        return;
      case 'UNH':
        this.onUnh(ic, elements, at, flags);
        return;
      case 'UNT':
        this.onUnt(ic, elements, at, flags);
        return;
      case 'UNE':
        this.onUne(ic, elements, at, flags);
        return;
      case 'UNZ':
        this.onUnz(ic, elements, at, flags);
        return;
      case 'UNA':
        // Only a UNA cut short by the end of input arrives as a segment.
        this.report(this.scope(), 'EDIFACT_UNA_INVALID', 'UNA cut short by the end of input', at);
        return;
      default:
        this.onData(ic, tag, elements, at, flags);
    }
  }

  oversized(tag: string, byteOffset: number, endOffset: number, flags: number): void {
    const at: At = { index: this.segmentIndex++, byteOffset };
    if (tag !== '') at.tag = tag;
    if (this.ic !== null) this.ic.byteEnd = endOffset;
    if (this.msg !== null) at.positionInMessage = ++this.msg.segmentCount;
    const scope = this.scope();
    this.layout(scope, flags, at);
    const text = `segment of at least ${endOffset - byteOffset} bytes exceeds the limit; skipped`;
    this.report(scope, 'EDIFACT_SEGMENT_TOO_LONG', text, at);
  }

  notEdifact(byteOffset: number, sample: string): void {
    const what =
      sample === '' ? 'the input holds no segment' : `the input starts with ${JSON.stringify(sample)}`;
    this.report(this.fileScope, 'INTAKE_NOT_EDI', `not a UN/EDIFACT interchange (no UNA or UNB): ${what}`, {
      byteOffset,
    });
  }

  trailingBlank(byteOffset: number, flags: number): void {
    this.layout(this.scope(), flags, { byteOffset });
  }

  /** End of input: close whatever is open (truncated) and flush issues that found no interchange. */
  end(endOffset: number): void {
    if (this.ic !== null)
      this.closeInterchange('the input ended before UNZ (truncated)', { byteOffset: endOffset });
    const una = this.pendingUna;
    if (una !== null) {
      const at: At = { index: una.index, tag: 'UNA', byteOffset: una.byteOffset };
      this.report(this.pending, 'EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE', 'UNA is not followed by a UNB', at);
    }
    this.flushPending();
  }

  // ---- segments ----------------------------------------------------------------------------

  private onData(ic: InterchangeState, tag: string, elements: string[][], at: At, flags: number): void {
    const msg = this.msg;
    if (msg !== null) {
      // A service segment that is not an envelope one (UNS section control, ...) is message data.
      at.positionInMessage = ++msg.segmentCount;
      this.segmentFlags(msg, flags, elements, at);
      this.sink.segment({ tag, elements, index: at.index as number, byteOffset: at.byteOffset as number });
      return;
    }
    this.layout(ic, flags, at);
    if (ic.strayReported) return;
    ic.strayReported = true;
    this.report(ic, 'EDIFACT_SEGMENT_OUTSIDE_MESSAGE', `${tag} stands outside any UNH..UNT message`, at);
  }

  /** A malformed tag: an error where it stands; inside a message it still counts but is not delivered. */
  private badTag(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    const msg = this.msg;
    if (msg !== null) at.positionInMessage = ++msg.segmentCount;
    const scope: Scope = msg ?? ic;
    this.segmentFlags(scope, flags, elements, at);
    const text = `malformed segment tag ${JSON.stringify(at.tag)}; the segment is not delivered`;
    this.report(scope, 'EDIFACT_BAD_TAG', text, at);
  }

  /** A segment while no interchange is open: one error per kind for a run of them. */
  private stray(tag: string, index: number, byteOffset: number, flags: number): void {
    this.flushPending();
    const at: At = { index, tag, byteOffset };
    this.layout(this.fileScope, flags, at);
    const quoted = JSON.stringify(tag.slice(0, 16));
    let code: ErrorCode;
    let text: string;
    if (tag === 'UNA') {
      code = 'EDIFACT_UNA_INVALID';
      text = 'UNA cut short by the end of input';
    } else if (this.afterUnz) {
      code = 'EDIFACT_JUNK_AFTER_UNZ';
      text = `data after UNZ that is not a new interchange (UNA/UNB): ${quoted}`;
    } else if (tag === 'UNH' || tag === 'UNG') {
      code = 'EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE';
      text = `${tag} before any UNB: it belongs to no interchange and is not read`;
    } else {
      code = 'EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE';
      text = `${quoted} stands outside any UNB..UNZ interchange`;
    }
    if (this.strayCodes.has(code)) return;
    this.strayCodes.add(code);
    this.report(this.fileScope, code, text, at);
  }

  private onUnb(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    let fields = readUnb(elements);
    const decoder = new ValueDecoder(charsetForSyntax(fields.syntaxId));
    const info = decoder.info;
    if ((flags & SEG_HIGH) !== 0) {
      decoder.decodeElements(elements);
      fields = readUnb(elements);
    }
    const una = this.pendingUna;
    const header = interchangeHeader(fields, una?.chars ?? null, info.charset, index, byteOffset);
    const ic: InterchangeState = {
      header,
      decoder,
      issues: this.pending.issues,
      layout: this.pending.layout,
      groupCount: 0,
      messageCount: 0,
      ungroupedMessages: 0,
      failedMessages: 0,
      byteStart: una?.byteOffset ?? byteOffset,
      byteEnd: endOffset,
      mixedReported: false,
      strayReported: false,
      utf8Reported: false,
      invalidReported: false,
    };
    this.ic = ic;
    this.pending = { issues: [], layout: 0 };
    this.pendingUna = null;
    this.afterUnz = false;
    this.strayCodes.clear();

    const at: At = { index, tag: 'UNB', byteOffset };
    this.layout(ic, flags, at);
    this.charsetIssues(ic, at);
    this.reportMissing(ic, 'EDIFACT_UNB_INVALID', 'UNB', missingInUnb(elements), at);
    if (!info.known && fields.syntaxId !== '') {
      const text = `syntax identifier ${JSON.stringify(fields.syntaxId)} is not supported; read as ISO 8859-1`;
      this.report(ic, 'EDIFACT_CHARSET_UNKNOWN', text, { ...at, element: 1, component: 1 });
    }
    this.sink.interchangeStart(header);
  }

  private onUng(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    if (this.msg !== null) this.closeMessage('a UNG came before UNT', at);
    if (this.group !== null) this.closeGroup('a UNG came before UNE', at);
    this.segmentFlags(ic, flags, elements, at);
    this.group = {
      reference: field(elements, 5),
      functionalId: field(elements, 1),
      appSender: field(elements, 2),
      appReceiver: field(elements, 3),
      messageCount: 0,
    };
    ic.groupCount++;
    ic.strayReported = false;
    this.reportMissing(ic, 'EDIFACT_UNG_INVALID', 'UNG', missingInUng(elements), at);
    if (ic.ungroupedMessages > 0) this.reportMixed(ic, at);
  }

  private onUnh(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    if (this.msg !== null) this.closeMessage('the next UNH came before UNT', at);
    if ((flags & SEG_HIGH) !== 0) this.decode(ic, elements, at);
    const group = this.group;
    const header = messageHeader(elements, group, at.index as number, at.byteOffset as number);
    const msg: MessageState = { header, issues: [], layout: 0, segmentCount: 1 };
    this.msg = msg;
    ic.messageCount++;
    at.positionInMessage = 1;
    if (group !== null) {
      group.messageCount++;
    } else {
      ic.ungroupedMessages++;
      if (ic.groupCount > 0) this.reportMixed(ic, at);
    }
    this.layout(msg, flags, at);
    this.reportMissing(msg, 'EDIFACT_UNH_INVALID', 'UNH', missingInUnh(elements), at);
    this.sink.messageStart(ic.header, header);
  }

  private onUnt(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    const msg = this.msg;
    if (msg === null) {
      this.segmentFlags(ic, flags, elements, at);
      this.report(ic, 'EDIFACT_UNMATCHED_TRAILER', 'UNT without an open UNH', at);
      return;
    }
    at.positionInMessage = ++msg.segmentCount;
    this.segmentFlags(msg, flags, elements, at);
    this.reportFindings(msg, checkUnt(elements, msg.segmentCount, msg.header.reference), at);
    this.closeMessage(null);
  }

  private onUne(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    if (this.msg !== null) this.closeMessage('UNE came before UNT', at);
    this.segmentFlags(ic, flags, elements, at);
    const group = this.group;
    if (group === null) {
      this.report(ic, 'EDIFACT_UNMATCHED_TRAILER', 'UNE without an open UNG', at);
      return;
    }
    this.reportFindings(ic, checkUne(elements, group.messageCount, group.reference), at);
    this.group = null;
    ic.strayReported = false;
  }

  private onUnz(ic: InterchangeState, elements: string[][], at: At, flags: number): void {
    if (this.msg !== null) this.closeMessage('UNZ came before UNT', at);
    if (this.group !== null) this.closeGroup('UNZ came before UNE', at);
    this.segmentFlags(ic, flags, elements, at);
    this.reportFindings(ic, checkUnz(elements, ic.groupCount, ic.messageCount, ic.header.controlNumber), at);
    this.finishInterchange();
    this.afterUnz = true;
  }

  // ---- closing -----------------------------------------------------------------------------

  /** Closes the open message; `missingUnt` says why when it ended without UNT. */
  private closeMessage(missingUnt: string | null, at: At = {}): void {
    const msg = this.msg as MessageState;
    const ic = this.ic as InterchangeState;
    if (missingUnt !== null) {
      const position: At = { ...at };
      delete position.positionInMessage;
      this.report(
        msg,
        'EDIFACT_MISSING_UNT',
        `message ${msg.header.reference} has no UNT: ${missingUnt}`,
        position,
      );
    }
    const ok = !hasError(msg.issues);
    if (!ok) ic.failedMessages++;
    this.msg = null;
    ic.strayReported = false;
    this.sink.messageEnd(ic.header, msg.header, { ok, issues: msg.issues, segmentCount: msg.segmentCount });
  }

  private closeGroup(missingUne: string, at: At): void {
    const group = this.group as GroupState;
    this.report(
      this.ic as InterchangeState,
      'EDIFACT_MISSING_UNE',
      `group ${group.reference} has no UNE: ${missingUne}`,
      at,
    );
    this.group = null;
  }

  /** Closes an interchange that ended without UNZ (and whatever it still had open). */
  private closeInterchange(why: string, at: At): void {
    const ic = this.ic;
    if (ic === null) return;
    if (this.msg !== null) this.closeMessage(why.replace('UNZ', 'UNT'), at);
    if (this.group !== null) this.closeGroup(why.replace('UNZ', 'UNE'), at);
    this.report(ic, 'EDIFACT_MISSING_UNZ', `interchange ${ic.header.controlNumber} has no UNZ: ${why}`, at);
    this.finishInterchange();
  }

  private finishInterchange(): void {
    const ic = this.ic as InterchangeState;
    const ok = !hasError(ic.issues) && ic.failedMessages === 0;
    this.ic = null;
    this.group = null;
    this.sink.interchangeEnd(ic.header, {
      ok,
      issues: ic.issues,
      groupCount: ic.groupCount,
      messageCount: ic.messageCount,
      byteLength: ic.byteEnd - ic.byteStart,
    });
  }

  private flushPending(): void {
    for (const issue of this.pending.issues) this.sink.fileIssue(issue);
    this.pending = { issues: [], layout: 0 };
    this.pendingUna = null;
  }

  // ---- issues ------------------------------------------------------------------------------

  private scope(): Scope {
    return this.msg ?? this.ic ?? this.fileScope;
  }

  private context(): IssueContext {
    return {
      file: this.fileName,
      interchangeControl: this.ic?.header.controlNumber ?? null,
      groupControl: this.group?.reference ?? null,
      messageRef: this.msg?.header.reference ?? null,
    };
  }

  private add(scope: Scope, issue: Issue): void {
    if (scope === this.fileScope) this.sink.fileIssue(issue);
    else scope.issues.push(issue);
  }

  private report(scope: Scope, code: ErrorCode, message: string, at: At): void {
    this.add(scope, makeIssue(code, message, this.context(), at));
  }

  private reportFindings(scope: Scope, findings: readonly Finding[], at: At): void {
    for (const f of findings) this.report(scope, f.code, f.message, { ...at, element: f.element });
  }

  private reportMissing(
    scope: Scope,
    code: ErrorCode,
    tag: string,
    missing: readonly MissingField[],
    at: At,
  ): void {
    const first = missing[0];
    if (first === undefined) return;
    const position: At = { ...at, element: first.element, component: first.component };
    this.report(scope, code, `${tag} lacks ${missingText(missing)}`, position);
  }

  private reportMixed(ic: InterchangeState, at: At): void {
    if (ic.mixedReported) return;
    ic.mixedReported = true;
    this.report(ic, 'EDIFACT_GROUPS_MIXED', 'the interchange holds groups and messages outside groups', at);
  }

  /** Layout flags and value decoding for one segment. */
  private segmentFlags(scope: Scope, flags: number, elements: string[][], at: At): void {
    if ((flags & LAYOUT_MASK) !== 0) this.layout(scope, flags, at);
    if ((flags & SEG_HIGH) !== 0 && this.ic !== null) this.decode(this.ic, elements, at);
  }

  private layout(scope: Scope, flags: number, at: At): void {
    if ((flags & LAYOUT_MASK) === 0) return;
    for (const issue of layoutIssues(scope, flags, this.strict, this.context(), at)) this.add(scope, issue);
  }

  private decode(ic: InterchangeState, elements: string[][], at: At): void {
    ic.decoder.decodeElements(elements);
    this.charsetIssues(ic, at);
  }

  /** One warning per interchange for each kind of guess the decoder had to make. */
  private charsetIssues(ic: InterchangeState, at: At): void {
    const decoder = ic.decoder;
    if (decoder.utf8Values > 0 && !ic.utf8Reported) {
      ic.utf8Reported = true;
      const text = `declared ${ic.header.syntax} (ISO 8859-1 family) but the text is UTF-8; read as UTF-8`;
      this.report(ic, 'EDIFACT_CHARSET_UTF8', text, at);
    }
    if (decoder.invalidValues > 0 && !ic.invalidReported) {
      ic.invalidReported = true;
      this.report(
        ic,
        'EDIFACT_CHARSET_INVALID_BYTES',
        `bytes invalid in ${decoder.info.charset} replaced by U+FFFD`,
        at,
      );
    }
  }
}
