/**
 * Which person-days can be in a split-shipment block at all, found without sorting the parties in
 * SQL: one scan of person_day_parties hashes each row's blocking keys — (day, folded address), and
 * within a folded name (day, name, street) and (day, name, city + postal code), the sub-blocks
 * sameNameBlocks cuts a name into — to 32 bits in typed arrays, and a key held by one row only
 * cannot make a block. What remains (the rows sharing a key hash with another row: a few percent of
 * the parties) is read and grouped by the real keys, so a hash collision only adds a row that ends
 * alone in its block and is dropped; it never joins or splits a block.
 *
 * Why: grouping every party by its folded name in SQL sorted all the day's person-days (nearly all
 * of them share a common name with another), 6 s of the main thread at 1M shipments, and its temp
 * b-tree grew with the store.
 */
import type Database from 'better-sqlite3';

/** The rowids (pd) of the parties that may be in an address block, and in a name block. */
export interface SplitCandidates {
  address: number[];
  name: number[];
}

/** 0 stands for "no key" (a blank name, street or postal code): such a row is in no block of that kind. */
const NONE = 0;

/**
 * One scan of the parties (of one day, or all) and the candidates of each blocking kind. The working
 * set is 12 bytes per person-day (three key hashes by rowid, 26 MB at 4M shipments) plus one sorted
 * copy of a key column at a time: it runs at the end of a replay beside the whole hot state.
 */
export function splitCandidates(db: Database.Database, parties: string, day?: string): SplitCandidates {
  const last =
    (db.prepare(`SELECT max(pd) AS n FROM ${parties}`).get() as { n: number | null } | undefined)?.n ?? 0;
  // By rowid (pd): a party row's pd is its person-day's rowid, so no column of rowids is needed.
  const byAddress = new Uint32Array(last + 1);
  const byStreet = new Uint32Array(last + 1);
  const byPlace = new Uint32Array(last + 1);
  // A function over the rows (as load-hot-state.ts does): no JS array and native call per row.
  db.function('s321_split_keys', { deterministic: false }, (pd, d, nameKey, addressKey) => {
    const row = pd as number;
    if (row > last) return null;
    const keys = blockingKeyHashes(String(d), String(nameKey ?? ''), String(addressKey ?? ''));
    byAddress[row] = keys.address;
    byStreet[row] = keys.street;
    byPlace[row] = keys.place;
    return null;
  });
  db.prepare(
    `SELECT count(s321_split_keys(q.pd, p.day, q.name_key, q.address_key))
     FROM ${parties} q JOIN person_days p ON p.id = q.pd WHERE (? IS NULL OR p.day = ?)`,
  ).get(day ?? null, day ?? null);
  const address = rowsSharing(byAddress);
  const street = rowsSharing(byStreet);
  const place = rowsSharing(byPlace);
  // Both lists are in rowid order; a row in both is read once for the name blocks.
  const name: number[] = [];
  for (let i = 0, j = 0; i < street.length || j < place.length; ) {
    const a = i < street.length ? (street[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < place.length ? (place[j] as number) : Number.POSITIVE_INFINITY;
    name.push(Math.min(a, b));
    if (a <= b) i++;
    if (b <= a) j++;
  }
  return { address, name };
}

/** The rowids whose key (not NONE) another rowid holds too, ascending. */
function rowsSharing(keys: Uint32Array): number[] {
  const shared = sharedKeys(keys);
  const out: number[] = [];
  if (shared.length === 0) return out;
  for (let row = 0; row < keys.length; row++) if (holds(shared, keys[row] as number)) out.push(row);
  return out;
}

/** Hashes of the three blocking keys of a party (NONE where the key is blank, as the blocks skip it). */
export function blockingKeyHashes(
  day: string,
  nameKey: string,
  addressKey: string,
): { address: number; street: number; place: number } {
  const address =
    addressKey === '' ? NONE : keyHash(mix(mix(SEED, day, 0, day.length), addressKey, 0, addressKey.length));
  if (nameKey === '') return { address, street: NONE, place: NONE };
  // addressKey: STREET|CITY|STATE|POSTAL|COUNTRY (consignee-key.ts); folded text holds no '|'.
  const endStreet = fieldEnd(addressKey, 0);
  const endCity = fieldEnd(addressKey, endStreet + 1);
  const endState = fieldEnd(addressKey, endCity + 1);
  const endPostal = fieldEnd(addressKey, endState + 1);
  const named = mix(mix(SEED, day, 0, day.length), nameKey, 0, nameKey.length);
  const street = endStreet === 0 ? NONE : keyHash(mix(mix(named, 'S', 0, 1), addressKey, 0, endStreet));
  const place =
    endPostal <= endState + 1
      ? NONE
      : keyHash(
          mix(
            mix(mix(named, 'P', 0, 1), addressKey, Math.min(endStreet + 1, addressKey.length), endCity),
            addressKey,
            endState + 1,
            endPostal,
          ),
        );
  return { address, street, place };
}

/** The sorted distinct values that occur more than once (NONE excluded). */
export function sharedKeys(keys: Uint32Array): Uint32Array {
  const sorted = keys.slice().sort();
  let out = 0;
  for (let i = 1; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (v !== NONE && v === sorted[i - 1] && (out === 0 || sorted[out - 1] !== v)) sorted[out++] = v;
  }
  // Written in place behind the reading position (out < i always), then cut to a copy of its own.
  return sorted.slice(0, out);
}

function holds(sorted: Uint32Array, key: number): boolean {
  if (key === NONE) return false;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Where the '|'-separated field starting at `from` ends (the index of its '|', or the length). */
function fieldEnd(s: string, from: number): number {
  if (from > s.length) return s.length;
  const at = s.indexOf('|', from);
  return at < 0 ? s.length : at;
}

const SEED = 0x811c9dc5;

/** FNV-1a over s[from, to) and then a separator, so ("AB", "C") and ("A", "BC") differ. */
function mix(h: number, s: string, from: number, to: number): number {
  let x = h;
  for (let i = from; i < to; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(x ^ 0xffff, 0x01000193);
}

/** A final avalanche (murmur3's), and never NONE. */
function keyHash(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  x >>>= 0;
  return x === NONE ? 1 : x;
}
