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
import { JsonUtf8Writer } from './json-utf8.js';

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

function stringField(w: JsonUtf8Writer, head: string, value: string): void {
  w.ascii(head);
  w.string(value);
}

function optionalString(w: JsonUtf8Writer, head: string, value: string | undefined): void {
  if (value === undefined) return;
  w.ascii(head);
  w.string(value);
}

function stringList(w: JsonUtf8Writer, head: string, list: readonly string[]): void {
  w.ascii(head);
  for (let i = 0; i < list.length; i++) {
    if (i > 0) w.ascii(',');
    w.string(list[i] as string);
  }
  w.ascii(']');
}

/** JSON.stringify of the content (the event without eventId and source), in schema key order. */
function writeContent(w: JsonUtf8Writer, f: EventFields): void {
  stringField(w, '{"kind":', f.kind);
  stringField(w, ',"bill":{"issuer":', f.bill.issuer);
  stringField(w, ',"scn":', f.bill.scn);
  stringField(w, ',"key":', f.bill.key);
  stringField(w, '},"mode":', f.mode);
  stringField(w, ',"shipmentType":', f.shipmentType);
  w.ascii(f.express ? ',"express":true' : ',"express":false');
  optionalString(w, ',"entryNumber":', f.entryNumber);
  stringField(w, ',"carrierScac":', f.carrierScac);
  optionalString(w, ',"brokerId":', f.brokerId);
  optionalString(w, ',"port":', f.port);
  optionalString(w, ',"conveyanceRef":', f.conveyanceRef);
  const c = f.consignee;
  if (c !== undefined) {
    stringField(w, ',"consignee":{"role":', c.role);
    stringField(w, ',"name":', c.name);
    stringField(w, ',"street":', c.street);
    stringField(w, ',"city":', c.city);
    stringField(w, ',"state":', c.state);
    stringField(w, ',"postal":', c.postal);
    stringField(w, ',"country":', c.country);
    optionalString(w, ',"idQualifier":', c.idQualifier);
    optionalString(w, ',"id":', c.id);
    w.ascii('}');
  }
  optionalString(w, ',"consigneeKey":', f.consigneeKey);
  if (f.value !== undefined) {
    w.ascii(',"value":{"usdCents":');
    w.number(f.value.usdCents);
    stringField(w, ',"amount":', f.value.amount);
    stringField(w, ',"currency":', f.value.currency);
    w.ascii('}');
  }
  if (f.pieces !== undefined) {
    w.ascii(',"pieces":');
    w.number(f.pieces);
  }
  optionalString(w, ',"eda":', f.eda);
  optionalString(w, ',"edaTime":', f.edaTime);
  optionalString(w, ',"arrivalDate":', f.arrivalDate);
  optionalString(w, ',"arrivalTime":', f.arrivalTime);
  optionalString(w, ',"disposition":', f.disposition);
  optionalString(w, ',"origin":', f.origin);
  stringList(w, ',"origins":[', f.origins);
  stringList(w, ',"hts":[', f.hts);
  optionalString(w, ',"description":', f.description);
  stringList(w, ',"unmapped":[', f.unmapped);
  w.ascii('}');
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
  w.ascii('],');
  writeContent(w, f);
  w.ascii(']');
  return materialize(f, murmur3x86_128Bytes(w.bytes, w.length, 0, w.words));
}
