/**
 * A bill as the Redis store keeps it (the `bills` hash value; the field is the bill key).
 *
 * Version 2 (written now): [2, consignee key, day, counted, accepted seq, ...packed fields]
 * (../packed-bill.ts), where what the field or another value already holds is left out:
 *   - issuer and SCN are 0 when the key is `issuer/scn` (the bill key is made that way);
 *   - the carrier is 0 when it is the issuer, the estimated arrival 0 when it is the day;
 *   - the version hash and last event id, 32 lowercase hex digits each, are `~` + their 16 bytes in
 *     base64url (22 characters); any other value is `=` + the value as it is;
 *   - mode, shipment type, standard and rules profile are their index in the lists below (a value
 *     not in its list stays a string);
 *   - trailing nulls are dropped.
 * About 70% of version 1 for a typical bill (206 against 292 characters) (docs/queue-mode.md "Memory").
 *
 * Version 1 ([consignee key, day, counted, accepted seq, ...packed fields]: its first element is a
 * string or null, never a number) and the JSON objects of earlier versions are still read; each bill
 * is rewritten as version 2 the next time a batch changes it.
 */
import type { BillRecord } from '../../../core/aggregate/state.js';
import { isObjectForm, type PackedBill, packBill, unpackBill } from '../packed-bill.js';

const VERSION = 2;
/** Positions in the packed fields (PackedBill). */
const ISSUER = 0;
const SCN = 1;
const CARRIER = 6;
const VERSION_HASH = 10;
const LAST_EVENT = 11;
const EDA = 17;
/**
 * Enumerated values by position, stored as their index. Append only: a stored index must keep
 * meaning the same value for every store already written.
 */
const ENUMS: ReadonlyArray<readonly [position: number, values: readonly string[]]> = [
  [2, ['truck', 'air', 'ocean', 'rail', 'mail']],
  [3, ['S321', 'ET86', 'other']],
  [5, ['x12', 'edifact']],
  [22, ['threshold200', 'threshold800', 'release2', 'release3', 'suspended', 'repealed']],
];
/** Length of a PackedBill with every field (nulls dropped from the end are put back). */
const PACKED_LENGTH = 25;
const HEX32 = /^[0-9a-f]{32}$/;

export function encodeBillValue(b: BillRecord): string {
  const packed: unknown[] = packBill(b);
  const slash = b.key.indexOf('/');
  if (slash >= 0 && b.key.slice(0, slash) === b.issuer && b.key.slice(slash + 1) === b.scn) {
    packed[ISSUER] = 0;
    packed[SCN] = 0;
  }
  if (b.carrierScac === b.issuer) packed[CARRIER] = 0;
  if (b.eda !== undefined && b.eda === b.day) packed[EDA] = 0;
  packed[VERSION_HASH] = shortHex(b.versionHash);
  packed[LAST_EVENT] = shortHex(b.lastEventId);
  for (const [at, values] of ENUMS) {
    const index = values.indexOf(packed[at] as string);
    if (index >= 0) packed[at] = index;
  }
  while (packed.length > 0 && packed[packed.length - 1] === null) packed.pop();
  return JSON.stringify([
    VERSION,
    b.consigneeKey ?? null,
    b.day ?? null,
    b.counted ? 1 : 0,
    b.acceptedSeq,
    ...packed,
  ]);
}

export function decodeBillValue(key: string, value: string): BillRecord {
  if (isObjectForm(value)) return JSON.parse(value) as BillRecord;
  const v = JSON.parse(value) as unknown[];
  if (typeof v[0] !== 'number') return unpackBill(columns(key, v, 0), v, 4);
  const packed = v.slice(5);
  while (packed.length < PACKED_LENGTH) packed.push(null);
  const slash = key.indexOf('/');
  if (packed[ISSUER] === 0) packed[ISSUER] = key.slice(0, slash);
  if (packed[SCN] === 0) packed[SCN] = key.slice(slash + 1);
  if (packed[CARRIER] === 0) packed[CARRIER] = packed[ISSUER];
  if (packed[EDA] === 0) packed[EDA] = v[2];
  packed[VERSION_HASH] = longHex(packed[VERSION_HASH] as string);
  packed[LAST_EVENT] = longHex(packed[LAST_EVENT] as string);
  for (const [at, values] of ENUMS)
    if (typeof packed[at] === 'number') packed[at] = values[packed[at] as number];
  return unpackBill(columns(key, v, 1), packed as PackedBill, 0);
}

function columns(key: string, v: unknown[], at: number) {
  return {
    key,
    ck: v[at] as string | null,
    day: v[at + 1] as string | null,
    counted: v[at + 2] as number,
    accepted_seq: v[at + 3] as number,
  };
}

function shortHex(text: string): string {
  return HEX32.test(text) ? `~${Buffer.from(text, 'hex').toString('base64url')}` : `=${text}`;
}

function longHex(text: string): string {
  return text.startsWith('~') ? Buffer.from(text.slice(1), 'base64url').toString('hex') : text.slice(1);
}
