/**
 * UN/EDIFACT interchange writer: optional UNA, UNB / UNH ... UNT / UNZ with segment counts and
 * references computed here. Every service character found in data (component, element, release,
 * repetition, segment terminator) is preceded by the release character; without a release character
 * (UNA with a space there) such characters are replaced and recorded, like X12. Characters outside
 * the syntax identifier's repertoire are converted (UNOA lowercase → uppercase) or replaced, and
 * recorded. Envelope values are never altered: a bad one is an error and nothing is written.
 *
 * Hand-written: the EDIFACT libraries measured (shared/notes/dependencies.md) have no writer or
 * mishandle custom UNA characters.
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
import type { EdifactDelimiters } from '../model/segment.js';

export type EdifactValue = string | readonly string[];

export interface EdifactSegmentInput {
  tag: string;
  elements: readonly EdifactValue[];
  /**
   * Identifier positions: [element] or [element, component], 1-based. Such a value is never
   * altered (released service characters are not an alteration: the reader gets them back); one
   * that would be is an error and nothing is written. Generators check each identifier with
   * edifactIdentifierProblem first, so one bad bill only drops its own decision.
   */
  identifiers?: ReadonlyArray<readonly [number] | readonly [number, number]>;
}

export interface EdifactMessageInput {
  /** UNH 0062, 1–14 characters, unique in the interchange. */
  reference: string;
  /** S009: 0065 type, 0052 version, 0054 release, 0051 agency, 0057 association code. */
  type: string;
  version: string;
  release: string;
  agency: string;
  associationCode?: string;
  /** Segments between UNH and UNT. */
  segments: readonly EdifactSegmentInput[];
}

export interface EdifactParty {
  id: string;
  qualifier?: string;
}

/** UNG … UNE functional group around all messages of the interchange (syntax 4 layout). */
export interface EdifactGroupInput {
  /** UNG 0038, e.g. 'CUSRES'. */
  functionalId: string;
  sender: EdifactParty;
  recipient: EdifactParty;
  /** UNG 0048 = UNE 0048, at most 14 digits. */
  reference: number;
  /** UNG 0051 controlling agency and S008 version / release. */
  agency: string;
  version: string;
  release: string;
}

export interface EdifactInterchangeInput {
  /** 'UNOA'…'UNOY' */
  syntaxId: string;
  /** '1'…'4' */
  syntaxVersion: string;
  sender: EdifactParty;
  recipient: EdifactParty;
  /** 'YYYY-MM-DD' / 'HH:MM' */
  date: string;
  time: string;
  /** UNB 0020 = UNZ 0020, at most 14 digits. */
  controlReference: number;
  applicationReference?: string;
  ackRequested?: boolean;
  test?: boolean;
  /** When given, the messages are written inside one UNG … UNE group. */
  group?: EdifactGroupInput;
  messages: readonly EdifactMessageInput[];
}

export type UnaPolicy = 'auto' | 'always' | 'never';

export interface EdifactWriterOptions {
  delimiters: EdifactDelimiters;
  /** 'auto': UNA only when the delimiters differ from the defaults :+.? ' */
  una: UnaPolicy;
  /** Replaces characters that can be neither escaped nor represented. Default ' '. */
  replacement?: string;
  lineBreak?: string;
  fileName?: string;
}

export interface EdifactWriteResult {
  ok: boolean;
  content: string;
  issues: Issue[];
  /** Character set the adapter must encode `content` with. */
  charset: string;
  segmentCount: number;
  messageCount: number;
}

export const EDIFACT_MAX_CONTROL_REFERENCE = 99_999_999_999_999;

export const DEFAULT_EDIFACT_DELIMITERS: EdifactDelimiters = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  repetition: null,
  segment: "'",
};

const UNOA_SET = new Set([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/=\'+:?!"%&*;<>']);

