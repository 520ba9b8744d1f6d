/** Text folding for consignee identity (rules.md §3): one function per field kind, all pure. */
import { ADDRESS_PHRASES, ADDRESS_WORDS, COUNTRY_ALIASES, LETTER_FOLDS, US_STATES } from './address-words.js';

const MARKS = /\p{M}+/gu;
/** Deleted without a space so that P.O. → PO and O'BRIEN → OBRIEN. */
const JOINING_PUNCTUATION = /[.'’‘`´]/g;
/** Everything else that is not a letter, digit or space separates words. */
const SEPARATORS = /[^\p{L}\p{N} ]+/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/**
 * Upper-case, accents folded, punctuation removed, white space collapsed.
 * NFKD (not only NFD) so compatibility forms meet their plain letters too (full-width 'Ａ', 'ﬁ').
 */
export function foldText(value: string): string {
  // Printable ASCII (most traffic) has nothing to decompose or fold: skip the Unicode passes.
  const letters = PRINTABLE_ASCII.test(value)
    ? value
    : value
        .replace(FOLDABLE, (ch) => LETTER_FOLDS[ch] ?? ch)
        .normalize('NFKD')
        .replace(MARKS, '');
  return letters
    .toUpperCase()
    .replace(JOINING_PUNCTUATION, '')
    .replace(SEPARATORS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PHRASES = ADDRESS_PHRASES.map(([from, to]) => [new RegExp(`(?<=^| )${from}(?= |$)`, 'g'), to] as const);

/** foldText plus the address-word table (STREET → ST, SUITE → STE, NORTH → N, ...). */
export function foldAddress(value: string): string {
  let text = foldText(value);
  for (const [pattern, to] of PHRASES) text = text.replace(pattern, to);
  return text
    .split(' ')
    .map((word) => ADDRESS_WORDS[word] ?? word)
    .join(' ');
}

/** ISO 3166 alpha-2 where a known alias was sent ('USA' → 'US'). */
export function foldCountry(value: string): string {
  const text = foldText(value);
  return COUNTRY_ALIASES[text] ?? text;
}

export function isUnitedStates(country: string): boolean {
  return country === 'US' || country === '';
}

/** US state names to their codes; other countries' subdivisions are only folded. */
export function foldState(value: string, country: string): string {
  const text = foldText(value);
  return isUnitedStates(country) ? (US_STATES[text] ?? text) : text;
}

/**
 * Postal codes lose every space and punctuation ('K1A 0B1' = 'K1A0B1'); a US ZIP+4 is cut to the
 * 5-digit ZIP. An empty country counts as US here: the consignee of a U.S. import is in the U.S.
 */
export function foldPostal(value: string, country: string): string {
  const text = foldText(value).replace(/ /g, '');
  if (isUnitedStates(country) && /^\d{9}$/.test(text)) return text.slice(0, 5);
  return text;
}
