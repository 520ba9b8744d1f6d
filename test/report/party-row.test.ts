/**
 * The blocking keys stored per person-day: cut from a name-and-address consignee key on the hot path,
 * they must equal folding the party (else detection would miss or invent blocks).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partyRowValues } from '../../src/adapters/store/sqlite/party-row.js';
import {
  addressKey,
  type ConsigneeIdentity,
  consigneeKey,
  normalizeName,
} from '../../src/core/consignee/index.js';

const text = fc.string({
  unit: fc.constantFrom('A', 'b', ' ', '|', '.', '-', 'é', '1', 'St', 'Apt', '#', 'Ø'),
  maxLength: 12,
});

describe('partyRowValues', () => {
  it('name_key and address_key equal the folded name and the address key, for any party', () => {
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        text,
        fc.constantFrom('US', 'usa', 'CA', ''),
        fc.option(text, { nil: undefined }),
        (name, street, city, state, postal, country, id) => {
          const p: ConsigneeIdentity = {
            name,
            street,
            city,
            state,
            postal,
            country,
            ...(id !== undefined ? { idQualifier: '24', id } : {}),
          };
          const row = partyRowValues(p, consigneeKey(p));
          expect([row[8], row[9]]).toEqual([normalizeName(name), addressKey(p)]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
