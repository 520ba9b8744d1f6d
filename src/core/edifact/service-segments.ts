/**
 * Field access for the service segments UNB, UNG, UNH and their trailers (ISO 9735 element
 * positions; elements[0] is the first data element after the tag), and the sink headers built
 * from them.
 */
import type { EdifactInterchangeHeader, MessageHeader } from '../model/reader.js';
import { interchangeDelimiters } from './service-string.js';

type Elements = string[][];

export function field(elements: Elements, element: number, component = 1): string {
  return elements[element - 1]?.[component - 1] ?? '';
}

export interface UnbFields {
  syntaxId: string;
  syntaxVersion: string;
  senderId: string;
  senderQualifier: string;
  recipientId: string;
  recipientQualifier: string;
  /** 0017 as sent (YYMMDD or CCYYMMDD). */
  rawDate: string;
  time: string;
  control: string;
  /** 0035 test indicator, '' when absent. */
  usage: string;
}

export function readUnb(elements: Elements): UnbFields {
  return {
    syntaxId: field(elements, 1, 1),
    syntaxVersion: field(elements, 1, 2),
    senderId: field(elements, 2, 1),
    senderQualifier: field(elements, 2, 2),
    recipientId: field(elements, 3, 1),
    recipientQualifier: field(elements, 3, 2),
    rawDate: field(elements, 4, 1),
    time: field(elements, 4, 2),
    control: field(elements, 5, 1),
    usage: field(elements, 11, 1),
  };
}

/** Mandatory UNB data: [1-based element, component, name]. */
const UNB_MANDATORY: ReadonlyArray<[number, number, string]> = [
  [1, 1, 'syntax identifier (0001)'],
  [1, 2, 'syntax version (0002)'],
  [2, 1, 'sender identification (0004)'],
  [3, 1, 'recipient identification (0010)'],
  [4, 1, 'date of preparation (0017)'],
  [4, 2, 'time of preparation (0019)'],
  [5, 1, 'interchange control reference (0020)'],
];

const UNG_MANDATORY: ReadonlyArray<[number, number, string]> = [
  [1, 1, 'message group identification (0038)'],
  [5, 1, 'group reference number (0048)'],
];

const UNH_MANDATORY: ReadonlyArray<[number, number, string]> = [
  [1, 1, 'message reference number (0062)'],
  [2, 1, 'message type (0065)'],
  [2, 2, 'message version number (0052)'],
  [2, 3, 'message release number (0054)'],
  [2, 4, 'controlling agency (0051)'],
];

export interface MissingField {
  element: number;
  component: number;
  name: string;
}

function missing(elements: Elements, table: ReadonlyArray<[number, number, string]>): MissingField[] {
  const out: MissingField[] = [];
  for (const [element, component, name] of table) {
    if (field(elements, element, component) === '') out.push({ element, component, name });
  }
  return out;
}

export const missingInUnb = (elements: Elements): MissingField[] => missing(elements, UNB_MANDATORY);
export const missingInUng = (elements: Elements): MissingField[] => missing(elements, UNG_MANDATORY);
export const missingInUnh = (elements: Elements): MissingField[] => missing(elements, UNH_MANDATORY);

/**
 * CCYYMMDD from UNB 0017 (YYMMDD in syntax 1–3, CCYYMMDD allowed in syntax 4); '' when it is not a
 * calendar date. Two-digit years use the POSIX strptime pivot: 69–99 → 19xx, 00–68 → 20xx.
 */
export function unbDate(raw: string): string {
  let full: string;
  if (/^\d{8}$/.test(raw)) full = raw;
  else if (/^\d{6}$/.test(raw)) full = `${Number(raw.slice(0, 2)) >= 69 ? '19' : '20'}${raw}`;
  else return '';
  const year = Number(full.slice(0, 4));
  const month = Number(full.slice(4, 6));
  const day = Number(full.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return '';
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days ? full : '';
}

/** A control count as sent (digits, zero padding allowed); null when it is not a number. */
export function controlCount(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

/** EDIFACT segment tags are three upper-case letters or digits. */
export function isValidTag(tag: string): boolean {
  if (tag.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const unit = tag.charCodeAt(i);
    if (!((unit >= 0x41 && unit <= 0x5a) || (unit >= 0x30 && unit <= 0x39))) return false;
  }
  return true;
}

/** The sink's message header from UNH and the group it stands in (UNG values, '' without a group). */
export function messageHeader(
  elements: Elements,
  group: { reference: string; functionalId: string; appSender: string; appReceiver: string } | null,
  segmentIndex: number,
  byteOffset: number,
): MessageHeader {
  return {
    type: field(elements, 2, 1),
    reference: field(elements, 1, 1),
    version: `${field(elements, 2, 2)}:${field(elements, 2, 3)}:${field(elements, 2, 4)}`,
    functionalId: group?.functionalId ?? '',
    groupControl: group?.reference ?? '',
    appSender: group?.appSender ?? '',
    appReceiver: group?.appReceiver ?? '',
    segmentIndex,
    byteOffset,
  };
}

/** The sink's interchange header from UNB, the preceding UNA (if any) and the repertoire. */
export function interchangeHeader(
  fields: UnbFields,
  unaChars: string | null,
  charset: string,
  segmentIndex: number,
  byteOffset: number,
): EdifactInterchangeHeader {
  return {
    standard: 'edifact',
    senderQualifier: fields.senderQualifier,
    senderId: fields.senderId,
    receiverQualifier: fields.recipientQualifier,
    receiverId: fields.recipientId,
    controlNumber: fields.control,
    date: unbDate(fields.rawDate),
    time: fields.time,
    usage: fields.usage,
    segmentIndex,
    byteOffset,
    syntax: fields.syntaxVersion === '' ? fields.syntaxId : `${fields.syntaxId}:${fields.syntaxVersion}`,
    charset,
    delimiters: interchangeDelimiters(unaChars, fields.syntaxVersion),
    una: unaChars !== null,
  };
}
