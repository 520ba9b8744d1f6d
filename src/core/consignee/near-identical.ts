/**
 * "Near-identical" identities (rules.md §3): same address, name variants. They are reported, never
 * merged: merging on a fuzzy rule would move money between people.
 */
import { addressKey, type ConsigneeIdentity, consigneeKey, normalizeName } from './consignee-key.js';

export type NearReason =
  | 'same-name-other-id' // same folded name and address, keys differ (ids differ or only one has an id)
  | 'name-word-order' // SMITH JOHN / JOHN SMITH
  | 'name-subset' // JOHN SMITH / JOHN A SMITH
  | 'name-initials' // J SMITH / JOHN SMITH
  | 'name-typo'; // JOHN SMITH / JON SMITH (small edit distance)

export type ConsigneeComparison =
  | { relation: 'same' }
  | { relation: 'near'; reason: NearReason }
  | { relation: 'different' };

/** Compares two parties: same key, near-identical (same address, name variant) or different. */
export function compareConsignees(a: ConsigneeIdentity, b: ConsigneeIdentity): ConsigneeComparison {
  if (consigneeKey(a) === consigneeKey(b)) return { relation: 'same' };
  if (addressKey(a) !== addressKey(b)) return { relation: 'different' };
  const reason = nameVariant(normalizeName(a.name), normalizeName(b.name));
  return reason === undefined ? { relation: 'different' } : { relation: 'near', reason };
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
