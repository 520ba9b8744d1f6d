/**
 * X12 interchange writer: ISA (fixed 106 characters) / GS / ST ... SE / GE / IEA with counts and
 * control numbers computed here, never by the caller. X12 has no escape character, so a data value
 * containing a delimiter (or a control character) gets that character replaced and the replacement
 * recorded as a warning Issue; trailing spaces of data values are suppressed (X12 rule, and readers
 * strip spaces before a terminator). Envelope values are never altered: a bad one is an error and nothing
 * is written (ok=false, content=''), so a broken envelope can never leave this module.
 *
 * Written by hand rather than with node-x12's generator because that generator neither escapes nor
 * rejects delimiter characters in data (shared/notes/dependencies.md).
 */
import { ccyymmdd, hhmm, parseCalendarDate, parseClockTime, yymmdd } from '../generate/dates.js';
import { generateIssue, hasErrors } from '../generate/issues.js';
import {
  asciiRepertoire,
  charLength,
  describeReplacements,
  identifierProblem,
  isControl,
  makeSafe,
  splitReplacements,
} from '../generate/text-safety.js';
import type { Issue, IssuePosition } from '../model/issue.js';
import type { X12Delimiters } from '../model/segment.js';

/** A simple element (string) or a composite (its components). */
export type X12Value = string | readonly string[];

export interface X12SegmentInput {
  tag: string;
  elements: readonly X12Value[];
  /**
   * 1-based positions of elements that hold identifiers (bill, SCAC, entry number, port): such a
   * value is never altered; one that would be is an error and nothing is written. Generators check
   * each identifier with x12IdentifierProblem first, so one bad bill only drops its own decision.
   */
  identifiers?: readonly number[];
}

export interface X12TransactionInput {
  /** ST01, e.g. '350', '999'. */
  type: string;
  /** ST02, 4–9 characters (callers zero-pad to 4). */
  controlNumber: string;
  /** ST03 implementation convention reference (999: '005010X231A1'). */
  implementationRef?: string;
  /** Segments between ST and SE. */
  segments: readonly X12SegmentInput[];
}

export interface X12GroupInput {
  /** GS01, e.g. 'AU', 'FA'. */
  functionalId: string;
  appSenderId: string;
  appReceiverId: string;
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
  controlNumber: number;
  /** GS08, e.g. '004060'. */
  version: string;
  transactions: readonly X12TransactionInput[];
}

export interface X12InterchangeInput {
  authorizationQualifier?: string;
  authorization?: string;
  securityQualifier?: string;
  security?: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  date: string;
  time: string;
  controlNumber: number;
  /** ISA12, e.g. '00401', '00406', '00501'. */
  version: string;
  ackRequested: boolean;
  usage: 'P' | 'T';
  /** Segments between ISA and the first GS (TA1). */
  leadingSegments?: readonly X12SegmentInput[];
  groups: readonly X12GroupInput[];
}

export interface X12WriterOptions {
  delimiters: X12Delimiters;
  /** Replaces delimiter and control characters found in data. Default ' '. */
  replacement?: string;
  /** Written after every segment terminator ('' default, '\n' or '\r\n' for readability). */
  lineBreak?: string;
  /** File name put on issues. */
  fileName?: string;
}

export interface X12WriteResult {
  ok: boolean;
  /** '' when ok is false. */
  content: string;
  issues: Issue[];
  /** Segments written, ISA to IEA inclusive. */
  segmentCount: number;
  transactionCount: number;
}

export const X12_MAX_CONTROL_NUMBER = 999_999_999;

const TAG = /^[A-Z][A-Z0-9]{1,2}$/;
/** X12 basic + extended character sets are printable ASCII; accents are folded. */
const PRINTABLE_ASCII = asciiRepertoire(false);
const ALNUM = /^[A-Za-z0-9]$/;

export function validateX12Delimiters(
  d: X12Delimiters,
  replacement: string,
  needsRepetition: boolean,
): string | null {
  const chars = [d.element, d.component, d.segment, ...(d.repetition === null ? [] : [d.repetition])];
  for (const c of chars) {
    if (c.length !== 1) return `delimiter ${JSON.stringify(c)} is not a single character`;
    if (ALNUM.test(c)) return `delimiter ${JSON.stringify(c)} is alphanumeric`;
  }
  if (new Set(chars).size !== chars.length) return `delimiters ${JSON.stringify(chars)} are not distinct`;
  if (needsRepetition && d.repetition === null) return 'ISA12 >= 00402 needs a repetition separator (ISA11)';
  if ([...replacement].length !== 1 || chars.includes(replacement) || isControl(replacement)) {
    return `replacement ${JSON.stringify(replacement)} must be one printable character that is not a delimiter`;
  }
  return null;
}