/** Character repertoire of a syntax identifier; undefined when not checked here. */
export function edifactRepertoire(syntaxId: string): ((ch: string) => string | null) | undefined {
  switch (syntaxId) {
    case 'UNOA': {
      const fold = asciiRepertoire(true);
      return (ch) => {
        if (UNOA_SET.has(ch)) return ch;
        const mapped = fold(ch);
        return mapped !== null && UNOA_SET.has(mapped) ? mapped : null;
      };
    }
    case 'UNOB':
      return asciiRepertoire(false);
    case 'UNOC':
      return (ch) => ((ch.codePointAt(0) ?? 0) <= 0xff ? ch : null);
    default:
      // UNOD–UNOK are other ISO 8859 parts (no table here); UNOW/UNOX/UNOY cover Unicode.
      return undefined;
  }
}

const CHARSETS: Record<string, string> = {
  UNOA: 'ascii',
  UNOB: 'ascii',
  UNOC: 'iso-8859-1',
  UNOD: 'iso-8859-2',
  UNOE: 'iso-8859-5',
  UNOF: 'iso-8859-7',
  UNOG: 'iso-8859-3',
  UNOH: 'iso-8859-4',
  UNOI: 'iso-8859-6',
  UNOJ: 'iso-8859-8',
  UNOK: 'iso-8859-9',
  UNOW: 'utf-8',
  UNOY: 'utf-8',
};

export function validateEdifactDelimiters(d: EdifactDelimiters, replacement: string): string | null {
  const chars = [
    d.component,
    d.element,
    d.segment,
    ...(d.release === null ? [] : [d.release]),
    ...(d.repetition === null ? [] : [d.repetition]),
  ];
  for (const c of chars) {
    if (c.length !== 1) return `delimiter ${JSON.stringify(c)} is not a single character`;
    if (/^[A-Za-z0-9 ]$/.test(c)) return `delimiter ${JSON.stringify(c)} is alphanumeric or space`;
  }
  if (new Set(chars).size !== chars.length) return `delimiters ${JSON.stringify(chars)} are not distinct`;
  if (d.decimal !== '.' && d.decimal !== ',')
    return `decimal mark ${JSON.stringify(d.decimal)} must be '.' or ','`;
  if (chars.includes(d.decimal)) return `decimal mark ${JSON.stringify(d.decimal)} is also a delimiter`;
  if ([...replacement].length !== 1 || chars.includes(replacement) || isControl(replacement)) {
    return `replacement ${JSON.stringify(replacement)} must be one printable character that is not a delimiter`;
  }
  return null;
}

function isDefaultDelimiters(d: EdifactDelimiters): boolean {
  const x = DEFAULT_EDIFACT_DELIMITERS;
  return (
    d.component === x.component &&
    d.element === x.element &&
    d.decimal === x.decimal &&
    d.release === x.release &&
    d.repetition === null &&
    d.segment === x.segment
  );
}

/** Whether the interchange starts with a UNA under this policy. */
export function writesUna(policy: UnaPolicy, d: EdifactDelimiters): boolean {
  return policy === 'always' || (policy === 'auto' && !isDefaultDelimiters(d));
}

/**
 * Service characters data must not carry bare. Without a UNA, syntax version 4 defines '*' as the
 * repetition separator (ISO 9735-4 default service characters), so '*' in data is released there
 * like any other separator; syntax 1–3 have no repetition separator.
 */
export function edifactServiceCharacters(
  d: EdifactDelimiters,
  syntaxVersion: string,
  unaWritten: boolean,
): Set<string> {
  const repetition = d.repetition ?? (!unaWritten && Number(syntaxVersion) >= 4 ? '*' : null);
  return new Set([
    d.component,
    d.element,
    d.segment,
    ...(d.release === null ? [] : [d.release]),
    ...(repetition === null ? [] : [repetition]),
  ]);
}

/**
 * Why an identifier cannot be written unaltered (a service character without a release character,
 * a control character, a character outside the syntax identifier's repertoire); null when it can.
 */
export function edifactIdentifierProblem(
  value: string,
  settings: { delimiters: EdifactDelimiters; una: UnaPolicy; syntaxId: string; syntaxVersion: string },
): string | null {
  const d = settings.delimiters;
  const service = edifactServiceCharacters(d, settings.syntaxVersion, writesUna(settings.una, d));
  const repertoire = edifactRepertoire(settings.syntaxId);
  return identifierProblem(value, {
    reserved: d.release === null ? service : new Set<string>(),
    replacement: ' ',
    ...(repertoire === undefined ? {} : { repertoire }),
  });
}

