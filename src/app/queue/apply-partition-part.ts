/**
 * Partitioned queue mode (issue #15): applies part k of partition p of a routed input part, in that
 * partition's order, with the one batch use case (app/apply-batch.ts attemptOnce) over the
 * partition's BatchSession — as apply-in-order.ts does for the unpartitioned store. What a part
 * adds is what crosses partitions (docs/queue-mode.md, "Partitions"):
 *  - a departure (always the last event of its part): the bill leaves this partition at the moving
 *    event's position. The core applies the event stripped of its consignee, so the bill stops
 *    counting here exactly as embedded mode's `leave` takes it out of its person-day (total, count,
 *    a drop below the threshold audited), while its notifications, standing, arrival and accepted
 *    seq carry over; the commit removes the bill from this partition and keeps that record as the
 *    handoff record of the move.
 *  - an arrival: once the source partition's gate has applied the departure's part, the bill is
 *    presented as that handoff record, counted nowhere (it left its person-day at the same
 *    position), and the core applies the event to it as embedded mode does after its `leave`.
 * Both sides commit under their partition's gate, so each side of a move is applied exactly once.
 */
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import type { OrderedResult } from '../../adapters/store/redis/redis-store.js';
import { handoffField } from '../../adapters/store/redis/store-keys.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import type { InterchangeEvents } from '../../core/aggregate/engine.js';
import type { PartitionItem } from '../../core/aggregate/partition-routing.js';
import type { BillRecord } from '../../core/aggregate/state.js';
import type { ShipmentEvent } from '../../core/model/shipment-event.js';
import { attemptOnce } from '../apply-batch.js';
import type { RoutedInput } from './route-input.js';

/** A bill moving in: its departure is in part (seq, sourcePart) of partition `source`. */
export interface PartArrival {
  bill: string;
  source: number;
  sourcePart: number;
  /** Handoff record field (store-keys.ts handoffField). */
  field: string;
}

/**
 * One part of one partition of a routed input part: what its queue job carries. Its position is
 * (seq, part) in the partition's own order (seq = the router's sequence r).
 */
export interface PartitionPartData {
  partition: number;
  seq: number;
  part: number;
  last: boolean;
  /** The input's name as received (for operators). */
  name: string;
  /**
   * The part's events, grouped in (parts of) their interchanges; a departure is its moving event
   * without its consignee (departureEvent), the part's last event.
   */
  interchanges: InterchangeEvents[];
  arrivals?: PartArrival[];
  /** The last event moves its bill to partition `target`. */
  departure?: { bill: string; target: number; field: string };
  /** Why the input part carries nothing (rejected input, dead-lettered part). */
  reason?: string;
}

/**
 * The moving event as the partition it leaves applies it: without a consignee the bill is counted
 * nowhere (the core's `leave` when it was counted; never a decision), and a version that matches no
 * real event, so neither side mistakes it for a repeat.
 */
export function departureEvent(ev: ShipmentEvent): ShipmentEvent {
  const { consigneeKey: _leaving, ...rest } = ev;
  return { ...rest, kind: 'amended' };
}

/** Every partition part of a routed input part, partition by partition. */
export function partsOf(input: RoutedInput, name = '', reason?: string): PartitionPartData[] {
  const out: PartitionPartData[] = [];
  input.parts.forEach((list, partition) => {
    list.forEach((items, part) => {
      const data: PartitionPartData = {
        partition,
        seq: input.seq,
        part,
        last: part === list.length - 1,
        name,
        interchanges: interchangesOf(input, items),
        ...(reason !== undefined ? { reason } : {}),
      };
      const arrivals: PartArrival[] = [];
      for (const item of items) {
        const bill = (input.events[item.index] as ShipmentEvent).bill.key;
        const field = handoffField(input.seq, item.index);
        if (item.kind === 'arrival')
          arrivals.push({ bill, source: item.source, sourcePart: item.sourcePart, field });
        if (item.kind === 'departure') data.departure = { bill, target: item.target, field };
      }
      if (arrivals.length > 0) data.arrivals = arrivals;
      out.push(data);
    });
  });
  return out;
}

