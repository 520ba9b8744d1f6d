/**
 * A bill as the Redis store keeps it (the `bills` hash value; the field is the bill key).
 *
 * Version 3 (written now): the fields of version 2 below, left out and shortened the same way, as
 * text instead of JSON: `3`, then each field after a tab — no quotes, no brackets, null as an empty
 * field, list items comma separated, trailing empty fields dropped. A string that is empty is `\z`;
 * a tab, comma or backslash inside a string is escaped with a backslash (`\t`, `\,`, `\\`); what
 * the key or another field holds is an empty field (issuer, SCN, carrier) or `\d` (the estimated
 * arrival is the day). About 80% of version 2 for a typical bill (the JSON syntax was ~45 of ~220
 * characters), which also moves the typical value from jemalloc's 256-byte class to 192
 * (docs/queue-mode.md "Memory").
 *
 * Version 2: [2, consignee key, day, counted, accepted seq, ...packed fields]
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

const TEXT_VERSION = '3';
const SEP = '\t';
/** Escapes of version 3: an empty string; the estimated arrival that is the day. */
const EMPTY = '\\z';
const SAME_DAY = '\\d';
/** Packed positions by kind (the others are strings or null). */
const NUMBERS = new Set([7, 16]);
const FLAGS = new Set([4, 9]);
const LISTS = new Set([8, 12]);
const STANDING = 23;

export function encodeBillValue(b: BillRecord): string {
  const out: string[] = [
    TEXT_VERSION,
    text(b.consigneeKey ?? null),
    text(b.day ?? null),
    b.counted ? '1' : '0',
    String(b.acceptedSeq),
  ];
  const packed: unknown[] = packBill(b);
  const slash = b.key.indexOf('/');
  const keyed = slash >= 0 && b.key.slice(0, slash) === b.issuer && b.key.slice(slash + 1) === b.scn;
  for (let at = 0; at < packed.length; at++) {
    const v = packed[at];
    let field: string;
    if ((at === ISSUER || at === SCN) && keyed) field = '';
    else if (at === CARRIER && b.carrierScac === b.issuer) field = '';
    else if (at === EDA && b.eda !== undefined && b.eda === b.day) field = SAME_DAY;
    else if (at === VERSION_HASH || at === LAST_EVENT) field = text(shortHex(v as string));
    else if (LISTS.has(at)) field = (v as string[]).map((item) => text(item)).join(',');
    else if (at === STANDING)
      field = v === null ? '' : `${text((v as [string, number])[0])},${(v as [string, number])[1]}`;
    else if (NUMBERS.has(at) || FLAGS.has(at)) field = v === null ? '' : String(v);
    else field = enumText(at, v as string | null);
    out.push(field);
  }
  while (out.length > 5 && out[out.length - 1] === '') out.pop();
  return out.join(SEP);
}

/** A string field: null is empty, '' is `\z`, separators and the escape character escaped. */
function text(v: string | null): string {
  if (v === null) return '';
  if (v === '') return EMPTY;
  return v.replace(/[\\\t,]/g, (c) => (c === '\t' ? '\\t' : `\\${c}`));
}

/** An enumerated field's index in its list, or `=` and the value when it is not in the list. */
function enumText(at: number, v: string | null): string {
  const values = ENUMS.find(([position]) => position === at)?.[1];
  if (values === undefined || v === null) return text(v);
  const index = values.indexOf(v);
  return index >= 0 ? String(index) : `=${text(v)}`;
}

/** An item of a version-3 field: its text, or one of the escapes that stand for a whole item. */
type Item = string | { readonly mark: 'z' | 'd' };

/** The fields of a version-3 value, split on unescaped tabs, and each into items on unescaped commas. */
function splitText(value: string): Item[][] {
  const fields: Item[][] = [];
  let items: Item[] = [];
  let cur = '';
  let mark: 'z' | 'd' | undefined;
  const endItem = () => {
    items.push(mark !== undefined && cur === '' ? { mark } : cur);
    cur = '';
    mark = undefined;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const n = value[++i] ?? '';
      if (n === 'z' || n === 'd') mark = n;
      else cur += n === 't' ? '\t' : n;
    } else if (c === SEP) {
      endItem();
      fields.push(items);
      items = [];
    } else if (c === ',') endItem();
    else cur += c;
  }
  endItem();
  fields.push(items);
  return fields;
}

/** A string field: null when empty, '' for `\z`. */
function fieldText(items: Item[] | undefined): string | null {
  if (items === undefined || (items.length === 1 && items[0] === '')) return null;
  return items.map((item) => (typeof item === 'string' ? item : '')).join(',');
}

function isMark(items: Item[] | undefined, mark: 'z' | 'd'): boolean {
  const item = items?.[0];
  return items?.length === 1 && typeof item === 'object' && item.mark === mark;
}

function decodeText(key: string, value: string): BillRecord {
  const fields = splitText(value);
  const slash = key.indexOf('/');
  const day = fieldText(fields[2]);
  const packed: unknown[] = [];
  for (let i = 0; i < PACKED_LENGTH; i++) {
    const items = fields[5 + i];
    const text = fieldText(items);
    if ((i === ISSUER || i === SCN) && text === null)
      packed.push(i === ISSUER ? key.slice(0, slash) : key.slice(slash + 1));
    else if (i === EDA && isMark(items, 'd')) packed.push(day);
    else if (i === VERSION_HASH || i === LAST_EVENT) packed.push(longHex(text ?? ''));
    else if (LISTS.has(i))
      packed.push(
        text === null ? [] : (items as Item[]).map((item) => (typeof item === 'string' ? item : '')),
      );
    else if (i === STANDING)
      packed.push(
        text === null ? null : [fieldText([(items as Item[])[0] as Item]), Number((items as Item[])[1])],
      );
    else if (NUMBERS.has(i) || FLAGS.has(i)) packed.push(text === null ? null : Number(text));
    else {
      const values = ENUMS.find(([position]) => position === i)?.[1];
      if (values !== undefined && text !== null && !isMark(items, 'z'))
        packed.push(
          text.startsWith('=') ? (isMark(items?.slice(1), 'z') ? '' : text.slice(1)) : values[Number(text)],
        );
      else packed.push(text);
    }
  }
  // An empty carrier is the issuer (CARRIER is never null in a packed bill).
  if (packed[CARRIER] === null) packed[CARRIER] = packed[ISSUER];
  return unpackBill(
    {
      key,
      ck: fieldText(fields[1]),
      day,
      counted: Number(fieldText(fields[3])),
      accepted_seq: Number(fieldText(fields[4])),
    },
    packed as PackedBill,
    0,
  );
}

/** Version 2 (a JSON array), as stores written before version 3 hold it: for tests of those stores. */
export function encodeBillValueV2(b: BillRecord): string {
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
  if (value.startsWith(`${TEXT_VERSION}${SEP}`)) return decodeText(key, value);
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