export function unaString(d: EdifactDelimiters): string {
  return `UNA${d.component}${d.element}${d.decimal}${d.release ?? ' '}${d.repetition ?? ' '}${d.segment}`;
}

class EdifactBuilder {
  readonly issues: Issue[] = [];
  private readonly segments: string[] = [];
  private readonly serviceChars: Set<string>;
  private readonly repertoire: ((ch: string) => string | null) | undefined;

  constructor(
    private readonly d: EdifactDelimiters,
    private readonly replacement: string,
    syntaxId: string,
    syntaxVersion: string,
    unaWritten: boolean,
    private readonly base: IssuePosition,
  ) {
    this.serviceChars = edifactServiceCharacters(d, syntaxVersion, unaWritten);
    this.repertoire = edifactRepertoire(syntaxId);
  }

  /** An identifier is checked, never altered: the release character is the only change allowed. */
  private identifier(value: string, pos: IssuePosition): string {
    const safe = makeSafe(value, {
      reserved: this.d.release === null ? this.serviceChars : new Set<string>(),
      replacement: this.replacement,
      ...(this.repertoire === undefined ? {} : { repertoire: this.repertoire }),
    });
    if (safe.replacements.length > 0) {
      this.issues.push(
        generateIssue(
          'GENERATE_IDENTIFIER_UNREPRESENTABLE',
          `identifier ${JSON.stringify(value)} cannot be written unaltered (${describeReplacements(safe.replacements)})`,
          { ...this.base, ...pos },
        ),
      );
    }
    return this.release(value);
  }

  private release(value: string): string {
    const release = this.d.release;
    if (release === null) return value;
    let out = '';
    for (const ch of value) out += this.serviceChars.has(ch) ? `${release}${ch}` : ch;
    return out;
  }

  get count(): number {
    return this.segments.length;
  }