export type PartitionApplyResult =
  | Exclude<OrderedResult, { status: 'applied' }>
  /**
   * Applied, with `following`: the parts after it that the same commit applied (their jobs have
   * nothing left to do).
   */
  | (Extract<OrderedResult, { status: 'applied' }> & { following: PartitionPartData[] })
  /** An arrival's source partition has not applied its departure yet (after waiting `waitMs`). */
  | { status: 'awaiting-handoff'; source: number };

/**
 * The partition's part at (seq, part) when it waits in its queue and no worker holds it (undefined
 * otherwise): the parts a batch may take after its first.
 */
export type QueuedPart = (seq: number, part: number) => Promise<PartitionPartData | undefined>;

export interface PartitionApplyOptions {
  /** How long to wait for the predecessor, and for an arrival's departure (default 0). */
  waitMs?: number;
  signal?: AbortSignal;
  /**
   * Apply the parts queued right after this one in the same batch and commit (one state read, one
   * commit script and one gate move for all of them); absent: this part alone.
   */
  queued?: QueuedPart;
  /**
   * A batch takes no more parts once it holds this many events (default MAX_BATCH_EVENTS), so it
   * holds at most that plus one part's.
   */
  maxBatchEvents?: number;
}

/**
 * A batch of queued parts stops growing at the unpartitioned queue's part size, so its state read
 * and commit script are at most about twice an unpartitioned part's (parts hold ≤ 5000 items).
 */
export const MAX_BATCH_EVENTS = 5_000;
/** Parts per batch, at most (each adds an outcome record to the commit). */
const MAX_BATCH_PARTS = 256;
const MAX_ATTEMPTS = 100;
const POLL_MS = 10;

export async function applyPartitionPart(
  store: PartitionedRedisStore,
  part: PartitionPartData,
  config: AggregationConfig,
  options: PartitionApplyOptions = {},
): Promise<PartitionApplyResult> {
  const target = store.partition(part.partition);
  const pos = { seq: part.seq, part: part.part, last: part.last };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const turn = await target.turn(pos, options.waitMs ?? 0, options.signal);
    if (turn.status !== 'ready') return turn;
    const imports = new Map<string, BillRecord>();
    for (const arrival of part.arrivals ?? []) {
      const bill = await awaitHandoff(store, part.seq, arrival, options.waitMs ?? 0);
      if (bill === undefined) return { status: 'awaiting-handoff', source: arrival.source };
      imports.set(arrival.bill, { ...bill, counted: false });
    }
    const departures = new Map<string, string>();
    if (part.departure !== undefined) departures.set(part.departure.bill, part.departure.field);
    const following =
      options.queued === undefined
        ? []
        : await queuedAfter(store, part, options.queued, imports, departures, options.maxBatchEvents);
    const session = target.openBatch({
      pos,
      ...(part.reason !== undefined ? { reason: part.reason } : {}),
      imports,
      departures,
      recordInterchanges: false,
      following: following.map((f) => ({
        pos: { seq: f.seq, part: f.part, last: f.last },
        files: [...new Set(f.interchanges.map((ic) => ic.file))],
      })),
    });
    const events = following.length === 0 ? part.interchanges : joinPieces([part, ...following]);
    const result = await attemptOnce(session, events, config);
    if (result.status === 'committed')
      return { status: 'applied', outcome: result.outcome, rounds: result.rounds, following };
  }
  throw new Error(
    `partition ${part.partition} part ${part.seq}.${part.part}: gave up after ${MAX_ATTEMPTS} conflicting commits`,
  );
}

/** The position right after `part` in its partition's order (every routed input gives each partition a last part). */
function nextPosition(part: PartitionPartData): { seq: number; part: number } {
  return part.last ? { seq: part.seq + 1, part: 0 } : { seq: part.seq, part: part.part + 1 };
}

function eventCount(part: PartitionPartData): number {
  return part.interchanges.reduce((n, ic) => n + ic.events.length, 0);
}

