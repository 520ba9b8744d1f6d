/**
 * How an interchange's shipment events cross from the ingest thread to the aggregating thread.
 * 'clone': postMessage's structured clone of the event objects. 'json-bytes': the events as JSON in
 * one Uint8Array whose buffer is transferred (moved, not copied). Why: deserializing a structured
 * clone of many small objects on the receiving thread cost more than JSON.parse of the same data
 * (V8's JSON parser is its fastest object builder), and the receiving thread is the busy one; the
 * encoding work moves to the ingest thread, which has time to spare (README, Performance).
 *
 * JSON keeps exactly what the events hold: strings, numbers, booleans, arrays and plain objects
 * (ShipmentEvent has nothing else); an optional field left `undefined` arrives absent, which every
 * reader treats alike (`ev.eda ?? …`).
 */
import type { ShipmentEvent } from '../core/model/shipment-event.js';

export type EventTransfer = 'clone' | 'json-bytes';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEvents(events: readonly ShipmentEvent[]): Uint8Array {
  return encoder.encode(JSON.stringify(events));
}

export function decodeEvents(bytes: Uint8Array): ShipmentEvent[] {
  return JSON.parse(decoder.decode(bytes)) as ShipmentEvent[];
}
