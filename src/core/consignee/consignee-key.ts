/**
 * The aggregation key of a person (rules.md §3): the explicit identifier when one was sent
 * (qualifier + value), else the folded name and address. Keys are prefixed ('id|' / 'na|') so an
 * identifier can never collide with a name.
 */
import { foldAddress, foldCountry, foldPostal, foldState, foldText } from './normalize-text.js';

/** The fields of a party that identify a person (a subset of model Party). */
export interface ConsigneeIdentity {
  name: string;
  street: string;
  city: string;
  state: string;
  postal: string;
  country: string;
  idQualifier?: string | undefined;
  id?: string | undefined;
}

export interface NormalizedAddress {
  street: string;
  city: string;
  state: string;
  postal: string;
  country: string;
}

export function normalizeAddress(party: ConsigneeIdentity): NormalizedAddress {
  const country = foldCountry(party.country);
  return {
    street: foldAddress(party.street),
    city: foldAddress(party.city),
    state: foldState(party.state, country),
    postal: foldPostal(party.postal, country),
    country,
  };
}

export function normalizeName(name: string): string {
  return foldText(name);
}

/** Identifiers compare without case and spaces or punctuation ('12-3456789' = '123456789'). */
function foldId(value: string): string {
  const text = foldText(value);
  return text.includes(' ') ? text.replace(/ /g, '') : text;
}

export function hasExplicitId(party: ConsigneeIdentity): boolean {
  return party.id !== undefined && foldId(party.id) !== '';
}

/**
 * The parts of an 'na|' key, joined with '|'. Reused: the key is built for every shipment, and a
 * template literal of 13 pieces left ~12 intermediate concatenations per key (~380 bytes of garbage,
 * then flattened again when the key is first read); join writes the flat key at once.
 */
const keyParts: string[] = ['na', '', '', '', '', '', ''];

/** 'na|' key: name and address only (also used when an explicit id exists, for reporting). */
export function nameAddressKey(party: ConsigneeIdentity): string {
  const country = foldCountry(party.country);
  const parts = keyParts;
  parts[1] = normalizeName(party.name);
  parts[2] = foldAddress(party.street);
  parts[3] = foldAddress(party.city);
  parts[4] = foldState(party.state, country);
  parts[5] = foldPostal(party.postal, country);
  parts[6] = country;
  const key = parts.join('|');
  // The parts are not kept alive by the table between calls.
  parts.fill('', 1);
  return key;
}

/** Address part alone: bucket parties by it to look for name variants (see near-identical.ts). */
export function addressKey(party: ConsigneeIdentity): string {
  const a = normalizeAddress(party);
  return [a.street, a.city, a.state, a.postal, a.country].join('|');
}

/** The aggregation key: 'id|QUALIFIER|VALUE' when an id was sent, else the 'na|' key. */
export function consigneeKey(party: ConsigneeIdentity): string {
  const id = party.id === undefined ? '' : foldId(party.id);
  if (id !== '') return `id|${foldId(party.idQualifier ?? '')}|${id}`;
  return nameAddressKey(party);
}
