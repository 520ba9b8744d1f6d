/**
 * The `bills.data` encoding: the packed bill (../packed-bill.ts) without the fields the row already
 * holds as columns (key, consignee key, day, counted, accepted seq). Rows written by schema 1 (a JSON
 * object) are still read.
 *
 * Since schema 7 (docs/schema-7.md) the array also leaves out, as null, what the row holds
 * elsewhere: issuer and SCN when the key is `${issuer}/${scn}` (always, for a bill the normalizer
 * built), the carrier when it is the issuer, the cents (the row's `cents` column); and trailing
 * nulls (standing, flight) are not written. ~40 of the ~235 characters of a generated bill's data,
 * written again on every update of the row. Rows written before keep every field and read as before.
 */
import type { BillRecord } from '../../../core/aggregate/state.js';
import { type BillColumns, isObjectForm, packBill, unpackBill } from '../packed-bill.js';

export type { BillColumns } from '../packed-bill.js';

/** The row's columns a schema 7 `data` leaves to the row (`cents`: absent for rows of no such column). */
export interface BillRowColumns extends BillColumns {
  cents?: number;
}

/** Index of the packed fields left out (packed-bill.ts PackedBill). */
const ISSUER = 0;
const SCN = 1;
const CARRIER = 6;
const CENTS = 7;
/** Fields before this index are always written; later ones (standing, flight) only up to the last non-null. */
const ALWAYS_WRITTEN = 23;

export function encodeBillData(b: BillRecord): string {
  const p: unknown[] = packBill(b);
  // An issuer holding '/' would make the key's split ambiguous: such a bill keeps its fields.
  if (b.key === `${b.issuer}/${b.scn}` && !b.issuer.includes('/')) {
    p[ISSUER] = null;
    p[SCN] = null;
  }
  if (b.carrierScac === b.issuer) p[CARRIER] = null;
  p[CENTS] = null;
  while (p.length > ALWAYS_WRITTEN && p[p.length - 1] === null) p.length--;
  return JSON.stringify(p);
}

export function decodeBillRow(columns: BillRowColumns, data: string): BillRecord {
  if (isObjectForm(data)) return JSON.parse(data) as BillRecord; // schema 1
  const p = JSON.parse(data) as unknown[];
  if (p[ISSUER] === null) {
    const at = columns.key.indexOf('/');
    p[ISSUER] = columns.key.slice(0, at);
    p[SCN] = columns.key.slice(at + 1);
  }
  if (p[CARRIER] === null) p[CARRIER] = p[ISSUER];
  if (p[CENTS] === null) {
    if (columns.cents === undefined)
      throw new Error(`bill ${columns.key}: its data leaves the cents to a column not read`);
    p[CENTS] = columns.cents;
  }
  return unpackBill(columns, p);
}
