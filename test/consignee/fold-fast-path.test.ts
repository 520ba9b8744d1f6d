/**
 * foldText / foldAddress / foldPostal have hand-written fast paths for ASCII text
 * (consignee/normalize-text.ts). These properties compare them with the plain definitions — the
 * regex chain of rules.md §3 and the word-table pass — on arbitrary text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADDRESS_PHRASES, ADDRESS_WORDS } from '../../src/core/consignee/address-words.js';
import {
  addressKey,
  consigneeKey,
  foldAddress,
  foldPostal,
  foldState,
  foldText,
  nameAddressKey,
} from '../../src/core/consignee/index.js';

/** The Unicode definition of foldText, as first written (regex passes only). */
function referenceFold(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[.'’‘`´]/g, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function referenceAddress(value: string): string {
  let text = foldText(value);
  for (const [from, to] of ADDRESS_PHRASES)
    text = text.replace(new RegExp(`(?<=^| )${from}(?= |$)`, 'g'), to);
  return text
    .split(' ')
    .map((w) => (Object.hasOwn(ADDRESS_WORDS, w) ? ADDRESS_WORDS[w] : w))
    .join(' ');
}

const ascii = fc.string({ unit: 'binary-ascii', maxLength: 40 });
/** Text made of address-like pieces: table words, phrases, numbers, punctuation, spacing. */
const addressLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(...Object.keys(ADDRESS_WORDS), ...ADDRESS_PHRASES.map(([p]) => p)),
      fc.constantFrom(
        '12',
        'Main',
        'st.',
        'P.O.',
        "O'Brien",
        '#5',
        '-',
        ',',
        '  ',
        '\t',
        'box',
        'North',
        'Ave',
      ),
      ascii,
    ),
    { maxLength: 8 },
  )
  .map((words) => words.join(' '));

describe('ASCII fast paths', () => {
  it('foldText equals the regex definition on any ASCII text', () => {
    fc.assert(
      fc.property(fc.oneof(ascii, addressLike), (s) => {
        expect(foldText(s)).toBe(referenceFold(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('foldAddress equals the phrase and word-table passes', () => {
    fc.assert(
      fc.property(fc.oneof(addressLike, ascii), (s) => {
        expect(foldAddress(s)).toBe(referenceAddress(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('foldPostal drops spaces and cuts a US ZIP+4', () => {
    fc.assert(
      fc.property(
        fc.oneof(ascii, fc.stringMatching(/^\d{5}[- ]?\d{4}$/)),
        fc.constantFrom('US', '', 'CA'),
        (s, c) => {
          const folded = referenceFold(s).replace(/ /g, '');
          const expected = (c === 'US' || c === '') && /^\d{9}$/.test(folded) ? folded.slice(0, 5) : folded;
          expect(foldPostal(s, c)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('already folded text comes back as is', () => {
    for (const s of ['JOHN SMITH', '317 BROADWAY RD APT 45', 'A', '', 'X1 2Y']) expect(foldText(s)).toBe(s);
  });
});

describe('keys built by concatenation', () => {
  it('match the field-by-field definition', () => {
    const field = fc.oneof(addressLike, fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(
        field,
        field,
        field,
        field,
        field,
        fc.constantFrom('US', 'USA', 'CA', ''),
        (name, street, city, state, postal, country) => {
          const party = { name, street, city, state, postal, country };
          const c = referenceFold(country);
          const cc = ({ USA: 'US' } as Record<string, string>)[c] ?? c;
          expect(addressKey(party)).toBe(
            [foldAddress(street), foldAddress(city), foldState(state, cc), foldPostal(postal, cc), cc].join(
              '|',
            ),
          );
          expect(consigneeKey(party)).toBe(nameAddressKey(party));
          expect(consigneeKey({ ...party, idQualifier: ' 24 ', id: '12-345' })).toBe('id|24|12345');
          expect(consigneeKey({ ...party, idQualifier: '24', id: ' - ' })).toBe(nameAddressKey(party));
        },
      ),
      { numRuns: 300 },
    );
  });
});
