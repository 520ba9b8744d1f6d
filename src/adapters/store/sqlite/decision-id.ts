/**
 * How the SQLite store finds a decision by its id since schema 7: the `decisions` table keeps the
 * 52-bit key hash of the decision's bill (`bh`, the same hash as `bills.h`) under a non-unique
 * integer index, and a lookup confirms the id text on the rows of that hash. Why: the text UNIQUE
 * index on `id` it replaces took a random page per insert (39,841 decisions: 718 ms with it, 276 ms
 * without; docs/schema-7.md); an index of 8-byte integers is a fifth of its size, and the bill's hash
 * also answers the report's "decisions of this bill", which needed the text index's range.
 *
 * A decision id is `${bill}|${channel}|${code}` (core/aggregate/aggregator.ts) and a bill key may
 * itself hold '|' (it is `${issuer}/${scn}` as sent), so the bill of an id is one of its prefixes
 * that end before a '|' with another '|' after it. The common id has exactly one such prefix; every
 * one is tried, and the text comparison makes the answer exact.
 */
import { keyHash52 } from './key-hash.js';

/** The bill-key hashes an id's bill may have: one per prefix of the id ending before a '|' that is not its last. */
export function decisionBillHashes(id: string): number[] {
  const last = id.lastIndexOf('|');
  const hashes: number[] = [];
  for (let at = id.indexOf('|'); at !== -1 && at < last; at = id.indexOf('|', at + 1))
    hashes.push(keyHash52(id.slice(0, at)));
  return hashes;
}
