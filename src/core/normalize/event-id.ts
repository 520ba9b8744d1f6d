/**
 * Deterministic event ids: a 128-bit hash of where the shipment comes from (sender, control numbers,
 * message reference, the segment's position inside its message) and of the event content.
 *
 * The position inside the message is used instead of the file-level segment index, and the file
 * name and byte offset are left out, so the same message re-sent in another file (or after another
 * interchange in the same file) gets the same ids (rules.md §2: the same message twice changes nothing).
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import { murmur3x86_128 } from './hash128.js';

export function eventIdOf(event: Omit<ShipmentEvent, 'eventId'>, positionInMessage: number): string {
  const { source, ...content } = event;
  const origin = [
    source.standard,
    source.sender,
    source.interchangeControl,
    source.groupControl,
    source.messageRef,
    source.messageType,
    positionInMessage,
  ];
  return murmur3x86_128(JSON.stringify([origin, content]));
}