function reservedCharacters(d: X12Delimiters): Set<string> {
  return new Set([d.element, d.component, d.segment, ...(d.repetition === null ? [] : [d.repetition])]);
}

/**
 * Why an identifier cannot be written unaltered with these delimiters (a delimiter, a control
 * character, a character outside printable ASCII, or trailing spaces X12 suppresses); null when it can.
 */
export function x12IdentifierProblem(value: string, d: X12Delimiters): string | null {
  const problem = identifierProblem(value, {
    reserved: reservedCharacters(d),
    replacement: ' ',
    repertoire: PRINTABLE_ASCII,
  });
  if (problem !== null) return problem;
  return / $/.test(value) ? `${JSON.stringify(value)} ends with spaces X12 suppresses` : null;
}

function validControlNumber(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= X12_MAX_CONTROL_NUMBER;
}

class X12Builder {
  readonly issues: Issue[] = [];
  private readonly segments: string[] = [];
  private readonly reserved: Set<string>;
  private readonly replacement: string;

  constructor(
    private readonly d: X12Delimiters,
    replacement: string,
    private readonly base: IssuePosition,
  ) {
    this.replacement = replacement;
    this.reserved = reservedCharacters(d);
  }

  get count(): number {
    return this.segments.length;
  }

  raw(text: string): void {
    this.segments.push(text);
  }

  /** Envelope value: must be clean, never altered. */
  envelope(value: string, what: string, pos: IssuePosition): string {
    for (const ch of value) {
      if (this.reserved.has(ch) || isControl(ch)) {
        this.issues.push(
          generateIssue(
            'GENERATE_INVALID_ENVELOPE',
            `${what} ${JSON.stringify(value)} contains a delimiter or control character`,
            {
              ...this.base,
              ...pos,
            },
          ),
        );
        break;
      }
    }
    return value;
  }

  private data(value: string, pos: IssuePosition): string {
    const safe = makeSafe(value, {
      reserved: this.reserved,
      replacement: this.replacement,
      repertoire: PRINTABLE_ASCII,
    });
    const { reserved, converted } = splitReplacements(safe.replacements);
    if (reserved.length > 0) {
      this.issues.push(
        generateIssue(
          'GENERATE_DELIMITER_REPLACED',
          `X12 has no escape; replaced ${describeReplacements(reserved)}`,
          {
            ...this.base,
            ...pos,
          },
        ),
      );
    }
    if (converted.length > 0) {
      this.issues.push(
        generateIssue(
          'GENERATE_CHARACTER_REPLACED',
          `outside printable ASCII, converted ${describeReplacements(converted)}`,
          {
            ...this.base,
            ...pos,
          },
        ),
      );
    }
    // X12 suppresses trailing spaces of data elements, and readers strip spaces before a terminator.
    return safe.value.replace(/ +$/, '');
  }

  /**
   * Data segment: values are made safe, trailing empty elements and components dropped. A segment
   * left without any data is not written (X12 has no empty segments); returns whether it was written.
   */
  segment(seg: X12SegmentInput, pos: IssuePosition): boolean {
    if (!TAG.test(seg.tag)) {
      this.issues.push(
        generateIssue('GENERATE_INVALID_ENVELOPE', `segment tag ${JSON.stringify(seg.tag)} is invalid`, {
          ...this.base,
          ...pos,
        }),
      );
    }
    const parts: string[] = [];
    seg.elements.forEach((el, i) => {
      const at = { ...pos, segmentTag: seg.tag, element: i + 1 };
      if (typeof el === 'string' && seg.identifiers?.includes(i + 1) === true) {
        const problem = x12IdentifierProblem(el, this.d);
        if (problem !== null) {
          this.issues.push(
            generateIssue('GENERATE_IDENTIFIER_UNREPRESENTABLE', `identifier ${problem}`, {
              ...this.base,
              ...at,
            }),
          );
        }
        parts.push(el);
      } else if (typeof el === 'string') {
        parts.push(this.data(el, at));
      } else {
        const comps = (el as readonly string[]).map((c, j) => this.data(c, { ...at, component: j + 1 }));
        while (comps.length > 0 && comps[comps.length - 1] === '') comps.pop();
        parts.push(comps.join(this.d.component));
      }
    });
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 0) {
      this.issues.push(
        generateIssue('GENERATE_SEGMENT_OMITTED', `segment ${seg.tag} has no data and is not written`, {
          ...this.base,
          ...pos,
          segmentTag: seg.tag,
        }),
      );
      return false;
    }
    this.segments.push([seg.tag, ...parts].join(this.d.element));
    return true;
  }

  content(lineBreak: string): string {
    const brk = this.d.segment === '\n' || this.d.segment === '\r' ? '' : lineBreak;
    return this.segments.map((s) => `${s}${this.d.segment}${brk}`).join('');
  }
}

