/**
 * EDIFACT envelope: turns the tokenizer's segments into sink calls and checks the envelope
 * (UNB/UNZ, optional UNG/UNE groups, UNH/UNT messages). Every problem becomes an Issue in the
 * narrowest scope that contains it (message, interchange, or file); a message is ok only without
 * error issues, an interchange only without its own error issues and with every message ok.
 */
import { codeSpec, type ErrorCode } from '../errors/registry.js';
import type { Issue, Severity } from '../model/issue.js';
import type { EdifactInterchangeHeader, EdifactSink, MessageHeader } from '../model/reader.js';
import { charsetForSyntax, ValueDecoder } from './charset.js';
import {
  controlCount,
  field,
  isValidTag,
  type MissingField,
  missingInUnb,
  missingInUng,
  missingInUnh,
  readUnb,
  unbDate,
} from './service-segments.js';
import { interchangeDelimiters, serviceCharsProblem } from './service-string.js';
import {
  SEG_BOM,
  SEG_HIGH,
  SEG_LEADING_BLANK,
  SEG_LINE_BREAK,
  SEG_NO_TERMINATOR,
  type TokenHandler,
} from './tokenizer.js';

export interface EnvelopeOptions {
  fileName: string;
  strict: boolean;
}

/** Where issues go; `layout` remembers which layout kinds were already reported (once per scope). */
interface Scope {
  issues: Issue[];
  layout: number;
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
  segmentIndex: number;
  byteOffset: number;
}

interface MessageState extends Scope {
  header: MessageHeader;
  segmentCount: number;
}

/** Position of the segment an issue refers to. */
interface At {
  index?: number;
  tag?: string;
  byteOffset?: number;
  element?: number;
  component?: number;
  positionInMessage?: number;
}

const LAYOUT_KINDS: ReadonlyArray<[number, ErrorCode, string]> = [
  [SEG_BOM, 'INTAKE_BOM', 'a UTF-8 byte order mark precedes the interchange'],
  [SEG_LEADING_BLANK, 'EDIFACT_LAYOUT_WHITESPACE', 'blanks stand before the segment tag'],
  [SEG_LINE_BREAK, 'EDIFACT_LAYOUT_LINE_BREAK', 'CR/LF inside the segment (hard-wrapped line)'],
  [SEG_NO_TERMINATOR, 'EDIFACT_LAYOUT_NO_TERMINATOR', 'the last segment has no segment terminator'],
];
const LAYOUT_MASK = SEG_BOM | SEG_LEADING_BLANK | SEG_LINE_BREAK | SEG_NO_TERMINATOR;

function hasError(issues: readonly Issue[]): boolean {
  for (const issue of issues) if (issue.severity === 'error') return true;
  return false;
}

function missingText(fields: readonly MissingField[]): string {
  return fields.map((f) => f.name).join(', ');
}

export class EdifactEnvelope implements TokenHandler {
  private readonly sink: EdifactSink;
  private readonly fileName: string;
  private readonly strict: boolean;

  private segmentIndex = 0;
  private ic: InterchangeState | null = null;
  private group: GroupState | null = null;
  private msg: MessageState | null = null;

  /** Issues before a UNB that belong to the interchange it opens (BOM, UNA problems). */
  private pending: Scope = { issues: [], layout: 0 };
  private pendingUna: { chars: string; index: number; byteOffset: number } | null = null;
  /** Scope for issues outside every interchange: they go straight to sink.fileIssue. */
  private readonly fileScope: Scope = { issues: [], layout: 0 };
  private afterUnz = false;
  /** Codes already reported for the current run of segments outside any interchange. */
  private readonly strayCodes = new Set<ErrorCode>();

  constructor(sink: EdifactSink, options: EnvelopeOptions) {
    this.sink = sink;
    this.fileName = options.fileName;
    this.strict = options.strict;
  }

  // ---- TokenHandler -------------------------------------------------------------------------

