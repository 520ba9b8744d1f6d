/**
 * Builds a shipment event and its id together (event-id.ts says what the id hashes).
 *
 * Why not build the event and then hash it: events come in many shapes (optional fields present or
 * absent), so reading them back field by field made every load polymorphic and the text took
 * ~3 µs per event. The fields are first set on one reused object of a single shape (every field
 * always present, undefined when absent); the hashed text is written from it and the event is
 * built from it, in the same key order (ShipmentEventSchema's). test/normalize/event-id.test.ts
 * checks the ids against the generic `eventIdOf` and against JSON.stringify.
 */
import type { EventKind, Mode, Money, Party, ShipmentEvent, ShipmentType } from '../model/shipment-event.js';
import { murmur3x86_128Bytes } from './hash128.js';
import { encodeAscii, JsonUtf8Writer } from './json-utf8.js';

export interface EventFields {
  kind: EventKind;
  bill: ShipmentEvent['bill'];
  mode: Mode;
  shipmentType: ShipmentType;
  express: boolean;
  entryNumber: string | undefined;
  carrierScac: string;
  brokerId: string | undefined;
  port: string | undefined;
  conveyanceRef: string | undefined;
  consignee: Party | undefined;
  consigneeKey: string | undefined;
  value: Money | undefined;
  pieces: number | undefined;
  eda: string | undefined;
  edaTime: string | undefined;
  arrivalDate: string | undefined;
  arrivalTime: string | undefined;
  disposition: string | undefined;
  origin: string | undefined;
  origins: string[];
  hts: string[];
  description: string | undefined;
  unmapped: string[];
  source: ShipmentEvent['source'];
}

const NO_SOURCE: ShipmentEvent['source'] = {
  file: '',
  standard: 'x12',
  sender: '',
  interchangeControl: '',
  groupControl: '',
  messageRef: '',
  messageType: '',
  segmentIndex: 0,
  byteOffset: 0,
};

const fields: EventFields = {
  kind: 'declared',
  bill: { issuer: '', scn: '', key: '' },
  mode: 'truck',
  shipmentType: 'other',
  express: false,
  entryNumber: undefined,
  carrierScac: '',
  brokerId: undefined,
  port: undefined,
  conveyanceRef: undefined,
  consignee: undefined,
  consigneeKey: undefined,
  value: undefined,
  pieces: undefined,
  eda: undefined,
  edaTime: undefined,
  arrivalDate: undefined,
  arrivalTime: undefined,
  disposition: undefined,
  origin: undefined,
  origins: [],
  hts: [],
  description: undefined,
  unmapped: [],
  source: NO_SOURCE,
};

/**
 * The reused fields object with every optional field cleared; the caller sets every required field
 * (kind, bill, mode, shipmentType, express, carrierScac, origins, hts, unmapped, source) and the
 * optional ones it has, then calls buildEvent. Not reentrant (nothing here is asynchronous).
 */
export function eventFields(): EventFields {
  const f = fields;
  f.entryNumber = undefined;
  f.brokerId = undefined;
  f.port = undefined;
  f.conveyanceRef = undefined;
  f.consignee = undefined;
  f.consigneeKey = undefined;
  f.value = undefined;
  f.pieces = undefined;
  f.eda = undefined;
  f.edaTime = undefined;
  f.arrivalDate = undefined;
  f.arrivalTime = undefined;
  f.disposition = undefined;
  f.origin = undefined;
  f.description = undefined;
  return f;
}

const writer = new JsonUtf8Writer();

/** Key names and punctuation of the event text, pre-encoded. */
const K = {
  kind: encodeAscii('{"kind":'),
  issuer: encodeAscii(',"bill":{"issuer":'),
  scn: encodeAscii(',"scn":'),
  key: encodeAscii(',"key":'),
  mode: encodeAscii('},"mode":'),
  shipmentType: encodeAscii(',"shipmentType":'),
  expressTrue: encodeAscii(',"express":true'),
  expressFalse: encodeAscii(',"express":false'),
  entryNumber: encodeAscii(',"entryNumber":'),
  carrierScac: encodeAscii(',"carrierScac":'),
  brokerId: encodeAscii(',"brokerId":'),
  port: encodeAscii(',"port":'),
  conveyanceRef: encodeAscii(',"conveyanceRef":'),
  role: encodeAscii(',"consignee":{"role":'),
  name: encodeAscii(',"name":'),
  street: encodeAscii(',"street":'),
  city: encodeAscii(',"city":'),
  state: encodeAscii(',"state":'),
  postal: encodeAscii(',"postal":'),
  country: encodeAscii(',"country":'),
  idQualifier: encodeAscii(',"idQualifier":'),
  id: encodeAscii(',"id":'),
  close: encodeAscii('}'),
  consigneeKey: encodeAscii(',"consigneeKey":'),
  usdCents: encodeAscii(',"value":{"usdCents":'),
  amount: encodeAscii(',"amount":'),
  currency: encodeAscii(',"currency":'),
  pieces: encodeAscii(',"pieces":'),
  eda: encodeAscii(',"eda":'),
  edaTime: encodeAscii(',"edaTime":'),
  arrivalDate: encodeAscii(',"arrivalDate":'),
  arrivalTime: encodeAscii(',"arrivalTime":'),
  disposition: encodeAscii(',"disposition":'),
  origin: encodeAscii(',"origin":'),
  origins: encodeAscii(',"origins":['),
  hts: encodeAscii(',"hts":['),
  description: encodeAscii(',"description":'),
  unmapped: encodeAscii(',"unmapped":['),
  comma: encodeAscii(','),
  none: encodeAscii(''),
  listEnd: encodeAscii(']'),
  end: encodeAscii('}]'),
  position: encodeAscii('],'),
};

