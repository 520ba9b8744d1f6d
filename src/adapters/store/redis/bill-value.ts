/**
 * A bill as the Redis store keeps it (the `bills` hash value; the field is the bill key):
 * [consignee key, day, counted, accepted seq, ...packed fields] (../packed-bill.ts): 55% of the
 * JSON object form for a typical bill (282 against 517 characters), so less Redis memory and less
 * for the commit script to move. Values written as JSON objects by earlier versions are still read.
 */
import type { BillRecord } from '../../../core/aggregate/state.js';
import { isObjectForm, packBill, unpackBill } from '../packed-bill.js';

export function encodeBillValue(b: BillRecord): string {
  return JSON.stringify([
    b.consigneeKey ?? null,
    b.day ?? null,
    b.counted ? 1 : 0,
    b.acceptedSeq,
    ...packBill(b),
  ]);
}

export function decodeBillValue(key: string, value: string): BillRecord {
  if (isObjectForm(value)) return JSON.parse(value) as BillRecord;
  const v = JSON.parse(value) as unknown[];
  return unpackBill(
    {
      key,
      ck: v[0] as string | null,
      day: v[1] as string | null,
      counted: v[2] as number,
      accepted_seq: v[3] as number,
    },
    v,
    4,
  );
}
