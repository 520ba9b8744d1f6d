/**
 * The `bills.data` encoding: the packed bill (../packed-bill.ts) without the fields the row already
 * holds as columns (key, consignee key, day, counted, accepted seq). Rows written by schema 1 (a JSON
 * object) are still read.
 */
import type { BillRecord } from '../../../core/aggregate/state.js';
import { type BillColumns, isObjectForm, packBill, unpackBill } from '../packed-bill.js';

export type { BillColumns } from '../packed-bill.js';

export function encodeBillData(b: BillRecord): string {
  return JSON.stringify(packBill(b));
}

export function decodeBillRow(columns: BillColumns, data: string): BillRecord {
  if (isObjectForm(data)) return JSON.parse(data) as BillRecord; // schema 1
  return unpackBill(columns, JSON.parse(data) as unknown[]);
}
