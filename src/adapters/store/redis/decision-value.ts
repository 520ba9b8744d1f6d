/**
 * A decision as the Redis store keeps it (the `dec` hash value; the field is the decision id
 * `<bill>|<channel>|<code>`): a JSON array of its values in a fixed order instead of a JSON object.
 * The field names, and the bill, channel, code, issuer and SCN the id already holds, are left out:
 * ~55% of the object form for a typical decision (docs/queue-mode.md "Memory").
 *
 *   [seq, carrierScac, mode, text, recipient, role, withhold (0|1), consigneeKey, day, totalCents,
 *    profile, causeEventId, file, standard, sender, interchangeControl, groupControl, messageRef,
 *    messageType, segmentIndex, byteOffset, usage, entryNumber, pieces, port, flight]
 *
 * An absent optional value is null, and trailing nulls are dropped. A decision the array cannot
 * carry exactly (a field it does not know, an id that does not split back into bill, channel and
 * code, a bill that is not `issuer/scn`) is kept as the JSON object, which is always read: the
 * encoding never loses a field. Values written as JSON objects by earlier versions still read.
 */
import type { Decision } from '../../../core/model/decision.js';
import type { SourcePosition } from '../../../core/model/shipment-event.js';
import { StoreBadRecordError } from './store-record-error.js';

const TOP = new Set([
  'decisionId',
  'seq',
  'bill',
  'issuer',
  'scn',
  'carrierScac',
  'mode',
  'channel',
  'code',
  'text',
  'recipient',
  'role',
  'withhold',
  'consigneeKey',
  'day',
  'totalCents',
  'profile',
  'entryNumber',
  'pieces',
  'port',
  'flight',
  'causeEventId',
  'cause',
]);
const CAUSE = new Set([
  'file',
  'standard',
  'sender',
  'interchangeControl',
  'groupControl',
  'messageRef',
  'messageType',
  'segmentIndex',
  'byteOffset',
  'usage',
]);
/** Index of the first optional value (usage); the array is at least this long. */
const REQUIRED = 21;

export function encodeDecisionValue(d: Decision): string {
  return packable(d) ? JSON.stringify(pack(d)) : JSON.stringify(d);
}

function packable(d: Decision): boolean {
  const known = (o: object, names: Set<string>) =>
    Object.entries(o).every(([k, v]) => names.has(k) && v !== null);
  return (
    known(d, TOP) &&
    known(d.cause, CAUSE) &&
    !d.bill.includes('|') &&
    !d.channel.includes('|') &&
    !d.code.includes('|') &&
    d.decisionId === `${d.bill}|${d.channel}|${d.code}` &&
    !d.issuer.includes('/') &&
    d.bill === `${d.issuer}/${d.scn}`
  );
}

function pack(d: Decision): unknown[] {
  const c = d.cause;
  const out: unknown[] = [
    d.seq,
    d.carrierScac,
    d.mode,
    d.text,
    d.recipient,
    d.role,
    d.withhold ? 1 : 0,
    d.consigneeKey,
    d.day,
    d.totalCents,
    d.profile,
    d.causeEventId,
    c.file,
    c.standard,
    c.sender,
    c.interchangeControl,
    c.groupControl,
    c.messageRef,
    c.messageType,
    c.segmentIndex,
    c.byteOffset,
    c.usage ?? null,
    d.entryNumber ?? null,
    d.pieces ?? null,
    d.port ?? null,
    d.flight ?? null,
  ];
  while (out.length > REQUIRED && out[out.length - 1] === null) out.pop();
  return out;
}

/** `id` is the value's field in the decision hash (the decision id). */
export function decodeDecisionValue(id: string, value: string): Decision {
  if (value.startsWith('{')) return JSON.parse(value) as Decision;
  let v: unknown;
  try {
    v = JSON.parse(value);
  } catch {
    throw new StoreBadRecordError('decision', id, value);
  }
  const parts = id.split('|');
  const bill = parts[0] as string;
  const slash = bill.indexOf('/');
  if (!Array.isArray(v) || v.length < REQUIRED || v.length > 26 || parts.length !== 3 || slash < 0)
    throw new StoreBadRecordError('decision', id, value);
  const a = v as unknown[];
  const cause = {
    file: a[12],
    standard: a[13],
    sender: a[14],
    interchangeControl: a[15],
    groupControl: a[16],
    messageRef: a[17],
    messageType: a[18],
    segmentIndex: a[19],
    byteOffset: a[20],
    ...present('usage', a[21]),
  } as SourcePosition;
  return {
    decisionId: id,
    seq: a[0],
    bill,
    issuer: bill.slice(0, slash),
    scn: bill.slice(slash + 1),
    carrierScac: a[1],
    mode: a[2],
    channel: parts[1],
    code: parts[2],
    text: a[3],
    recipient: a[4],
    role: a[5],
    withhold: a[6] === 1,
    consigneeKey: a[7],
    day: a[8],
    totalCents: a[9],
    profile: a[10],
    ...present('entryNumber', a[22]),
    ...present('pieces', a[23]),
    ...present('port', a[24]),
    ...present('flight', a[25]),
    causeEventId: a[11],
    cause,
  } as Decision;
}

function present<K extends string>(name: K, value: unknown): Partial<Record<K, unknown>> {
  return value === null || value === undefined ? {} : ({ [name]: value } as Record<K, unknown>);
}