function fixed(value: string, width: number): string {
  return value.padEnd(width, ' ');
}

export function writeX12Interchange(input: X12InterchangeInput, options: X12WriterOptions): X12WriteResult {
  const replacement = options.replacement ?? ' ';
  const d = options.delimiters;
  const base: IssuePosition = options.fileName === undefined ? {} : { file: options.fileName };
  const fail = (issues: Issue[]): X12WriteResult => ({
    ok: false,
    content: '',
    issues,
    segmentCount: 0,
    transactionCount: 0,
  });

  const needsRepetition = /^\d{5}$/.test(input.version) && input.version >= '00402';
  const delimiterProblem = validateX12Delimiters(d, replacement, needsRepetition);
  if (delimiterProblem !== null)
    return fail([generateIssue('GENERATE_INVALID_DELIMITERS', delimiterProblem, base)]);

  const envIssue = (
    code: 'GENERATE_INVALID_ENVELOPE' | 'GENERATE_INVALID_CONTROL_NUMBER',
    message: string,
    pos: IssuePosition = {},
  ) => generateIssue(code, message, { ...base, ...pos });
  const pre: Issue[] = [];
  if (!validControlNumber(input.controlNumber)) {
    pre.push(
      envIssue(
        'GENERATE_INVALID_CONTROL_NUMBER',
        `ISA13 ${input.controlNumber} is not an integer 0..999999999`,
      ),
    );
  }
  const icn = validControlNumber(input.controlNumber) ? String(input.controlNumber).padStart(9, '0') : '';
  const isaPos: IssuePosition = { interchangeControl: icn, segmentTag: 'ISA' };

  const b = new X12Builder(d, replacement, { ...base, ...(icn === '' ? {} : { interchangeControl: icn }) });
  b.issues.push(...pre);

  const idField = (value: string, what: string, el: number): string => {
    if (charLength(value) < 1 || charLength(value) > 15) {
      b.issues.push(
        envIssue('GENERATE_INVALID_ENVELOPE', `${what} ${JSON.stringify(value)} must have 1–15 characters`, {
          ...isaPos,
          element: el,
        }),
      );
    }
    return fixed(b.envelope(value, what, { ...isaPos, element: el }), 15);
  };
  const qualifier = (value: string, what: string, el: number): string => {
    if (!/^[A-Za-z0-9]{2}$/.test(value)) {
      b.issues.push(
        envIssue('GENERATE_INVALID_ENVELOPE', `${what} ${JSON.stringify(value)} must be 2 alphanumerics`, {
          ...isaPos,
          element: el,
        }),
      );
    }
    return value;
  };
  const tenChars = (value: string, what: string, el: number): string => {
    if (charLength(value) > 10) {
      b.issues.push(
        envIssue('GENERATE_INVALID_ENVELOPE', `${what} is longer than 10 characters`, {
          ...isaPos,
          element: el,
        }),
      );
    }
    return fixed(b.envelope(value, what, { ...isaPos, element: el }), 10);
  };

  const date = parseCalendarDate(input.date);
  const time = parseClockTime(input.time);
  if (date === null)
    b.issues.push(
      envIssue(
        'GENERATE_INVALID_ENVELOPE',
        `ISA09 date ${JSON.stringify(input.date)} is not a calendar date`,
        isaPos,
      ),
    );
  if (time === null)
    b.issues.push(
      envIssue('GENERATE_INVALID_ENVELOPE', `ISA10 time ${JSON.stringify(input.time)} is not HH:MM`, isaPos),
    );
  if (!/^\d{5}$/.test(input.version)) {
    b.issues.push(
      envIssue(
        'GENERATE_INVALID_ENVELOPE',
        `ISA12 version ${JSON.stringify(input.version)} must be 5 digits`,
        isaPos,
      ),
    );
  }

  const isa = [
    'ISA',
    qualifier(input.authorizationQualifier ?? '00', 'ISA01', 1),
    tenChars(input.authorization ?? '', 'ISA02', 2),
    qualifier(input.securityQualifier ?? '00', 'ISA03', 3),
    tenChars(input.security ?? '', 'ISA04', 4),
    qualifier(input.senderQualifier, 'ISA05', 5),
    idField(input.senderId, 'ISA06 sender id', 6),
    qualifier(input.receiverQualifier, 'ISA07', 7),
    idField(input.receiverId, 'ISA08 receiver id', 8),
    date === null ? '000000' : yymmdd(date),
    time === null ? '0000' : hhmm(time),
    needsRepetition ? (d.repetition ?? 'U') : 'U',
    input.version,
    icn,
    input.ackRequested ? '1' : '0',
    input.usage,
    d.component,
  ].join(d.element);
  b.raw(isa);

  for (const seg of input.leadingSegments ?? []) b.segment(seg, {});

  let transactions = 0;
  for (const group of input.groups) {
    const gOk = validControlNumber(group.controlNumber);
    const gcn = gOk ? String(group.controlNumber) : '';
    const gPos: IssuePosition = { groupControl: gcn, segmentTag: 'GS' };
    if (!gOk)
      b.issues.push(
        envIssue(
          'GENERATE_INVALID_CONTROL_NUMBER',
          `GS06 ${group.controlNumber} is not an integer 0..999999999`,
          gPos,
        ),
      );
    const gDate = parseCalendarDate(group.date);
    const gTime = parseClockTime(group.time);
    if (gDate === null || gTime === null)
      b.issues.push(envIssue('GENERATE_INVALID_ENVELOPE', 'GS04/GS05 date or time invalid', gPos));
    if (!/^[A-Z0-9]{2}$/.test(group.functionalId))
      b.issues.push(
        envIssue('GENERATE_INVALID_ENVELOPE', `GS01 ${JSON.stringify(group.functionalId)} invalid`, gPos),
      );
    for (const [v, what] of [
      [group.appSenderId, 'GS02'],
      [group.appReceiverId, 'GS03'],
    ] as const) {
      if (charLength(v) < 2 || charLength(v) > 15)
        b.issues.push(
          envIssue(
            'GENERATE_INVALID_ENVELOPE',
            `${what} ${JSON.stringify(v)} must have 2–15 characters`,
            gPos,
          ),
        );
    }
    if (!/^[A-Za-z0-9]{1,12}$/.test(group.version))
      b.issues.push(
        envIssue('GENERATE_INVALID_ENVELOPE', `GS08 ${JSON.stringify(group.version)} invalid`, gPos),
      );
    b.raw(
      [
        'GS',
        b.envelope(group.functionalId, 'GS01', gPos),
        b.envelope(group.appSenderId, 'GS02', gPos),
        b.envelope(group.appReceiverId, 'GS03', gPos),
        gDate === null ? '' : ccyymmdd(gDate),
        gTime === null ? '' : hhmm(gTime),
        gcn,
        'X',
        b.envelope(group.version, 'GS08', gPos),
      ].join(d.element),
    );
    const seen = new Set<string>();
    for (const tx of group.transactions) {
      const tPos: IssuePosition = { groupControl: gcn, messageRef: tx.controlNumber };
      if (!/^[A-Za-z0-9]{4,9}$/.test(tx.controlNumber)) {
        b.issues.push(
          envIssue(
            'GENERATE_INVALID_CONTROL_NUMBER',
            `ST02 ${JSON.stringify(tx.controlNumber)} must be 4–9 alphanumerics`,
            tPos,
          ),
        );
      }
      if (seen.has(tx.controlNumber))
        b.issues.push(
          envIssue(
            'GENERATE_INVALID_CONTROL_NUMBER',
            `ST02 ${tx.controlNumber} repeats in group ${gcn}`,
            tPos,
          ),
        );
      seen.add(tx.controlNumber);
      if (!/^\d{3}$/.test(tx.type))
        b.issues.push(envIssue('GENERATE_INVALID_ENVELOPE', `ST01 ${JSON.stringify(tx.type)} invalid`, tPos));
      const st = [
        'ST',
        tx.type,
        tx.controlNumber,
        ...(tx.implementationRef === undefined ? [] : [tx.implementationRef]),
      ];
      b.raw(st.map((v, i) => (i === 0 ? v : b.envelope(v, `ST0${i}`, tPos))).join(d.element));
      let written = 0;
      for (const seg of tx.segments)
        if (b.segment(seg, { ...tPos, positionInMessage: written + 2 })) written += 1;
      b.raw(['SE', String(written + 2), tx.controlNumber].join(d.element));
      transactions += 1;
    }
    b.raw(['GE', String(group.transactions.length), gcn].join(d.element));
  }
  b.raw(['IEA', String(input.groups.length), icn].join(d.element));

  if (charLength(isa) !== 105) {
    b.issues.push(
      envIssue(
        'GENERATE_INVALID_ENVELOPE',
        `ISA would be ${charLength(isa) + 1} characters, not 106`,
        isaPos,
      ),
    );
  }
  if (hasErrors(b.issues)) return fail(b.issues);
  return {
    ok: true,
    content: b.content(options.lineBreak ?? ''),
    issues: b.issues,
    segmentCount: b.count,
    transactionCount: transactions,
  };
}