  serviceStringAdvice(chars: string, byteOffset: number, _endOffset: number, flags: number): void {
    const index = this.segmentIndex++;
    if (this.ic !== null)
      this.closeInterchange('a UNA (next interchange) came before UNZ', { index, tag: 'UNA', byteOffset });
    if (this.pendingUna !== null) this.flushPending();
    const at: At = { index, tag: 'UNA', byteOffset };
    this.layout(this.pending, flags, at);
    const problem = serviceCharsProblem(chars);
    if (problem !== null) this.add(this.pending, this.issue('EDIFACT_UNA_INVALID', problem, at));
    this.pendingUna = { chars, index, byteOffset };
  }

  segment(tag: string, elements: string[][], byteOffset: number, endOffset: number, flags: number): void {
    const index = this.segmentIndex++;
    const msg = this.msg;
    // Hot path: a data segment inside a message.
    if (msg !== null && !(tag.charCodeAt(0) === 0x55 && tag.charCodeAt(1) === 0x4e) && isValidTag(tag)) {
      msg.segmentCount++;
      const ic = this.ic as InterchangeState;
      ic.byteEnd = endOffset;
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
    if (this.ic === null) {
      if (tag === 'UNB') this.onUnb(elements, index, byteOffset, endOffset, flags);
      else this.stray(tag, index, byteOffset, flags);
      return;
    }
    if (!isValidTag(tag)) {
      this.badTag(tag, elements, index, byteOffset, endOffset, flags);
      return;
    }
    switch (tag) {
      case 'UNB':
        this.closeInterchange('a UNB (next interchange) came before UNZ', { index, tag, byteOffset });
        this.onUnb(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNG':
        this.onUng(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNH':
        this.onUnh(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNT':
        this.onUnt(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNE':
        this.onUne(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNZ':
        this.onUnz(elements, index, byteOffset, endOffset, flags);
        return;
      case 'UNA':
        // Only a UNA cut short by the end of input reaches here.
        this.add(
          this.scope(),
          this.issue('EDIFACT_UNA_INVALID', 'UNA cut short by the end of input', { index, tag, byteOffset }),
        );
        return;
      default:
        this.onData(tag, elements, index, byteOffset, endOffset, flags);
    }
  }

  oversized(byteOffset: number, endOffset: number, flags: number): void {
    const index = this.segmentIndex++;
    const scope = this.scope();
    const at: At = { index, byteOffset };
    if (this.msg !== null) {
      this.msg.segmentCount++;
      at.positionInMessage = this.msg.segmentCount;
    }
    if (this.ic !== null) this.ic.byteEnd = endOffset;
    this.layout(scope, flags, at);
    const length = endOffset - byteOffset;
    this.add(
      scope,
      this.issue(
        'EDIFACT_SEGMENT_TOO_LONG',
        `segment of at least ${length} bytes exceeds the limit; skipped`,
        at,
      ),
    );
  }

  notEdifact(byteOffset: number, sample: string): void {
    const what =
      sample === '' ? 'the input holds no segment' : `the input starts with ${JSON.stringify(sample)}`;
    this.sink.fileIssue(
      this.issue('INTAKE_NOT_EDI', `not a UN/EDIFACT interchange (no UNA or UNB): ${what}`, { byteOffset }),
    );
  }

  trailingBlank(byteOffset: number, flags: number): void {
    this.layout(this.scope(), flags, { byteOffset });
  }

  /** End of input: close whatever is open (truncated) and flush issues that found no interchange. */
  end(endOffset: number): void {
    if (this.ic !== null)
      this.closeInterchange('the input ended before UNZ (truncated)', { byteOffset: endOffset });
    if (this.pendingUna !== null) {
      const una = this.pendingUna;
      this.add(
        this.pending,
        this.issue('EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE', 'UNA is not followed by a UNB', {
          index: una.index,
          tag: 'UNA',
          byteOffset: una.byteOffset,
        }),
      );
    }
    this.flushPending();
  }

  // ---- segments ------------------------------------------------------------------------------

  private onData(
    tag: string,
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    ic.byteEnd = endOffset;
    const msg = this.msg;
    if (msg !== null) {
      // A service segment other than the envelope ones (UNS section control, ...) is message data.
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
    const at: At = { index, tag, byteOffset };
    this.layout(ic, flags, at);
    if (!ic.strayReported) {
      ic.strayReported = true;
      this.add(
        ic,
        this.issue('EDIFACT_SEGMENT_OUTSIDE_MESSAGE', `${tag} stands outside any UNH..UNT message`, at),
      );
    }
  }

  private badTag(
    tag: string,
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    ic.byteEnd = endOffset;
    const msg = this.msg;
    const at: At = { index, tag, byteOffset };
    if (msg !== null) {
      msg.segmentCount++;
      at.positionInMessage = msg.segmentCount;
    }
    const scope: Scope = msg ?? ic;
    this.segmentFlags(scope, flags, elements, at);
    this.add(
      scope,
      this.issue(
        'EDIFACT_BAD_TAG',
        `malformed segment tag ${JSON.stringify(tag)}; the segment is not delivered`,
        at,
      ),
    );
  }

  /** A segment while no interchange is open. */
  private stray(tag: string, index: number, byteOffset: number, flags: number): void {
    this.flushPending();
    const at: At = { index, tag, byteOffset };
    this.layout(this.fileScope, flags, at);
    let code: ErrorCode;
    let text: string;
    if (tag === 'UNA') {
      code = 'EDIFACT_UNA_INVALID';
      text = 'UNA cut short by the end of input';
    } else if (this.afterUnz) {
      code = 'EDIFACT_JUNK_AFTER_UNZ';
      text = `data after UNZ that is not a new interchange (UNA/UNB): ${JSON.stringify(tag.slice(0, 16))}`;
    } else if (tag === 'UNH' || tag === 'UNG') {
      code = 'EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE';
      text = `${tag} before any UNB: it belongs to no interchange and is not read`;
    } else {
      code = 'EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE';
      text = `${JSON.stringify(tag.slice(0, 16))} stands outside any UNB..UNZ interchange`;
    }
    if (this.strayCodes.has(code)) return;
    this.strayCodes.add(code);
    this.add(this.fileScope, this.issue(code, text, at));
  }

  private onUnb(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    let fields = readUnb(elements);
    const info = charsetForSyntax(fields.syntaxId);
    const decoder = new ValueDecoder(info);
    if ((flags & SEG_HIGH) !== 0) {
      decoder.decodeElements(elements);
      fields = readUnb(elements);
    }
    const una = this.pendingUna;
    const header: EdifactInterchangeHeader = {
      standard: 'edifact',
      senderQualifier: fields.senderQualifier,
      senderId: fields.senderId,
      receiverQualifier: fields.recipientQualifier,
      receiverId: fields.recipientId,
      controlNumber: fields.control,
      date: unbDate(fields.rawDate),
      time: fields.time,
      usage: fields.usage,
      segmentIndex: index,
      byteOffset,
      syntax: fields.syntaxVersion === '' ? fields.syntaxId : `${fields.syntaxId}:${fields.syntaxVersion}`,
      charset: info.charset,
      delimiters: interchangeDelimiters(una?.chars ?? null, fields.syntaxVersion),
      una: una !== null,
    };
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
    const missing = missingInUnb(elements);
    const first = missing[0];
    if (first !== undefined) {
      this.add(
        ic,
        this.issue('EDIFACT_UNB_INVALID', `UNB lacks ${missingText(missing)}`, {
          ...at,
          element: first.element,
          component: first.component,
        }),
      );
    }
    if (!info.known && fields.syntaxId !== '') {
      this.add(
        ic,
        this.issue(
          'EDIFACT_CHARSET_UNKNOWN',
          `syntax identifier ${JSON.stringify(fields.syntaxId)} is not supported; read as ISO 8859-1`,
          {
            ...at,
            element: 1,
            component: 1,
          },
        ),
      );
    }
    this.sink.interchangeStart(header);
  }

  private onUng(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    if (this.msg !== null) this.closeMessage('a UNG came before UNT', { index, tag: 'UNG', byteOffset });
    if (this.group !== null) this.closeGroup('a UNG came before UNE', { index, tag: 'UNG', byteOffset });
    ic.byteEnd = endOffset;
    const at: At = { index, tag: 'UNG', byteOffset };
    this.segmentFlags(ic, flags, elements, at);
    this.group = {
      reference: field(elements, 5),
      functionalId: field(elements, 1),
      appSender: field(elements, 2),
      appReceiver: field(elements, 3),
      messageCount: 0,
      segmentIndex: index,
      byteOffset,
    };
    ic.groupCount++;
    ic.strayReported = false;
    const missing = missingInUng(elements);
    const first = missing[0];
    if (first !== undefined) {
      this.add(
        ic,
        this.issue('EDIFACT_UNG_INVALID', `UNG lacks ${missingText(missing)}`, {
          ...at,
          element: first.element,
          component: first.component,
        }),
      );
    }
    if (ic.ungroupedMessages > 0) this.reportMixed(ic, at);
  }

  private onUnh(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    if (this.msg !== null)
      this.closeMessage('the next UNH came before UNT', { index, tag: 'UNH', byteOffset });
    ic.byteEnd = endOffset;
    const group = this.group;
    if (flags !== 0 && (flags & SEG_HIGH) !== 0) this.decode(ic, elements, { index, tag: 'UNH', byteOffset });
    const header: MessageHeader = {
      type: field(elements, 2, 1),
      reference: field(elements, 1, 1),
      version: `${field(elements, 2, 2)}:${field(elements, 2, 3)}:${field(elements, 2, 4)}`,
      functionalId: group?.functionalId ?? '',
      groupControl: group?.reference ?? '',
      appSender: group?.appSender ?? '',
      appReceiver: group?.appReceiver ?? '',
      segmentIndex: index,
      byteOffset,
    };
    const msg: MessageState = { header, issues: [], layout: 0, segmentCount: 1 };
    this.msg = msg;
    ic.messageCount++;
    const at: At = { index, tag: 'UNH', byteOffset, positionInMessage: 1 };
    if (group !== null) {
      group.messageCount++;
    } else {
      ic.ungroupedMessages++;
      if (ic.groupCount > 0) this.reportMixed(ic, at);
    }
    this.layout(msg, flags, at);
    const missing = missingInUnh(elements);
    const first = missing[0];
    if (first !== undefined) {
      this.add(
        msg,
        this.issue('EDIFACT_UNH_INVALID', `UNH lacks ${missingText(missing)}`, {
          ...at,
          element: first.element,
          component: first.component,
        }),
      );
    }
    this.sink.messageStart(ic.header, header);
  }

  private onUnt(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    ic.byteEnd = endOffset;
    const msg = this.msg;
    if (msg === null) {
      const at: At = { index, tag: 'UNT', byteOffset };
      this.segmentFlags(ic, flags, elements, at);
      this.add(ic, this.issue('EDIFACT_UNMATCHED_TRAILER', 'UNT without an open UNH', at));
      return;
    }
    msg.segmentCount++;
    const at: At = { index, tag: 'UNT', byteOffset, positionInMessage: msg.segmentCount };
    this.segmentFlags(msg, flags, elements, at);
    const rawCount = field(elements, 1);
    const count = controlCount(rawCount);
    if (count === null) {
      this.add(
        msg,
        this.issue('EDIFACT_UNT_COUNT', `UNT01 ${JSON.stringify(rawCount)} is not a segment count`, {
          ...at,
          element: 1,
        }),
      );
    } else if (count !== msg.segmentCount) {
      this.add(
        msg,
        this.issue(
          'EDIFACT_UNT_COUNT',
          `UNT01=${rawCount} but message ${msg.header.reference} has ${msg.segmentCount} segments (UNH..UNT)`,
          { ...at, element: 1 },
        ),
      );
    }
    const reference = field(elements, 2);
    if (reference !== msg.header.reference) {
      this.add(
        msg,
        this.issue(
          'EDIFACT_UNT_REFERENCE',
          `UNT02=${JSON.stringify(reference)} differs from UNH01=${JSON.stringify(msg.header.reference)}`,
          {
            ...at,
            element: 2,
          },
        ),
      );
    }
    this.closeMessage(null);
  }

  private onUne(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    if (this.msg !== null) this.closeMessage('UNE came before UNT', { index, tag: 'UNE', byteOffset });
    ic.byteEnd = endOffset;
    const at: At = { index, tag: 'UNE', byteOffset };
    this.segmentFlags(ic, flags, elements, at);
    const group = this.group;
    if (group === null) {
      this.add(ic, this.issue('EDIFACT_UNMATCHED_TRAILER', 'UNE without an open UNG', at));
      return;
    }
    const rawCount = field(elements, 1);
    const count = controlCount(rawCount);
    if (count !== group.messageCount) {
      const text =
        count === null
          ? `UNE01 ${JSON.stringify(rawCount)} is not a message count`
          : `UNE01=${rawCount} but group ${group.reference} has ${group.messageCount} messages`;
      this.add(ic, this.issue('EDIFACT_UNE_COUNT', text, { ...at, element: 1 }));
    }
    const reference = field(elements, 2);
    if (reference !== group.reference) {
      this.add(
        ic,
        this.issue(
          'EDIFACT_UNE_REFERENCE',
          `UNE02=${JSON.stringify(reference)} differs from UNG05=${JSON.stringify(group.reference)}`,
          {
            ...at,
            element: 2,
          },
        ),
      );
    }
    this.group = null;
    ic.strayReported = false;
  }

  private onUnz(
    elements: string[][],
    index: number,
    byteOffset: number,
    endOffset: number,
    flags: number,
  ): void {
    const ic = this.ic as InterchangeState;
    if (this.msg !== null) this.closeMessage('UNZ came before UNT', { index, tag: 'UNZ', byteOffset });
    if (this.group !== null) this.closeGroup('UNZ came before UNE', { index, tag: 'UNZ', byteOffset });
    ic.byteEnd = endOffset;
    const at: At = { index, tag: 'UNZ', byteOffset };
    this.segmentFlags(ic, flags, elements, at);
    const grouped = ic.groupCount > 0;
    const expected = grouped ? ic.groupCount : ic.messageCount;
    const rawCount = field(elements, 1);
    const count = controlCount(rawCount);
    if (count !== expected) {
      const text =
        count === null
          ? `UNZ01 ${JSON.stringify(rawCount)} is not a control count`
          : `UNZ01=${rawCount} but the interchange has ${expected} ${grouped ? 'groups' : 'messages'}`;
      this.add(ic, this.issue('EDIFACT_UNZ_COUNT', text, { ...at, element: 1 }));
    }
    const reference = field(elements, 2);
    if (reference !== ic.header.controlNumber) {
      this.add(
        ic,
        this.issue(
          'EDIFACT_UNZ_REFERENCE',
          `UNZ02=${JSON.stringify(reference)} differs from UNB05=${JSON.stringify(ic.header.controlNumber)}`,
          { ...at, element: 2 },
        ),
      );
    }
    this.finishInterchange();
    this.afterUnz = true;
  }

  // ---- closing -------------------------------------------------------------------------------

  /** Closes the open message; `missingUnt` says why when it ended without UNT. */
  private closeMessage(missingUnt: string | null, at: At = {}): void {
    const msg = this.msg as MessageState;
    const ic = this.ic as InterchangeState;
    if (missingUnt !== null) {
      this.add(
        msg,
        this.issue('EDIFACT_MISSING_UNT', `message ${msg.header.reference} has no UNT: ${missingUnt}`, at),
      );
    }
    const ok = !hasError(msg.issues);
    if (!ok) ic.failedMessages++;
    this.msg = null;
    ic.strayReported = false;
    this.sink.messageEnd(ic.header, msg.header, { ok, issues: msg.issues, segmentCount: msg.segmentCount });
  }

  private closeGroup(missingUne: string, at: At): void {
    const ic = this.ic as InterchangeState;
    const group = this.group as GroupState;
    this.add(ic, this.issue('EDIFACT_MISSING_UNE', `group ${group.reference} has no UNE: ${missingUne}`, at));
    this.group = null;
  }

  /** Closes an interchange that ended without UNZ (and whatever it still had open). */
  private closeInterchange(why: string, at: At): void {
    const ic = this.ic;
    if (ic === null) return;
    if (this.msg !== null) this.closeMessage(why.replace('UNZ', 'UNT'), at);
    if (this.group !== null) this.closeGroup(why.replace('UNZ', 'UNE'), at);
    this.add(
      ic,
      this.issue('EDIFACT_MISSING_UNZ', `interchange ${ic.header.controlNumber} has no UNZ: ${why}`, at),
    );
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

  // ---- issues --------------------------------------------------------------------------------

  private scope(): Scope {
    return this.msg ?? this.ic ?? this.fileScope;
  }

  private add(scope: Scope, issue: Issue): void {
    if (scope === this.fileScope) this.sink.fileIssue(issue);
    else scope.issues.push(issue);
  }

  private reportMixed(ic: InterchangeState, at: At): void {
    if (ic.mixedReported) return;
    ic.mixedReported = true;
    this.add(
      ic,
      this.issue('EDIFACT_GROUPS_MIXED', 'the interchange holds groups and messages outside groups', at),
    );
  }

  /** Layout flags and value decoding for one segment. */
  private segmentFlags(scope: Scope, flags: number, elements: string[][], at: At): void {
    if ((flags & LAYOUT_MASK) !== 0) this.layout(scope, flags, at);
    if ((flags & SEG_HIGH) !== 0 && this.ic !== null) this.decode(this.ic, elements, at);
  }

  private layout(scope: Scope, flags: number, at: At): void {
    if ((flags & LAYOUT_MASK) === 0) return;
    const severity: Severity = this.strict ? 'error' : 'warning';
    for (const [bit, code, text] of LAYOUT_KINDS) {
      if ((flags & bit) === 0 || (scope.layout & bit) !== 0) continue;
      scope.layout |= bit;
      const suffix = this.strict ? ' (rejected: strict intake)' : ' (tolerated)';
      const pos: At = bit === SEG_BOM ? { ...at, byteOffset: 0 } : at;
      this.add(scope, this.issue(code, text + suffix, pos, severity));
    }
  }

  private decode(ic: InterchangeState, elements: string[][], at: At): void {
    const decoder = ic.decoder;
    decoder.decodeElements(elements);
    this.charsetIssues(ic, at);
  }

  private charsetIssues(ic: InterchangeState, at: At): void {
    const decoder = ic.decoder;
    if (decoder.utf8Values > 0 && !ic.utf8Reported) {
      ic.utf8Reported = true;
      this.add(
        ic,
        this.issue(
          'EDIFACT_CHARSET_UTF8',
          `declared ${ic.header.syntax} (ISO 8859-1 family) but the text is UTF-8; read as UTF-8`,
          at,
        ),
      );
    }
    if (decoder.invalidValues > 0 && !ic.invalidReported) {
      ic.invalidReported = true;
      this.add(
        ic,
        this.issue(
          'EDIFACT_CHARSET_INVALID_BYTES',
          `bytes invalid in ${decoder.info.charset} replaced by U+FFFD`,
          at,
        ),
      );
    }
  }

  private issue(
    code: ErrorCode,
    message: string,
    at: At,
    severity: Severity = codeSpec(code).severity,
  ): Issue {
    const issue: Issue = { code, severity, message, file: this.fileName };
    if (this.ic !== null) issue.interchangeControl = this.ic.header.controlNumber;
    if (this.group !== null) issue.groupControl = this.group.reference;
    if (this.msg !== null) issue.messageRef = this.msg.header.reference;
    if (at.index !== undefined) issue.segmentIndex = at.index;
    if (at.positionInMessage !== undefined) issue.positionInMessage = at.positionInMessage;
    if (at.tag !== undefined) issue.segmentTag = at.tag;
    if (at.element !== undefined) issue.element = at.element;
    if (at.component !== undefined) issue.component = at.component;
    if (at.byteOffset !== undefined) issue.byteOffset = at.byteOffset;
    return issue;
  }
}
