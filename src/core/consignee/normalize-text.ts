/** Text folding for consignee identity (rules.md §3): one function per field kind, all pure. */
import { ADDRESS_PHRASES, ADDRESS_WORDS, COUNTRY_ALIASES, LETTER_FOLDS, US_STATES } from './address-words.js';

const MARKS = /\p{M}+/gu;
/** Deleted without a space so that P.O. → PO and O'BRIEN → OBRIEN. */
const JOINING_PUNCTUATION = /[.'’‘`´]/g;
/** Everything else that is not a letter, digit or space separates words. */
const SEPARATORS = /[^\p{L}\p{N} ]+/gu;
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/** The Unicode definition of foldText, for text with a character outside ASCII. */
function foldUnicode(value: string): string {
  return value
    .replace(FOLDABLE, (ch) => LETTER_FOLDS[ch] ?? ch)
    .normalize('NFKD')
    .replace(MARKS, '')
    .toUpperCase()
    .replace(JOINING_PUNCTUATION, '')
    .replace(SEPARATORS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * foldText for ASCII text (nearly all traffic), in one pass. For ASCII the Unicode definition
 * reduces to: letters upper-cased, `.` `'` `` ` `` deleted, every other character that is not a
 * letter or digit separates words, words joined by one space. Written by hand because the five
 * regex passes cost ~1 µs per consignee field; most fields are already folded (upper case, single
 * spaces) and come back as the same string without allocating.
 * Returns undefined for text with a character outside ASCII.
 */
function foldAscii(value: string): string | undefined {
  const n = value.length;
  // Already folded: [A-Z0-9] words separated by single spaces, no space at either end.
  let i = 0;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) continue;
    if (c === 32 && i > 0 && i < n - 1 && value.charCodeAt(i + 1) !== 32) continue;
    break;
  }
  if (i === n) return value;
  for (let j = i; j < n; j++) if (value.charCodeAt(j) >= 0x80) return undefined;
  // Upper-casing ASCII text only maps a-z, in place (same length, same indices).
  const text = value.toUpperCase();
  let out = '';
  let word = false; // the output ends in a word
  let pending = false; // a separator was seen since the last word
  let start = -1; // start of the run of kept characters not copied yet
  for (i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) {
      if (pending && word) out += ' ';
      pending = false;
      word = true;
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1) {
      out += text.slice(start, i);
      start = -1;
    }
    // Joining punctuation is dropped and the word goes on; anything else separates words.
    if (c !== 46 && c !== 39 && c !== 96) pending = true;
  }
  if (start !== -1) out += text.slice(start);
  return out;
}

/**
 * Upper-case, accents folded, punctuation removed, white space collapsed.
 * NFKD (not only NFD) so compatibility forms meet their plain letters too (full-width 'Ａ', 'ﬁ').
 */
export function foldText(value: string): string {
  return foldAscii(value) ?? foldUnicode(value);
}

const PHRASES = ADDRESS_PHRASES.map(([from, to]) => [new RegExp(`(?<=^| )${from}(?= |$)`, 'g'), to] as const);
/** Every phrase holds one of these words: text without them needs no phrase pass. */
const PHRASE_MARKERS = ['BOX', 'NORTH', 'SOUTH'];
const WORDS = new Map(Object.entries(ADDRESS_WORDS));
/**
 * For each first letter A-Z, a bit per word length that some table word has: most words of an
 * address (house numbers, names) cannot be in the table and are not cut out and looked up.
 */
const WORD_SHAPES = new Uint32Array(26);
for (const word of WORDS.keys()) {
  const first = word.charCodeAt(0) - 65;
  if (first >= 0 && first < 26 && word.length < 32)
    WORD_SHAPES[first] = (WORD_SHAPES[first] as number) | (1 << word.length);
  else throw new Error(`address word '${word}' must start with A-Z and be shorter than 32`);
}

function mayBeTableWord(text: string, start: number, end: number): boolean {
  const first = text.charCodeAt(start) - 65;
  return first >= 0 && first < 26 && (((WORD_SHAPES[first] as number) >>> (end - start)) & 1) === 1;
}

/**
 * Matches wherever the table or a phrase could change the text: a whole table word, or a phrase
 * marker anywhere. Most addresses (house number, street name, a suffix already abbreviated) have
 * neither and come back as they are after one native scan; the word loop below reads every
 * character in JavaScript and cut out a string per word of a table word's shape (~0.5 µs per
 * street on the bench traffic, ~0.1 µs with this test first).
 */
const MAY_CHANGE = new RegExp(`(?:^| )(?:${[...WORDS.keys()].join('|')})(?= |$)|${PHRASE_MARKERS.join('|')}`);

/** foldText plus the address-word table (STREET → ST, SUITE → STE, NORTH → N, ...). */
export function foldAddress(value: string): string {
  let text = foldText(value);
  if (!MAY_CHANGE.test(text)) return text;
  if (PHRASE_MARKERS.some((m) => text.includes(m)))
    for (const [pattern, to] of PHRASES) text = text.replace(pattern, to);
  // Word by word without split/map/join: most words are not in the table and stay where they are.
  let out = '';
  let copied = 0;
  let start = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && text.charCodeAt(i) !== 32) continue;
    if (i > start && mayBeTableWord(text, start, i)) {
      const abbr = WORDS.get(text.slice(start, i));
      if (abbr !== undefined) {
        out += text.slice(copied, start) + abbr;
        copied = i;
      }
    }
    start = i + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
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
  let text = foldText(value);
  if (text.includes(' ')) text = text.replace(/ /g, '');
  if (isUnitedStates(country) && text.length === 9 && /^\d{9}$/.test(text)) return text.slice(0, 5);
  return text;
}
