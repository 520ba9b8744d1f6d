/**
 * UNA service string advice: "UNA" followed by exactly six characters, read by position
 * (ISO 9735: component separator, element separator, decimal mark, release character,
 * repetition separator (syntax 4; reserved in syntax 1–3), segment terminator). Any character may
 * take any role; a space in the release or repetition position means "not used".
 */
import type { EdifactDelimiters } from '../model/segment.js';

/** The six characters that apply when an interchange has no UNA. */
export const DEFAULT_SERVICE_CHARS = ":+.? '";

export const UNA_LENGTH = 9;

/** Delimiters as read from six UNA characters (or the defaults), before the syntax version is known. */
export function serviceCharsToDelimiters(chars: string): EdifactDelimiters {
  const at = (i: number): string => chars.charAt(i);
  return {
    component: at(0),
    element: at(1),
    decimal: at(2),
    release: at(3) === ' ' ? null : at(3),
    repetition: at(4) === ' ' ? null : at(4),
    segment: at(5),
  };
}

/**
 * Delimiters for an interchange header. Without a UNA the repetition separator depends on the
 * syntax version: syntax 4 defines '*' as default, syntax 1–3 have none.
 */
export function interchangeDelimiters(unaChars: string | null, syntaxVersion: string): EdifactDelimiters {
  if (unaChars !== null) return serviceCharsToDelimiters(unaChars);
  const defaults = serviceCharsToDelimiters(DEFAULT_SERVICE_CHARS);
  const version = Number.parseInt(syntaxVersion, 10);
  return { ...defaults, repetition: Number.isFinite(version) && version >= 4 ? '*' : null };
}

/**
 * Why six UNA characters cannot be used: the separators the tokenizer acts on (component, element,
 * release, repetition, segment) must be pairwise different. null when they are usable.
 */
export function serviceCharsProblem(chars: string): string | null {
  if (chars.length !== 6) return `UNA must be followed by exactly six characters, found ${chars.length}`;
  const d = serviceCharsToDelimiters(chars);
  const roles: Array<[string, string | null]> = [
    ['component separator', d.component],
    ['element separator', d.element],
    ['release character', d.release],
    ['repetition separator', d.repetition],
    ['segment terminator', d.segment],
  ];
  for (let a = 0; a < roles.length; a++) {
    for (let b = a + 1; b < roles.length; b++) {
      const [nameA, charA] = roles[a] ?? ['', null];
      const [nameB, charB] = roles[b] ?? ['', null];
      if (charA !== null && charA === charB) {
        return `UNA uses ${JSON.stringify(charA)} both as ${nameA} and as ${nameB}`;
      }
    }
  }
  return null;
}
