/**
 * A person-day as the Redis store keeps it (the `pd` hash value; the field is
 * personDayField(consigneeKey, day) = `YYYY-MM-DD:<consignee key>`): the integers only, comma
 * separated — `totalCents,bills,everExceeded(0|1)[,unnotifiedFrom]` — then, when the person-day
 * has counted bills, `|` and its members as a flat JSON array `[billKey, acceptedSeq, …]`
 * (key layout 3; lua/commit-batch.lua keeps that part, appending a bill as it is accepted, so it is
 * in acceptance order but not guaranteed sorted: decodeMembers sorts). The members were one sorted
 * set per person-day before (layout 2): ~100 bytes per shipment of per-key overhead. The consignee key and the day
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
  const bar = value.indexOf('|');
  const parts = (bar < 0 ? value : value.slice(0, bar)).split(',');
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

/** Counted bills of a person-day in acceptedSeq order, with their acceptedSeq. */
export interface MemberList {
  keys: string[];
  /** Ascending: seqs[i] is the acceptedSeq of keys[i]. */
  seqs: number[];
}

/**
 * The members part of a person-day value (none when it has no `|` part, or is a JSON object),
 * ordered as a sorted set orders them: by acceptedSeq, then key in code-unit order.
 */
export function decodeMembers(field: string, value: string | null): MemberList {
  const bar = value === null || value.startsWith('{') ? -1 : value.indexOf('|');
  if (value === null || bar < 0) return { keys: [], seqs: [] };
  let flat: unknown;
  try {
    flat = JSON.parse(value.slice(bar + 1));
  } catch {
    throw new StoreBadRecordError('person-day', field, value);
  }
  if (!Array.isArray(flat) || flat.length % 2 !== 0)
    throw new StoreBadRecordError('person-day', field, value);
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i];
    const seq = flat[i + 1];
    if (typeof key !== 'string' || typeof seq !== 'number' || !Number.isSafeInteger(seq))
      throw new StoreBadRecordError('person-day', field, value);
    pairs.push([key, seq]);
  }
  pairs.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { keys: pairs.map((p) => p[0]), seqs: pairs.map((p) => p[1]) };
}

/** A person-day value with its members part (what the commit script writes; for migrations and tests). */
export function encodePersonDayEntry(pd: PersonDayRecord, members: MemberList): string {
  const head = encodePersonDayValue(pd);
  if (members.keys.length === 0) return head;
  const flat: Array<string | number> = [];
  members.keys.forEach((key, i) => {
    flat.push(key, members.seqs[i] as number);
  });
  return `${head}|${JSON.stringify(flat)}`;
}
