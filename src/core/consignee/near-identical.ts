/**
 * "Near-identical" identities (rules.md §3): same address with a name variant, or the same name
 * with an address variant. They are reported, never merged: merging on a fuzzy rule would move
 * money between people.
 */
import {
  addressKey,
  type ConsigneeIdentity,
  consigneeKey,
  type NormalizedAddress,
  normalizeAddress,
  normalizeName,
} from './consignee-key.js';

export type NearReason =
  | 'same-name-other-id' // same folded name and address, keys differ (ids differ or only one has an id)
  | 'name-word-order' // SMITH JOHN / JOHN SMITH
  | 'name-subset' // JOHN SMITH / JOHN A SMITH
  | 'name-initials' // J SMITH / JOHN SMITH
  | 'name-typo' // JOHN SMITH / JON SMITH (small edit distance)
  | 'address-street-variant' // same name, postal code and city; street 1 MAIN ST / 1 MAIN ST APT 2, or a typo
  | 'address-postal-variant'; // same name and street; postal code or city differ (typo, ZIP+4)

export type ConsigneeComparison =
  | { relation: 'same' }
  | { relation: 'near'; reason: NearReason }
  | { relation: 'different' };

/**
 * Compares two parties: same key, near-identical (same address with a name variant, or the same
 * name with an address variant) or different. A name variant and an address variant at once is
 * 'different': two fuzzy fields together match too many unrelated people.
 */
export function compareConsignees(a: ConsigneeIdentity, b: ConsigneeIdentity): ConsigneeComparison {
  return compareFolded(foldParty(a), foldParty(b));
}

/** A party's key, folded name and normalized address, computed once when one party is compared often. */
export interface FoldedParty {
  key: string;
  name: string;
  addressKey: string;
  address: NormalizedAddress;
}

export function foldParty(p: ConsigneeIdentity): FoldedParty {
  return {
    key: consigneeKey(p),
    name: normalizeName(p.name),
    addressKey: addressKey(p),
    address: normalizeAddress(p),
  };
}

/** compareConsignees on folded parties. */
export function compareFolded(a: FoldedParty, b: FoldedParty): ConsigneeComparison {
  if (a.key === b.key) return { relation: 'same' };
  const reason =
    a.addressKey === b.addressKey
      ? nameVariant(a.name, b.name)
      : a.name !== '' && a.name === b.name
        ? addressVariant(a.address, b.address)
        : undefined;
  return reason === undefined ? { relation: 'different' } : { relation: 'near', reason };
}

/**
 * Two folded addresses of one name that are likely the same place: same country, and either the
 * same street with the postal code or the city differing (not both), or the same postal code and
 * city with the street extended (a unit added) or mistyped.
 */
function addressVariant(a: NormalizedAddress, b: NormalizedAddress): NearReason | undefined {
  if (a.country !== b.country || a.street === '' || b.street === '') return undefined;
  if (a.street === b.street)
    return a.postal === b.postal || a.city === b.city ? 'address-postal-variant' : undefined;
  if (a.postal !== b.postal || a.city !== b.city || a.postal === '') return undefined;
  const wa = a.street.split(' ');
  const wb = b.street.split(' ');
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  // A unit added to the same street keeps every word (house number first) of the shorter one.
  if (short.length >= 2 && short[0] === long[0] && short.every((w) => long.includes(w)))
    return 'address-street-variant';
  const limit = Math.max(1, Math.floor(Math.min(a.street.length, b.street.length) / 10));
  // Same house number: a typo in the street name, not a neighbour two doors down.
  if (wa[0] === wb[0] && editDistanceAtMost(a.street, b.street, limit)) return 'address-street-variant';
  return undefined;
}

export function isNearIdentical(a: ConsigneeIdentity, b: ConsigneeIdentity): boolean {
  return compareConsignees(a, b).relation === 'near';
}

function nameVariant(a: string, b: string): NearReason | undefined {
  if (a === '' || b === '') return undefined;
  if (a === b) return 'same-name-other-id';
  const wa = a.split(' ');
  const wb = b.split(' ');
  if (wa.length === wb.length && [...wa].sort().join(' ') === [...wb].sort().join(' '))
    return 'name-word-order';
  const [short, long] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  if (short.length >= 2 && short.every((w) => long.includes(w))) return 'name-subset';
  if (initialsMatch(wa, wb) || initialsMatch(wb, wa)) return 'name-initials';
  const limit = Math.max(1, Math.floor(Math.min(a.length, b.length) / 8));
  if (editDistanceAtMost(a, b, limit)) return 'name-typo';
  return undefined;
}

/** Every word of `short` equals, or is the initial of, a distinct word of the longer one. */
function initialsMatch(short: readonly string[], long: readonly string[]): boolean {
  if (short.length < 2) return false;
  const free = [...long];
  let usedInitial = false;
  for (const word of short) {
    let at = free.indexOf(word);
    if (at === -1 && word.length === 1) {
      at = free.findIndex((w) => w.startsWith(word));
      if (at !== -1) usedInitial = true;
    }
    if (at === -1) return false;
    free.splice(at, 1);
  }
  return usedInitial;
}

/** Levenshtein distance ≤ limit, with early exit (names are short; O(n·m) is fine). */
function editDistanceAtMost(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return false;
    prev = row;
  }
  return (prev[b.length] ?? Number.POSITIVE_INFINITY) <= limit;
}
