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
 *
 * Most of the text is a function of the declaration the record was built from (mode, type, flags,
 * carrier, HTS, version hash, event id, broker, entry, port, pieces, EDA, origin, flight): the
 * replay's ingest thread writes that part (`encodeBillEventPart`) and the event carries it to the
 * record (core/aggregate/precomputed-bill-part.ts); `encodeBillData` then writes only the rest
 * (notifications, status fields, profile, standing) between its pieces. Same text, character for
 * character, as without it (docs/billpack.md).
 */
import {
  type MaybeCarryingBillPart,
  PRECOMPUTED_BILL_PART,
} from '../../../core/aggregate/precomputed-bill-part.js';
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

/**
 * The event's part of a bill's `data`, in the pieces the record's part goes between:
 * `head` fields 0–11 (issuer … event id) and the comma after them, then the notifications;
 * `mid` fields 13–17 (broker … EDA) between commas, then arrival date, time, disposition;
 * `origin` field 21, then the profile; `flight` field 24 (null: none, so the standing, field 23,
 * is written only when it is not null). `eventId` names the event it was built from.
 */
export type BillEventPart = readonly [
  eventId: string,
  head: string,
  mid: string,
  origin: string,
  flight: string | null,
];

/**
 * How an event carries its part (app/event-transfer.ts): the UTF-8 bytes of the four pieces one
 * after the other in `bytes`, head from `start`, mid from `headEnd`, origin from `midEnd`, flight
 * from `originEnd` to `end` (empty: none), and the event id. Bytes rather than strings: the
 * aggregating thread copies them into the row's text without making a string of each piece.
 */
export type BillPartBytes = [
  start: number,
  headEnd: number,
  midEnd: number,
  originEnd: number,
  end: number,
  bytes: Buffer,
  eventId: string,
];

/**
 * The event's part of `encodeBillData(b)` for a record `b` built from a declaration or amendment
 * (its event fields, `deleted` false; the rest of the record is not read).
 */
export function encodeBillEventPart(b: BillRecord): BillEventPart {
  // Two JSON.stringify calls over arrays of the fields (V8's array fast path) and their brackets
  // turned into the commas around them: ~4x faster than one call per field.
  const keyed = b.key === `${b.issuer}/${b.scn}` && !b.issuer.includes('/');
  const head = JSON.stringify([
    keyed ? null : b.issuer,
    keyed ? null : b.scn,
    b.mode,
    b.shipmentType,
    b.express ? 1 : 0,
    b.standard,
    b.carrierScac === b.issuer ? null : b.carrierScac,
    null,
    b.hts,
    0,
    b.versionHash,
    b.lastEventId,
  ]);
  const mid = JSON.stringify([
    b.brokerId ?? null,
    b.entryNumber ?? null,
    b.port ?? null,
    b.pieces ?? null,
    b.eda ?? null,
  ]);
  return [
    b.lastEventId,
    `${head.slice(0, -1)},`,
    `,${mid.slice(1, -1)},`,
    json(b.origin),
    b.flight === undefined ? null : JSON.stringify(b.flight),
  ];
}

function json(v: string | undefined): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** The JSON of a standing, by role and withhold (four texts; no stringify per bill). */
const STANDING_JSON: Record<string, readonly [string, string]> = {
  crossing: ['["crossing",0]', '["crossing",1]'],
  earlier: ['["earlier",0]', '["earlier",1]'],
};

function standingJson(s: BillRecord['standing']): string {
  if (s === undefined) return 'null';
  return STANDING_JSON[s.role]?.[s.withhold ? 1 : 0] ?? JSON.stringify([s.role, s.withhold ? 1 : 0]);
}

/** The JSON of a profile (an enumeration: a few texts, kept once stringified). */
const profileTexts = new Map<string, string>();

function profileJson(profile: string): string {
  let text = profileTexts.get(profile);
  if (text === undefined) {
    text = JSON.stringify(profile);
    if (profileTexts.size < 16) profileTexts.set(profile, text);
  }
  return text;
}

/** Where a row's text is assembled from the carried bytes before it becomes one string. */
let scratch = Buffer.allocUnsafe(4096);

/** The record's `data`: spliced around the event's part when it carries the part of its own event. */
export function encodeBillData(b: BillRecord): string {
  const p = (b as BillRecord & MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART] as BillPartBytes | undefined;
  // A status or deletion copies the record (and the part with it) under its own event id.
  if (p === undefined || p[6] !== b.lastEventId || b.deleted) return encodeWhole(b);
  // The record's fields are most often empty (a new bill): literals then, JSON.stringify only for
  // what is there.
  const notified = b.notified.length === 0 ? '[]' : JSON.stringify(b.notified);
  const status =
    b.arrivalDate === undefined && b.arrivalTime === undefined && b.lastDisposition === undefined
      ? 'null,null,null,'
      : `${json(b.arrivalDate)},${json(b.arrivalTime)},${json(b.lastDisposition)},`;
  const standing = standingJson(b.standing);
  const flight = p[4] > p[3];
  const tail = `,${b.profile === undefined ? 'null' : profileJson(b.profile)}${
    flight ? `,${standing},` : standing !== 'null' ? `,${standing}]` : ']'
  }`;
  const need = p[4] - p[0] + 3 * (notified.length + status.length + tail.length) + 1;
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, 2 * scratch.length));
  const src = p[5];
  let n = src.copy(scratch, 0, p[0], p[1]);
  n += scratch.write(notified, n);
  n += src.copy(scratch, n, p[1], p[2]);
  n += scratch.write(status, n);
  n += src.copy(scratch, n, p[2], p[3]);
  n += scratch.write(tail, n);
  if (flight) {
    n += src.copy(scratch, n, p[3], p[4]);
    scratch[n++] = 0x5d; // ]
  }
  return scratch.toString('utf8', 0, n);
}

/** The record's `data` from the record alone (the reference: what a spliced text must equal). */
export function encodeWhole(b: BillRecord): string {
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
