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
 * The event's part of `encodeBillData(b)` for a record `b` built from a declaration or amendment
 * (its event fields, `deleted` false; the rest of the record is not read).
 */
export function encodeBillEventPart(b: BillRecord): BillEventPart {
  const keyed = b.key === `${b.issuer}/${b.scn}` && !b.issuer.includes('/');
  const head =
    (keyed ? '[null,null,' : `[${JSON.stringify(b.issuer)},${JSON.stringify(b.scn)},`) +
    `${JSON.stringify(b.mode)},${JSON.stringify(b.shipmentType)},${b.express ? 1 : 0},` +
    `${JSON.stringify(b.standard)},${b.carrierScac === b.issuer ? 'null' : JSON.stringify(b.carrierScac)},` +
    `null,${JSON.stringify(b.hts)},0,${JSON.stringify(b.versionHash)},${JSON.stringify(b.lastEventId)},`;
  const mid =
    `,${json(b.brokerId)},${json(b.entryNumber)},${json(b.port)},` +
    `${b.pieces === undefined ? 'null' : JSON.stringify(b.pieces)},${json(b.eda)},`;
  return [b.lastEventId, head, mid, json(b.origin), b.flight === undefined ? null : JSON.stringify(b.flight)];
}

function json(v: string | undefined): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** The record's `data`: spliced around the event's part when it carries the part of its own event. */
export function encodeBillData(b: BillRecord): string {
  const part = (b as BillRecord & MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART] as BillEventPart | undefined;
  // A status or deletion copies the record (and the part with it) under its own event id.
  if (part !== undefined && part[0] === b.lastEventId && !b.deleted) {
    const standing = b.standing === undefined ? 'null' : standingJson(b.standing);
    const flight = part[4];
    return (
      part[1] +
      JSON.stringify(b.notified) +
      part[2] +
      json(b.arrivalDate) +
      ',' +
      json(b.arrivalTime) +
      ',' +
      json(b.lastDisposition) +
      ',' +
      part[3] +
      ',' +
      json(b.profile) +
      (flight !== null ? `,${standing},${flight}]` : standing !== 'null' ? `,${standing}]` : ']')
    );
  }
  return encodeWhole(b);
}

function standingJson(s: NonNullable<BillRecord['standing']>): string {
  return `[${JSON.stringify(s.role)},${s.withhold ? 1 : 0}]`;
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
