/**
 * A person-day as the Redis store keeps it (the `pd` hash value; the field is
 * personDayField(consigneeKey, day) = `YYYY-MM-DD:<consignee key>`): the integers only, comma
 * separated — `totalCents,bills,everExceeded(0|1)[,unnotifiedFrom]`. The consignee key and the day
 * are the field already; the JSON object form repeated both and its field names (~150 bytes against
 * ~12 for a typical person-day, measured in docs/queue-mode.md "Memory").
 *
 * Values written as JSON objects by earlier versions (they start with `{`) are still read, so a
 * store written before this encoding keeps working; each person-day is rewritten compactly the next
 * time a batch changes it.
 */
import type { PersonDayRecord } from '../../../core/aggregate/state.js';
import { StoreBadRecordError } from './store-record-error.js';

export { StoreBadRecordError };

export function encodePersonDayValue(pd: PersonDayRecord): string {
  const head = `${pd.totalCents},${pd.bills},${pd.everExceeded ? 1 : 0}`;
  return pd.unnotifiedFrom === undefined ? head : `${head},${pd.unnotifiedFrom}`;
}

/** `field` is the value's field in the person-day hash (it carries the day and the consignee key). */
export function decodePersonDayValue(field: string, value: string): PersonDayRecord {
  if (value.startsWith('{')) return JSON.parse(value) as PersonDayRecord;
  const parts = value.split(',');
  if (field.charAt(10) !== ':' || parts.length < 3 || parts.length > 4)
    throw new StoreBadRecordError('person-day', field, value);
  const record: PersonDayRecord = {
    consigneeKey: field.slice(11),
    day: field.slice(0, 10),
    totalCents: integer(field, value, parts[0]),
    bills: integer(field, value, parts[1]),
    everExceeded: integer(field, value, parts[2]) === 1,
  };
  if (parts[3] !== undefined) record.unnotifiedFrom = integer(field, value, parts[3]);
  return record;
}

function integer(field: string, value: string, text: string | undefined): number {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new StoreBadRecordError('person-day', field, value);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new StoreBadRecordError('person-day', field, value);
  return n;
}
