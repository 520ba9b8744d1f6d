/**
 * Where an InterchangeCollector keeps an interchange's shipment events while the interchange is open.
 * Whether they count is known only at the ends: a message's at its SE/UNT (a rejected message drops
 * its own events), the interchange's at its IEA/UNZ (an envelope error, a TA1 or CONTRL rejection, an
 * overflow drop them all). The collector hands events over as its normalizer produces them, so a hold
 * may turn them into something compact at once instead of keeping objects until the interchange
 * ends: kept for ~800 events, every scavenge copied them and most were promoted
 * (docs/ingest-cpu.md, docs/ingest-per-message.md).
 */
import type { ShipmentEvent } from '../model/shipment-event.js';

export interface EventHold {
  /** Events of the open message, in order; whether they count is not known yet. */
  add(events: readonly ShipmentEvent[]): void;
  /** The open message ended: its events count (sound) or are dropped. */
  endMessage(sound: boolean): void;
  /**
   * The interchange ended: every counted event is kept (accepted) or none is; events of a message
   * still open are dropped. Returns the events its outcome carries: all of them for a hold of
   * objects, none for a hold that keeps them in another form (its owner takes them when the
   * collector reports the interchange). The hold is empty afterwards.
   */
  endInterchange(accepted: boolean): ShipmentEvent[];
  /** Drops everything held (an interchange that started and never ended). */
  discard(): void;
}

/** The events as objects, carried in the interchange's outcome (every caller but the replay's thread). */
export class ObjectEventHold implements EventHold {
  private events: ShipmentEvent[] = [];
  /** Events of the messages that ended sound; the rest belong to the open message. */
  private counted = 0;

  add(events: readonly ShipmentEvent[]): void {
    for (const e of events) this.events.push(e);
  }

  endMessage(sound: boolean): void {
    if (sound) this.counted = this.events.length;
    else this.events.length = this.counted;
  }

  endInterchange(accepted: boolean): ShipmentEvent[] {
    const events = this.events;
    events.length = accepted ? this.counted : 0;
    this.discard();
    return events;
  }

  discard(): void {
    this.events = [];
    this.counted = 0;
  }
}

/**
 * The events as chunks of at most `chunkEvents`, each made by `encode` as soon as it is full, so an
 * event object lives for at most one chunk's worth of normalizing. A chunk never mixes the open
 * message's events with counted ones: a message rejected at its end drops its own chunks and leaves
 * the others whole. Events of small messages share chunks. The outcome carries no events; `take`
 * gives the last ended interchange's chunks (none when it was rejected) and their event count.
 */
export class ChunkedEventHold<C> implements EventHold {
  private chunks: C[] = [];
  /**
   * Events not yet encoded: [0, countedPending) of ended sound messages, the rest of the open one.
   * One array for the hold's life, emptied in place (see encodeOnce).
   */
  private readonly pending: ShipmentEvent[] = [];
  private countedPending = 0;
  /** chunks[messageChunks…] hold only the open message's events. */
  private messageChunks = 0;
  /** Events of ended sound messages, and of the open message so far. */
  private counted = 0;
  private open = 0;
  private taken: { chunks: C[]; events: number } = { chunks: [], events: 0 };

  constructor(
    private readonly encode: (events: readonly ShipmentEvent[]) => C,
    private readonly chunkEvents: number,
  ) {
    if (!(chunkEvents >= 1)) throw new RangeError(`chunkEvents must be at least 1, not ${chunkEvents}`);
  }

  add(events: readonly ShipmentEvent[]): void {
    for (const e of events) {
      this.pending.push(e);
      if (this.pending.length >= this.chunkEvents) this.flush();
    }
    this.open += events.length;
  }

  endMessage(sound: boolean): void {
    if (sound) {
      this.countedPending = this.pending.length;
      this.messageChunks = this.chunks.length;
      this.counted += this.open;
    } else {
      this.pending.length = this.countedPending;
      this.chunks.length = this.messageChunks;
    }
    this.open = 0;
  }

  endInterchange(accepted: boolean): ShipmentEvent[] {
    this.endMessage(false);
    if (accepted && this.pending.length > 0) this.chunks.push(this.encode(this.pending));
    this.taken = accepted ? { chunks: this.chunks, events: this.counted } : { chunks: [], events: 0 };
    this.discard();
    return [];
  }

  discard(): void {
    this.chunks = [];
    this.pending.length = 0;
    this.countedPending = 0;
    this.messageChunks = 0;
    this.counted = 0;
    this.open = 0;
  }

  /** The chunks of the interchange that ended last, in event order, and how many events they hold. */
  take(): { chunks: C[]; events: number } {
    const taken = this.taken;
    this.taken = { chunks: [], events: 0 };
    return taken;
  }

  /** Encodes what is pending, the counted events apart from the open message's. */
  private flush(): void {
    const pending = this.pending;
    const counted = this.countedPending;
    if (counted > 0) {
      this.chunks.push(this.encodeOnce(pending.slice(0, counted)));
      this.messageChunks = this.chunks.length;
    }
    if (counted < pending.length)
      this.chunks.push(this.encodeOnce(counted > 0 ? pending.slice(counted) : pending));
    pending.length = 0;
    this.countedPending = 0;
  }

  /**
   * `encode`, then the array emptied: an array that V8 placed in the old generation (pretenured,
   * or promoted while it filled) keeps every young object it still points to alive through each
   * scavenge until the next mark-compact, which promoted all events in some runs.
   */
  private encodeOnce(events: ShipmentEvent[]): C {
    const chunk = this.encode(events);
    events.length = 0;
    return chunk;
  }
}
