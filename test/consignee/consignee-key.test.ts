import { describe, expect, it } from 'vitest';
import { ADDRESS_PHRASES, ADDRESS_WORDS } from '../../src/core/consignee/address-words.js';
import {
  addressKey,
  type ConsigneeIdentity,
  compareConsignees,
  consigneeKey,
  foldAddress,
  foldPostal,
  foldText,
  isNearIdentical,
} from '../../src/core/consignee/index.js';

const base: ConsigneeIdentity = {
  name: 'Kathy Smith',
  street: '1234 Main Street, Apartment 5',
  city: 'Beltsville',
  state: 'MD',
  postal: '20708-1234',
  country: 'US',
};

describe('foldText', () => {
  it('upper-cases, folds accents, removes punctuation and collapses white space', () => {
    expect(foldText('  José   Müller-Lüdenscheidt ')).toBe('JOSE MULLER LUDENSCHEIDT');
    expect(foldText("O'Brien, P.O.")).toBe('OBRIEN PO');
    expect(foldText('Søren Łukasz Straße Æbelø')).toBe('SOREN LUKASZ STRASSE AEBELO');
    expect(foldText('ＡＢＣ\tdef\n')).toBe('ABC DEF');
    expect(foldText('#5 / 7')).toBe('5 7');
  });
});

describe('foldAddress', () => {
  it.each([
    ['1234 Main Street', '1234 MAIN ST'],
    ['12 North Avenue, Suite 300', '12 N AVE STE 300'],
    ['Apartment 4B, 9 Sunset Boulevard', 'APT 4B 9 SUNSET BLVD'],
    ['77 Rock Road', '77 ROCK RD'],
    ['5 Ocean Drive', '5 OCEAN DR'],
    ['P.O. Box 12', 'PO BOX 12'],
    ['Post Office Box 12', 'PO BOX 12'],
    ['1 South West Highway', '1 SW HWY'],
  ])('%s → %s', (input, expected) => expect(foldAddress(input)).toBe(expected));

  it('every table entry applies', () => {
    for (const [word, abbr] of Object.entries(ADDRESS_WORDS))
      expect(foldAddress(`1 X ${word}`)).toBe(`1 X ${abbr}`);
    for (const [phrase, abbr] of ADDRESS_PHRASES) expect(foldAddress(`1 ${phrase} 2`)).toBe(`1 ${abbr} 2`);
  });

  it('does not abbreviate inside words', () => {
    expect(foldAddress('Streeter Lane')).toBe('STREETER LN');
  });
});

describe('foldPostal', () => {
  it('cuts a US ZIP+4 to 5 digits, also without country', () => {
    expect(foldPostal('20708-1234', 'US')).toBe('20708');
    expect(foldPostal('207081234', '')).toBe('20708');
    expect(foldPostal('20708', 'US')).toBe('20708');
  });
  it('keeps other countries, without spaces', () => {
    expect(foldPostal('K1A 0B1', 'CA')).toBe('K1A0B1');
    expect(foldPostal('123456789', 'CN')).toBe('123456789');
  });
});

describe('consigneeKey', () => {
  it('folds name and address so spellings of one person meet', () => {
    const variant: ConsigneeIdentity = {
      name: 'KATHY  SMITH',
      street: '1234 MAIN ST APT 5',
      city: 'beltsville',
      state: 'Maryland',
      postal: '20708',
      country: 'USA',
    };
    expect(consigneeKey(variant)).toBe(consigneeKey(base));
    expect(consigneeKey(base)).toBe('na|KATHY SMITH|1234 MAIN ST APT 5|BELTSVILLE|MD|20708|US');
  });

  it('uses the explicit id (qualifier + value) when one is sent', () => {
    const a = { ...base, idQualifier: '24', id: '12-3456789' };
    const b = { ...base, name: 'Someone Else', street: 'elsewhere', idQualifier: '24', id: '123456789' };
    expect(consigneeKey(a)).toBe('id|24|123456789');
    expect(consigneeKey(b)).toBe(consigneeKey(a));
    expect(consigneeKey({ ...a, idQualifier: 'EI' })).not.toBe(consigneeKey(a));
    expect(consigneeKey({ ...base, id: '  ' })).toBe(consigneeKey(base));
  });

  it('separates different people and addresses', () => {
    expect(consigneeKey({ ...base, name: 'John Smith' })).not.toBe(consigneeKey(base));
    expect(consigneeKey({ ...base, street: '1235 Main Street Apartment 5' })).not.toBe(consigneeKey(base));
    expect(consigneeKey({ ...base, postal: '20709' })).not.toBe(consigneeKey(base));
  });
});

describe('near-identical identities', () => {
  it.each([
    ['Smith Kathy', 'name-word-order'],
    ['Kathy A. Smith', 'name-subset'],
    ['K. Smith', 'name-initials'],
    ['Kathy Smyth', 'name-typo'],
  ])('%s is a name variant (%s) at the same address', (name, reason) => {
    expect(compareConsignees(base, { ...base, name })).toEqual({ relation: 'near', reason });
    expect(isNearIdentical(base, { ...base, name })).toBe(true);
  });

  it('same name and address with another id is near, not the same', () => {
    expect(compareConsignees({ ...base, idQualifier: 'ZZ', id: 'A1' }, base)).toEqual({
      relation: 'near',
      reason: 'same-name-other-id',
    });
  });

  it('identical keys are the same; other people or addresses are different', () => {
    expect(compareConsignees(base, { ...base, name: 'KATHY SMITH' })).toEqual({ relation: 'same' });
    expect(compareConsignees(base, { ...base, name: 'John Smith' })).toEqual({ relation: 'different' });
    expect(compareConsignees(base, { ...base, name: 'Kathy Smyth', street: '99 Other Road' })).toEqual({
      relation: 'different',
    });
    expect(addressKey(base)).toBe(addressKey({ ...base, name: 'anyone' }));
  });
});