function optional(w: JsonUtf8Writer, key: Uint8Array, value: string | undefined): void {
  if (value !== undefined) w.field(key, value);
}

function list(w: JsonUtf8Writer, key: Uint8Array, items: readonly string[]): void {
  w.raw(key);
  for (let i = 0; i < items.length; i++) w.field(i === 0 ? K.none : K.comma, items[i] as string);
  w.raw(K.listEnd);
}

/** JSON.stringify of the content (the event without eventId and source), in schema key order. */
function writeContent(w: JsonUtf8Writer, f: EventFields): void {
  w.field(K.kind, f.kind);
  w.field(K.issuer, f.bill.issuer);
  w.field(K.scn, f.bill.scn);
  w.field(K.key, f.bill.key);
  w.field(K.mode, f.mode);
  w.field(K.shipmentType, f.shipmentType);
  w.raw(f.express ? K.expressTrue : K.expressFalse);
  optional(w, K.entryNumber, f.entryNumber);
  w.field(K.carrierScac, f.carrierScac);
  optional(w, K.brokerId, f.brokerId);
  optional(w, K.port, f.port);
  optional(w, K.conveyanceRef, f.conveyanceRef);
  const c = f.consignee;
  if (c !== undefined) {
    w.field(K.role, c.role);
    w.field(K.name, c.name);
    w.field(K.street, c.street);
    w.field(K.city, c.city);
    w.field(K.state, c.state);
    w.field(K.postal, c.postal);
    w.field(K.country, c.country);
    optional(w, K.idQualifier, c.idQualifier);
    optional(w, K.id, c.id);
    w.raw(K.close);
  }
  optional(w, K.consigneeKey, f.consigneeKey);
  if (f.value !== undefined) {
    w.raw(K.usdCents);
    w.number(f.value.usdCents);
    w.field(K.amount, f.value.amount);
    w.field(K.currency, f.value.currency);
    w.raw(K.close);
  }
  if (f.pieces !== undefined) {
    w.raw(K.pieces);
    w.number(f.pieces);
  }
  optional(w, K.eda, f.eda);
  optional(w, K.edaTime, f.edaTime);
  optional(w, K.arrivalDate, f.arrivalDate);
  optional(w, K.arrivalTime, f.arrivalTime);
  optional(w, K.disposition, f.disposition);
  optional(w, K.origin, f.origin);
  list(w, K.origins, f.origins);
  list(w, K.hts, f.hts);
  optional(w, K.description, f.description);
  list(w, K.unmapped, f.unmapped);
  w.raw(K.end);
}

/** The event in schema key order, optional fields absent (not undefined) when not set. */
function materialize(f: EventFields, eventId: string): ShipmentEvent {
  const e = {
    eventId,
    kind: f.kind,
    bill: f.bill,
    mode: f.mode,
    shipmentType: f.shipmentType,
    express: f.express,
  } as ShipmentEvent;
  if (f.entryNumber !== undefined) e.entryNumber = f.entryNumber;
  e.carrierScac = f.carrierScac;
  if (f.brokerId !== undefined) e.brokerId = f.brokerId;
  if (f.port !== undefined) e.port = f.port;
  if (f.conveyanceRef !== undefined) e.conveyanceRef = f.conveyanceRef;
  if (f.consignee !== undefined) e.consignee = f.consignee;
  if (f.consigneeKey !== undefined) e.consigneeKey = f.consigneeKey;
  if (f.value !== undefined) e.value = f.value;
  if (f.pieces !== undefined) e.pieces = f.pieces;
  if (f.eda !== undefined) e.eda = f.eda;
  if (f.edaTime !== undefined) e.edaTime = f.edaTime;
  if (f.arrivalDate !== undefined) e.arrivalDate = f.arrivalDate;
  if (f.arrivalTime !== undefined) e.arrivalTime = f.arrivalTime;
  if (f.disposition !== undefined) e.disposition = f.disposition;
  if (f.origin !== undefined) e.origin = f.origin;
  e.origins = f.origins;
  e.hts = f.hts;
  if (f.description !== undefined) e.description = f.description;
  e.unmapped = f.unmapped;
  e.source = f.source;
  return e;
}

/**
 * The event of `f` with its id. `prefix` is originPrefix(f.source) (the same for the whole message);
 * `positionInMessage` is the 1-based position of the shipment's first segment in its message.
 */
export function buildEvent(f: EventFields, prefix: Uint8Array, positionInMessage: number): ShipmentEvent {
  const w = writer;
  w.reset();
  w.raw(prefix);
  w.number(positionInMessage);
  w.raw(K.position);
  writeContent(w, f);
  return materialize(f, murmur3x86_128Bytes(w.bytes, w.length, 0, w.words));
}
