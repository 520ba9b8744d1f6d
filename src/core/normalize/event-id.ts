/**
 * Deterministic event ids: a 128-bit hash of where the shipment comes from (sender, control numbers,
 * message reference, the segment's position inside its message) and of the event content.
 *
 * The position inside the message is used instead of the file-level segment index, and the file
 * name and byte offset are left out, so the same message re-sent in another file (or after another
 * interchange in the same file) gets the same ids (rules.md §2: the same message twice changes nothing).
 *
 * The hashed text is `JSON.stringify([origin, content])` (content = the event without eventId and
 * source, in its key order), as UTF-8. It is written straight into a reused byte buffer
 * (json-utf8.ts) instead of being built as a string: same bytes, same ids, no garbage.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import { murmur3x86_128Bytes } from './hash128.js';
import { JsonUtf8Writer } from './json-utf8.js';

const writer = new JsonUtf8Writer();

type Source = ShipmentEvent['source'];

function writeOrigin(w: JsonUtf8Writer, source: Source, positionInMessage: number): void {
  w.ascii('[[');
  w.string(source.standard);
  w.ascii(',');
  w.string(source.sender);
  w.ascii(',');
  w.string(source.interchangeControl);
  w.ascii(',');
  w.string(source.groupControl);
  w.ascii(',');
  w.string(source.messageRef);
  w.ascii(',');
  w.string(source.messageType);
  w.ascii(',');
  w.number(positionInMessage);
  w.ascii('],');
}

function hashEvent(event: Omit<ShipmentEvent, 'eventId'> | ShipmentEvent, positionInMessage: number): string {
  const w = writer;
  w.reset();
  writeOrigin(w, event.source, positionInMessage);
  w.object(event as unknown as Record<string, unknown>, 'eventId', 'source');
  w.ascii(']');
  return murmur3x86_128Bytes(w.bytes, w.length, 0, w.words);
}

export function eventIdOf(event: Omit<ShipmentEvent, 'eventId'>, positionInMessage: number): string {
  return hashEvent(event, positionInMessage);
}

function stringField(w: JsonUtf8Writer, head: string, value: string): void {
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

/**
 * The content of an event whose keys are in ShipmentEventSchema order (how closeDeclaration and
 * closeStatus build them), field by field: the generic writer's Object.keys and keyed loads over
 * events of many shapes were its slowest part (~1 µs per event). Same bytes as the generic path
 * for such events (test/normalize/event-id.test.ts).
 */
function writeContent(w: JsonUtf8Writer, e: ShipmentEvent): void {
  stringField(w, '{"kind":', e.kind);
  stringField(w, ',"bill":{"issuer":', e.bill.issuer);
  stringField(w, ',"scn":', e.bill.scn);
  stringField(w, ',"key":', e.bill.key);
  stringField(w, '},"mode":', e.mode);
  stringField(w, ',"shipmentType":', e.shipmentType);
  w.ascii(e.express ? ',"express":true' : ',"express":false');
  if (e.entryNumber !== undefined) stringField(w, ',"entryNumber":', e.entryNumber);
  stringField(w, ',"carrierScac":', e.carrierScac);
  if (e.brokerId !== undefined) stringField(w, ',"brokerId":', e.brokerId);
  if (e.port !== undefined) stringField(w, ',"port":', e.port);
  if (e.conveyanceRef !== undefined) stringField(w, ',"conveyanceRef":', e.conveyanceRef);
  const c = e.consignee;
  if (c !== undefined) {
    stringField(w, ',"consignee":{"role":', c.role);
    stringField(w, ',"name":', c.name);
    stringField(w, ',"street":', c.street);
    stringField(w, ',"city":', c.city);
    stringField(w, ',"state":', c.state);
    stringField(w, ',"postal":', c.postal);
    stringField(w, ',"country":', c.country);
    if (c.idQualifier !== undefined) stringField(w, ',"idQualifier":', c.idQualifier);
    if (c.id !== undefined) stringField(w, ',"id":', c.id);
    w.ascii('}');
  }
  if (e.consigneeKey !== undefined) stringField(w, ',"consigneeKey":', e.consigneeKey);
  if (e.value !== undefined) {
    w.ascii(',"value":{"usdCents":');
    w.number(e.value.usdCents);
    stringField(w, ',"amount":', e.value.amount);
    stringField(w, ',"currency":', e.value.currency);
    w.ascii('}');
  }
  if (e.pieces !== undefined) {
    w.ascii(',"pieces":');
    w.number(e.pieces);
  }
  if (e.eda !== undefined) stringField(w, ',"eda":', e.eda);
  if (e.edaTime !== undefined) stringField(w, ',"edaTime":', e.edaTime);
  if (e.arrivalDate !== undefined) stringField(w, ',"arrivalDate":', e.arrivalDate);
  if (e.arrivalTime !== undefined) stringField(w, ',"arrivalTime":', e.arrivalTime);
  if (e.disposition !== undefined) stringField(w, ',"disposition":', e.disposition);
  if (e.origin !== undefined) stringField(w, ',"origin":', e.origin);
  stringList(w, ',"origins":[', e.origins);
  stringList(w, ',"hts":[', e.hts);
  if (e.description !== undefined) stringField(w, ',"description":', e.description);
  stringList(w, ',"unmapped":[', e.unmapped);
  w.ascii('}');
}

/**
 * Sets `event.eventId` from the rest of the event, whose keys must be in ShipmentEventSchema order
 * with `eventId: ''` first (so the key stays first without copying the event into a new object).
 */
export function assignEventId(event: ShipmentEvent, positionInMessage: number): void {
  const w = writer;
  w.reset();
  writeOrigin(w, event.source, positionInMessage);
  writeContent(w, event);
  w.ascii(']');
  event.eventId = murmur3x86_128Bytes(w.bytes, w.length, 0, w.words);
}
