/**
 * The count and reference checks of the trailers UNT, UNE and UNZ, as pure functions. They return
 * findings (code, text, element); the envelope adds the position. Counts are compared as numbers
 * (zero padding allowed), references as strings.
 */
import type { ErrorCode } from '../errors/registry.js';
import { controlCount, field } from './service-segments.js';

export interface Finding {
  code: ErrorCode;
  message: string;
  /** 1-based element of the trailer the finding is about. */
  element: number;
}

/** `actualText` says what was counted, e.g. "message 1 has 3 segments (UNH..UNT)". */
function countFinding(
  code: ErrorCode,
  label: string,
  raw: string,
  actual: number,
  actualText: string,
): Finding[] {
  const count = controlCount(raw);
  if (count === actual) return [];
  const message =
    count === null ? `${label} ${JSON.stringify(raw)} is not a count` : `${label}=${raw} but ${actualText}`;
  return [{ code, message, element: 1 }];
}

function referenceFinding(
  code: ErrorCode,
  label: string,
  raw: string,
  expected: string,
  against: string,
): Finding[] {
  if (raw === expected) return [];
  const message = `${label}=${JSON.stringify(raw)} differs from ${against}=${JSON.stringify(expected)}`;
  return [{ code, message, element: 2 }];
}

/** UNT01 = segments UNH..UNT inclusive, UNT02 = UNH01. */
export function checkUnt(elements: string[][], segmentCount: number, reference: string): Finding[] {
  const counted = `message ${reference} has ${segmentCount} segments (UNH..UNT)`;
  return [
    ...countFinding('EDIFACT_UNT_COUNT', 'UNT01', field(elements, 1), segmentCount, counted),
    ...referenceFinding('EDIFACT_UNT_REFERENCE', 'UNT02', field(elements, 2), reference, 'UNH01'),
  ];
}

/** UNE01 = messages in the group, UNE02 = UNG 0048. */
export function checkUne(elements: string[][], messageCount: number, reference: string): Finding[] {
  const counted = `group ${reference} has ${messageCount} messages`;
  return [
    ...countFinding('EDIFACT_UNE_COUNT', 'UNE01', field(elements, 1), messageCount, counted),
    ...referenceFinding('EDIFACT_UNE_REFERENCE', 'UNE02', field(elements, 2), reference, 'UNG05'),
  ];
}

/** UNZ01 = groups when the interchange has groups, else messages; UNZ02 = UNB 0020. */
export function checkUnz(elements: string[][], groups: number, messages: number, control: string): Finding[] {
  const grouped = groups > 0;
  const expected = grouped ? groups : messages;
  const counted = `the interchange has ${expected} ${grouped ? 'groups' : 'messages'}`;
  return [
    ...countFinding('EDIFACT_UNZ_COUNT', 'UNZ01', field(elements, 1), expected, counted),
    ...referenceFinding('EDIFACT_UNZ_REFERENCE', 'UNZ02', field(elements, 2), control, 'UNB05'),
  ];
}