/**
 * The parts queued right after `first`, taken into its batch while they fit and nothing orders
 * them after another partition's work not yet done. A part stops the batch (it is left to its own
 * job or a later batch) when:
 *  - it carries a reason (a closed or rejected position: its outcome records why);
 *  - one of its arrivals' departures is not applied yet: the batch never waits for another
 *    partition beyond its first part, so it cannot wait for a part that waits for it (a departure
 *    later in this batch). With every arrival already handed off, a later part's arrival cannot
 *    be a bill that left in this batch (it would have to be applied in its other partition after
 *    this batch's departure, which is not committed yet);
 *  - an arrival of a bill that arrives or leaves earlier in the batch, or a departure of one that
 *    leaves earlier (impossible by the above; kept as a guard, since one batch keeps one import and
 *    one handoff record per bill). A bill that arrives and then leaves in one batch is fine: the
 *    handoff record is the bill as its departure left it.
 * The bills arriving (`imports`) and leaving (`departures`) in the taken parts are added to the maps.
 */
async function queuedAfter(
  store: PartitionedRedisStore,
  first: PartitionPartData,
  queued: QueuedPart,
  imports: Map<string, BillRecord>,
  departures: Map<string, string>,
  maxEvents = MAX_BATCH_EVENTS,
): Promise<PartitionPartData[]> {
  const taken: PartitionPartData[] = [];
  if (first.reason !== undefined) return taken;
  let events = eventCount(first);
  let at = first;
  // Checked before reading the next part, not after: a part read and then left out is read and
  // parsed again by whoever applies it (the read is most of a queued part's cost to the worker).
  while (taken.length < MAX_BATCH_PARTS && events < maxEvents) {
    const want = nextPosition(at);
    const part = await queued(want.seq, want.part);
    if (part === undefined || part.partition !== first.partition) break;
    if (part.seq !== want.seq || part.part !== want.part || part.reason !== undefined) break;
    const arriving = new Map<string, BillRecord>();
    let ready = true;
    for (const arrival of part.arrivals ?? []) {
      const seen = imports.has(arrival.bill) || departures.has(arrival.bill) || arriving.has(arrival.bill);
      const bill = seen
        ? undefined
        : await store.handoff(arrival.source, part.seq, arrival.sourcePart, arrival.field);
      if (bill === undefined || bill === null) {
        ready = false;
        break;
      }
      arriving.set(arrival.bill, { ...bill, counted: false });
    }
    const leaving = part.departure;
    if (!ready || (leaving !== undefined && departures.has(leaving.bill))) break;
    for (const [bill, record] of arriving) imports.set(bill, record);
    if (leaving !== undefined) departures.set(leaving.bill, leaving.field);
    taken.push(part);
    events += eventCount(part);
    at = part;
  }
  return taken;
}

/**
 * The parts' events as one batch's interchanges, in order: consecutive pieces of one interchange
 * (an interchange's events cut into two parts of a partition) become one again, since the batch
 * use case takes an interchange met twice in a batch for a re-send.
 */
function joinPieces(parts: readonly PartitionPartData[]): InterchangeEvents[] {
  const out: InterchangeEvents[] = [];
  for (const ic of parts.flatMap((p) => p.interchanges)) {
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      prev.sender === ic.sender &&
      prev.controlNumber === ic.controlNumber &&
      prev.fingerprint === ic.fingerprint &&
      prev.file === ic.file
    )
      out[out.length - 1] = { ...prev, events: [...prev.events, ...ic.events] };
    else out.push(ic);
  }
  return out;
}

async function awaitHandoff(
  store: PartitionedRedisStore,
  seq: number,
  arrival: PartArrival,
  waitMs: number,
): Promise<BillRecord | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const record = await store.handoff(arrival.source, seq, arrival.sourcePart, arrival.field);
    if (record === null)
      throw new Error(
        `routing ${seq}, handoff ${arrival.field}: partition ${arrival.source} applied the departure but holds no handoff record`,
      );
    if (record !== undefined) return record;
    if (performance.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The part's events grouped back into (parts of) their interchanges, in order. */
function interchangesOf(input: RoutedInput, items: readonly PartitionItem[]): InterchangeEvents[] {
  const out: InterchangeEvents[] = [];
  let current: InterchangeEvents | undefined;
  let currentIc = -1;
  for (const item of items) {
    const ic = input.interchangeOf[item.index] as number;
    if (current === undefined || ic !== currentIc) {
      current = { ...(input.fresh[ic] as InterchangeEvents), events: [] };
      currentIc = ic;
      out.push(current);
    }
    const ev = input.events[item.index] as ShipmentEvent;
    current.events.push(item.kind === 'departure' ? departureEvent(ev) : ev);
  }
  return out;
}
