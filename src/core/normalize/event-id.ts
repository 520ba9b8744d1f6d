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

/** `[["standard","sender","icn","gcn","ref","type",` — everything of the origin before the position. */
function writeOriginHead(w: JsonUtf8Writer, source: Source): void {
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
}

function hashEvent(event: Omit<ShipmentEvent, 'eventId'> | ShipmentEvent, positionInMessage: number): string {
  const w = writer;
  w.reset();
  writeOriginHead(w, event.source);
  w.number(positionInMessage);
  w.ascii('],');
  w.object(event as unknown as Record<string, unknown>, 'eventId', 'source');
  w.ascii(']');
  return murmur3x86_128Bytes(w.bytes, w.length, 0, w.words);
}

/** The id of any event (generic writer; the normalizers use event-build.ts, which gives the same ids). */
export function eventIdOf(event: Omit<ShipmentEvent, 'eventId'>, positionInMessage: number): string {
  return hashEvent(event, positionInMessage);
}

/**
 * The UTF-8 of `[["standard","sender",...,"messageType",` — the same for every event of a message,
 * so the caller keeps it (MessageScope.originPrefix) and writes it ahead of each event's content.
 */
export function originPrefix(source: Source): Uint8Array {
  const w = new JsonUtf8Writer(256);
  writeOriginHead(w, source);
  return w.bytes.slice(0, w.length);
}