  /** Envelope value: must contain no service or control character; never altered. */
  envelope(value: string, what: string, pos: IssuePosition): string {
    for (const ch of value) {
      if (this.serviceChars.has(ch) || isControl(ch)) {
        this.issues.push(
          generateIssue(
            'GENERATE_INVALID_ENVELOPE',
            `${what} ${JSON.stringify(value)} contains a service or control character`,
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
    const release = this.d.release;
    // Without a release character the service characters cannot be escaped: replace them instead.
    const safe = makeSafe(value, {
      reserved: release === null ? this.serviceChars : new Set<string>(),
      replacement: this.replacement,
      ...(this.repertoire === undefined ? {} : { repertoire: this.repertoire }),
    });
    const { reserved: replaced, converted } = splitReplacements(safe.replacements);
    if (replaced.length > 0) {
      this.issues.push(
        generateIssue(
          'GENERATE_DELIMITER_REPLACED',
          `cannot escape, replaced ${describeReplacements(replaced)}`,
          { ...this.base, ...pos },
        ),
      );
    }
    if (converted.length > 0) {
      this.issues.push(
        generateIssue(
          'GENERATE_CHARACTER_REPLACED',
          `outside the character repertoire, converted ${describeReplacements(converted)}`,
          {
            ...this.base,
            ...pos,
          },
        ),
      );
    }
    return release === null ? safe.value : this.release(safe.value);
  }

  /** Service segment (UNB/UNH/UNT/UNZ): values already checked, composites joined as given. */
  serviceSegment(tag: string, elements: readonly EdifactValue[]): void {
    const parts = elements.map((e) =>
      typeof e === 'string' ? e : trimTrailing([...e]).join(this.d.component),
    );
    this.segments.push([tag, ...trimTrailing(parts)].join(this.d.element));
  }

  /** Data segment; one left without any data is not written. Returns whether it was written. */
  segment(seg: EdifactSegmentInput, pos: IssuePosition): boolean {
    if (!/^[A-Z][A-Z0-9]{2}$/.test(seg.tag)) {
      this.issues.push(
        generateIssue('GENERATE_INVALID_ENVELOPE', `segment tag ${JSON.stringify(seg.tag)} is invalid`, {
          ...this.base,
          ...pos,
        }),
      );
    }
    const isId = (e: number, c: number | undefined) =>
      seg.identifiers?.some((p) => p[0] === e && p[1] === c) === true;
    const parts = seg.elements.map((el, i) => {
      const at = { ...pos, segmentTag: seg.tag, element: i + 1 };
      if (typeof el === 'string') return isId(i + 1, undefined) ? this.identifier(el, at) : this.data(el, at);
      return trimTrailing(
        (el as readonly string[]).map((c, j) => {
          const cAt = { ...at, component: j + 1 };
          return isId(i + 1, j + 1) ? this.identifier(c, cAt) : this.data(c, cAt);
        }),
      ).join(this.d.component);
    });
    const kept = trimTrailing(parts);
    if (kept.length === 0) {
      this.issues.push(
        generateIssue('GENERATE_SEGMENT_OMITTED', `segment ${seg.tag} has no data and is not written`, {
          ...this.base,
          ...pos,
          segmentTag: seg.tag,
        }),
      );
      return false;
    }
    this.segments.push([seg.tag, ...kept].join(this.d.element));
    return true;
  }

  content(una: boolean, lineBreak: string): string {
    const brk = this.d.segment === '\n' || this.d.segment === '\r' ? '' : lineBreak;
    const head = una ? `${unaString(this.d)}${brk}` : '';
    return head + this.segments.map((s) => `${s}${this.d.segment}${brk}`).join('');
  }
}

function trimTrailing(parts: string[]): string[] {
  const out = [...parts];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export function writeEdifactInterchange(
  input: EdifactInterchangeInput,
  options: EdifactWriterOptions,
): EdifactWriteResult {
  const replacement = options.replacement ?? ' ';
  const d = options.delimiters;
  const base: IssuePosition = options.fileName === undefined ? {} : { file: options.fileName };
  const charset = CHARSETS[input.syntaxId] ?? 'utf-8';
  const fail = (issues: Issue[]): EdifactWriteResult => ({
    ok: false,
    content: '',
    issues,
    charset,
    segmentCount: 0,
    messageCount: 0,
  });

  const delimiterProblem = validateEdifactDelimiters(d, replacement);
  if (delimiterProblem !== null)
    return fail([generateIssue('GENERATE_INVALID_DELIMITERS', delimiterProblem, base)]);
  if (options.una === 'never' && !isDefaultDelimiters(d)) {
    return fail([
      generateIssue(
        'GENERATE_INVALID_DELIMITERS',
        'non-default delimiters need a UNA service string advice',
        base,
      ),
    ]);
  }
  const una = writesUna(options.una, d);

  const ref = input.controlReference;
  const refOk = Number.isSafeInteger(ref) && ref >= 0 && ref <= EDIFACT_MAX_CONTROL_REFERENCE;
  const icr = refOk ? String(ref) : '';
  const b = new EdifactBuilder(d, replacement, input.syntaxId, input.syntaxVersion, una, {
    ...base,
    ...(refOk ? { interchangeControl: icr } : {}),
  });
  const unbPos: IssuePosition = { segmentTag: 'UNB' };
  const err = (
    code: 'GENERATE_INVALID_ENVELOPE' | 'GENERATE_INVALID_CONTROL_NUMBER',
    message: string,
    pos: IssuePosition = unbPos,
  ) => b.issues.push(generateIssue(code, message, { ...base, ...pos }));
  if (!refOk)
    err('GENERATE_INVALID_CONTROL_NUMBER', `UNB 0020 ${ref} is not an integer of at most 14 digits`);
  if (!/^UNO[A-Z]$/.test(input.syntaxId))
    err('GENERATE_INVALID_ENVELOPE', `syntax identifier ${JSON.stringify(input.syntaxId)} invalid`);
  if (!/^[1-4]$/.test(input.syntaxVersion))
    err('GENERATE_INVALID_ENVELOPE', `syntax version ${JSON.stringify(input.syntaxVersion)} invalid`);
  for (const [p, what] of [
    [input.sender, 'sender'],
    [input.recipient, 'recipient'],
  ] as const) {
    if (charLength(p.id) < 1 || charLength(p.id) > 35)
      err('GENERATE_INVALID_ENVELOPE', `${what} id ${JSON.stringify(p.id)} must have 1–35 characters`);
    if (p.qualifier !== undefined && charLength(p.qualifier) > 4)
      err('GENERATE_INVALID_ENVELOPE', `${what} qualifier too long`);
  }
  const date = parseCalendarDate(input.date);
  const time = parseClockTime(input.time);
  if (date === null || time === null)
    err('GENERATE_INVALID_ENVELOPE', `UNB date/time ${input.date} ${input.time} invalid`);
  const v4 = input.syntaxVersion === '4';

  const party = (p: EdifactParty, what: string): string[] => [
    b.envelope(p.id, what, unbPos),
    ...(p.qualifier === undefined ? [] : [b.envelope(p.qualifier, what, unbPos)]),
  ];
  b.serviceSegment('UNB', [
    [input.syntaxId, input.syntaxVersion],
    party(input.sender, 'UNB sender'),
    party(input.recipient, 'UNB recipient'),
    [date === null ? '' : v4 ? ccyymmdd(date) : yymmdd(date), time === null ? '' : hhmm(time)],
    icr,
    '',
    b.envelope(input.applicationReference ?? '', 'UNB 0026', unbPos),
    '',
    input.ackRequested === true ? '1' : '',
    '',
    input.test === true ? '1' : '',
  ]);

  const group = input.group;
  const groupRef =
    group !== undefined &&
    Number.isSafeInteger(group.reference) &&
    group.reference >= 0 &&
    group.reference <= EDIFACT_MAX_CONTROL_REFERENCE
      ? String(group.reference)
      : '';
  if (group !== undefined) {
    const ungPos: IssuePosition = { segmentTag: 'UNG' };
    if (groupRef === '')
      err(
        'GENERATE_INVALID_CONTROL_NUMBER',
        `UNG 0048 ${group.reference} is not an integer of at most 14 digits`,
        ungPos,
      );
    b.serviceSegment('UNG', [
      b.envelope(group.functionalId, 'UNG 0038', ungPos),
      party(group.sender, 'UNG sender'),
      party(group.recipient, 'UNG recipient'),
      [date === null ? '' : v4 ? ccyymmdd(date) : yymmdd(date), time === null ? '' : hhmm(time)],
      groupRef,
      b.envelope(group.agency, 'UNG 0051', ungPos),
      [b.envelope(group.version, 'UNG 0052', ungPos), b.envelope(group.release, 'UNG 0054', ungPos)],
    ]);
  }

  const refs = new Set<string>();
  for (const msg of input.messages) {
    const mPos: IssuePosition = { messageRef: msg.reference };
    if (charLength(msg.reference) < 1 || charLength(msg.reference) > 14) {
      err(
        'GENERATE_INVALID_CONTROL_NUMBER',
        `UNH 0062 ${JSON.stringify(msg.reference)} must have 1–14 characters`,
        mPos,
      );
    }
    if (refs.has(msg.reference))
      err('GENERATE_INVALID_CONTROL_NUMBER', `UNH 0062 ${msg.reference} repeats`, mPos);
    refs.add(msg.reference);
    const id = [
      msg.type,
      msg.version,
      msg.release,
      msg.agency,
      ...(msg.associationCode === undefined ? [] : [msg.associationCode]),
    ];
    b.serviceSegment('UNH', [
      b.envelope(msg.reference, 'UNH 0062', mPos),
      id.map((v) => b.envelope(v, 'UNH S009', mPos)),
    ]);
    let written = 0;
    for (const seg of msg.segments)
      if (b.segment(seg, { ...mPos, positionInMessage: written + 2 })) written += 1;
    b.serviceSegment('UNT', [String(written + 2), msg.reference]);
  }
  if (group !== undefined) b.serviceSegment('UNE', [String(input.messages.length), groupRef]);
  // UNZ 0036 counts the groups when there are groups, else the messages.
  b.serviceSegment('UNZ', [String(group === undefined ? input.messages.length : 1), icr]);

  if (hasErrors(b.issues)) return fail(b.issues);
  return {
    ok: true,
    content: b.content(una, options.lineBreak ?? ''),
    issues: b.issues,
    charset,
    segmentCount: b.count + (una ? 1 : 0),
    messageCount: input.messages.length,
  };
}
