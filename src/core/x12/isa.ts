/**
 * ISA header: finding its delimiters and checking its fixed-width shape.
 *
 * The ISA is read by counting element separators (16 of them, the first being the 4th character),
 * not by fixed byte positions: that finds the right delimiters even when the fields are not padded
 * (the shape error is then reported, not guessed around) and when a delimiter is a multi-byte UTF-8
 * character. CR/LF inside the ISA (hard-wrapped files) are skipped and reported as layout.
 */
import type { ErrorCode } from '../errors/registry.js';
import type { X12Delimiters } from '../model/segment.js';
import { charLengthAt, decodeBytes, isAlnum } from './text.js';

/** How far (raw chars from the 'I') the scan goes before giving up on an ISA. */
export const ISA_SCAN_LIMIT = 512;

export type IsaScan =
  | { kind: 'more' }
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'ok';
      /** ISA01..ISA16 as latin1 text, CR/LF removed. */
      fields: string[];
      /** Delimiter needles as latin1 text (several chars for a multi-byte UTF-8 character). */
      element: string;
      component: string;
      terminator: string;
      /** Index just after the terminator. */
      end: number;
      /** Index of the first CR/LF skipped inside the ISA, -1 when none. */
      lineBreakAt: number;
    };

/**
 * Scan an ISA starting at `start` ("ISA" already matched there). `final` = no more input will come.
 */
export function scanIsa(text: string, start: number, final: boolean): IsaScan {
  const len = text.length;
  const more = (): IsaScan =>
    final ? { kind: 'invalid', reason: 'the file ends inside the ISA' } : { kind: 'more' };
  let p = start + 3;
  if (p >= len) return more();
  const elLen = charLengthAt(text, p, final);
  if (elLen === 0) return more();
  const element = text.substr(p, elLen);
  p += elLen;
  const skipLF = element !== '\n';
  const skipCR = element !== '\r';
  let lineBreakAt = -1;
  const fields: string[] = [];
  let fieldStart = p;
  let field = '';
  // ISA01..ISA15 each end with an element separator.
  while (fields.length < 15) {
    if (p - start > ISA_SCAN_LIMIT) return { kind: 'invalid', reason: 'fewer than 16 element separators' };
    if (p + elLen > len) return more();
    if (text.startsWith(element, p)) {
      fields.push(field + text.substring(fieldStart, p));
      field = '';
      p += elLen;
      fieldStart = p;
      continue;
    }
    const c = text.charCodeAt(p);
    if ((c === 10 && skipLF) || (c === 13 && skipCR)) {
      if (lineBreakAt < 0) lineBreakAt = p;
      field += text.substring(fieldStart, p);
      p++;
      fieldStart = p;
      continue;
    }
    p++;
  }
  // ISA16 (component separator): skip a hard wrap before it, a CR/LF component is not plausible.
  for (;;) {
    if (p >= len) return more();
    const c = text.charCodeAt(p);
    if (c !== 10 && c !== 13) break;
    if (lineBreakAt < 0) lineBreakAt = p;
    p++;
  }
  const compLen = charLengthAt(text, p, final);
  if (compLen === 0) return more();
  const component = text.substr(p, compLen);
  p += compLen;
  fields.push(component);
  // The terminator is the very next character, whatever it is (CR and LF included).
  if (p >= len) return more();
  const termLen = charLengthAt(text, p, final);
  if (termLen === 0) return more();
  const terminator = text.substr(p, termLen);
  p += termLen;
  const clash = delimiterClash(element, component, terminator);
  if (clash !== null) return { kind: 'invalid', reason: clash };
  return { kind: 'ok', fields, element, component, terminator, end: p, lineBreakAt };
}

function delimiterClash(element: string, component: string, terminator: string): string | null {
  for (const [name, d] of [
    ['element separator', element],
    ['component separator', component],
    ['segment terminator', terminator],
  ] as const) {
    if (d.length === 1 && isAlnum(d.charCodeAt(0))) return `the ${name} '${d}' is a letter or digit`;
  }
  if (element === terminator)
    return 'the element separator and the segment terminator are the same character';
  if (element === component) return 'the element and component separators are the same character';
  if (component === terminator)
    return 'the component separator and the segment terminator are the same character';
  return null;
}

/** Widths of ISA01..ISA16. */
const WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;

export interface IsaProblem {
  code: ErrorCode;
  /** 1-based ISA element, absent for the whole segment. */
  element?: number;
  message: string;
}

/** ISA length and fixed-field checks on the decoded fields (ISA01..ISA16). */
export function checkIsa(fields: readonly string[]): IsaProblem[] {
  const problems: IsaProblem[] = [];
  // "ISA" + 16 separators + fields + terminator.
  let length = 3 + 16 + 1;
  for (const f of fields) length += f.length;
  if (length !== 106) {
    problems.push({ code: 'X12_ISA_LENGTH', message: `ISA is ${length} characters long, not 106` });
  }
  for (let i = 0; i < WIDTHS.length; i++) {
    const value = fields[i] ?? '';
    if (value.length !== WIDTHS[i]) {
      problems.push({
        code: 'X12_ISA_FIELD',
        element: i + 1,
        message: `ISA${pad2(i + 1)} is ${value.length} characters wide, not ${WIDTHS[i]}`,
      });
    }
  }
  const digits = (element: number, what: string): void => {
    const value = fields[element - 1] ?? '';
    if (value.length > 0 && !isDigits(value)) {
      problems.push({
        code: 'X12_ISA_FIELD',
        element,
        message: `ISA${pad2(element)} (${what}) '${value}' is not numeric`,
      });
    }
  };
  digits(9, 'date');
  digits(10, 'time');
  digits(12, 'version');
  digits(13, 'control number');
  const ack = fields[13] ?? '';
  if (ack !== '0' && ack !== '1') {
    problems.push({
      code: 'X12_ISA_FIELD',
      element: 14,
      message: `ISA14 (acknowledgment requested) '${ack}' is not 0 or 1`,
    });
  }
  const usage = fields[14] ?? '';
  if (usage !== 'P' && usage !== 'T' && usage !== 'I') {
    problems.push({
      code: 'X12_ISA_FIELD',
      element: 15,
      message: `ISA15 (usage) '${usage}' is not P, T or I`,
    });
  }
  return problems;
}

/**
 * Delimiters as characters. ISA11 is a repetition separator only from version 00402 on, and never
 * when it is a letter, digit or space ('U', the pre-4020 standards identifier, left in newer files)
 * or one of the other delimiters.
 */
export function isaDelimiters(
  fields: readonly string[],
  element: string,
  component: string,
  terminator: string,
): X12Delimiters {
  const el = decodeBytes(element);
  const comp = decodeBytes(component);
  const seg = decodeBytes(terminator);
  const version = fields[11] ?? '';
  const isa11 = fields[10] ?? '';
  let repetition: string | null = null;
  if (isDigits(version) && version.length === 5 && version >= '00402' && isa11.length === 1) {
    const code = isa11.charCodeAt(0);
    if (!isAlnum(code) && code !== 32 && isa11 !== el && isa11 !== comp && isa11 !== seg) repetition = isa11;
  }
  return { element: el, component: comp, repetition, segment: seg };
}

/** ISA09 YYMMDD as CCYYMMDD (00-49 = 20xx, 50-99 = 19xx); '' when not six digits. */
export function isaDate(yymmdd: string): string {
  if (yymmdd.length !== 6 || !isDigits(yymmdd)) return '';
  const yy = Number(yymmdd.slice(0, 2));
  return `${yy < 50 ? '20' : '19'}${yymmdd}`;
}

export function isDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
