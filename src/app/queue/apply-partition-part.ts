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
  | OrderedResult
  /** An arrival's source partition has not applied its departure yet (after waiting `waitMs`). */
  | { status: 'awaiting-handoff'; source: number };

const MAX_ATTEMPTS = 100;
const POLL_MS = 10;

export async function applyPartitionPart(
  store: PartitionedRedisStore,
  part: PartitionPartData,
  config: AggregationConfig,
  options: { waitMs?: number; signal?: AbortSignal } = {},
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
    const session = target.openBatch({
      pos,
      ...(part.reason !== undefined ? { reason: part.reason } : {}),
      imports,
      ...(part.departure !== undefined
        ? { departures: new Map([[part.departure.bill, part.departure.field]]) }
        : {}),
      recordInterchanges: false,
    });
    const result = await attemptOnce(session, part.interchanges, config);
    if (result.status === 'committed')
      return { status: 'applied', outcome: result.outcome, rounds: result.rounds };
  }
  throw new Error(
    `partition ${part.partition} part ${part.seq}.${part.part}: gave up after ${MAX_ATTEMPTS} conflicting commits`,
  );
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
