/**
 * Partitioned queue mode (issue #15): applies part k of partition p of a routed input, in that
 * partition's arrival order, with the one batch use case (app/apply-batch.ts attemptOnce) over the
 * partition's BatchSession — as apply-in-order.ts does for the unpartitioned store. What a part
 * adds is what crosses partitions:
 *  - a departure (a part of its own): the bill leaves its person-day here at the moving event's
 *    position. When it was counted, the core applies the event as a deletion of the bill (its
 *    `leave`: the person-day's total and count drop, a drop below the threshold is audited, as in
 *    embedded mode); the commit removes the bill from this partition and keeps it as it stood
 *    (before the event) as the handoff record.
 *  - an arrival (first item of its part): waits until the source partition's gate has applied the
 *    departure, then the core applies the event to the handed-over bill, presented as counted
 *    nowhere — it left its person-day at the same position — so the core places it as embedded
 *    mode places a moving bill after its `leave` (new acceptance seq, notifications and standing
 *    kept). Both sides commit under their own gate, so the move is applied exactly once per side.
 */
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import type { OrderedResult } from '../../adapters/store/redis/redis-store.js';
import { handoffField } from '../../adapters/store/redis/store-keys.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import { type InterchangeEvents, StateKeys } from '../../core/aggregate/engine.js';
import type { PartitionItem } from '../../core/aggregate/partition-routing.js';
import type { BillRecord } from '../../core/aggregate/state.js';
import type { ShipmentEvent } from '../../core/model/shipment-event.js';
import type { BatchSession } from '../../ports/decision-store.js';
import { attemptOnce } from '../apply-batch.js';
import type { RoutedInput } from './route-input.js';

/**
 * One part of one partition of a routed input part: what its queue job carries. Its position is
 * (seq, part) in the partition's own arrival order (seq = the router's sequence r).
 */
export interface PartitionPartData {
  partition: number;
  seq: number;
  part: number;
  last: boolean;
  /** The input's name as received (for operators). */
  name: string;
  /** The part's events, grouped in (parts of) their interchanges; a departure's: its moving event. */
  interchanges: InterchangeEvents[];
  /** The first event moves its bill here from `source`, whose part (seq, sourcePart) holds the departure. */
  arrival?: { source: number; sourcePart: number; field: string };
  /** The part is the departure of its one event's bill (applied in partition `target`). */
  departure?: { target: number; field: string };
  /** Why the input part carries nothing (rejected input, dead-lettered part). */
  reason?: string;
}

/** Every partition part of a routed input part, partition by partition. */
export function partsOf(input: RoutedInput, name = '', reason?: string): PartitionPartData[] {
  const out: PartitionPartData[] = [];
  input.parts.forEach((list, partition) => {
    list.forEach((items, part) => {
      const first = items[0];
      const data: PartitionPartData = {
        partition,
        seq: input.seq,
        part,
        last: part === list.length - 1,
        name,
        interchanges: interchangesOf(input, items),
        ...(reason !== undefined ? { reason } : {}),
      };
      if (first?.kind === 'arrival')
        data.arrival = {
          source: first.source,
          sourcePart: first.sourcePart,
          field: handoffField(input.seq, first.index),
        };
      if (first?.kind === 'departure')
        data.departure = { target: first.target, field: handoffField(input.seq, first.index) };
      out.push(data);
    });
  });
  return out;
}

export type PartitionApplyResult =
  | OrderedResult
  /** The arrival's source partition has not applied the departure yet (after waiting `waitMs`). */
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
  const reason = part.reason !== undefined ? { reason: part.reason } : {};
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const turn = await target.turn(pos, options.waitMs ?? 0, options.signal);
    if (turn.status !== 'ready') return turn;
    const moving = part.interchanges[0]?.events[0];
    let session: BatchSession;
    let interchanges: InterchangeEvents[] = part.interchanges;
    if (part.departure !== undefined && moving !== undefined) {
      session = target.openBatch({
        pos,
        ...reason,
        departures: new Map([[moving.bill.key, part.departure.field]]),
        recordInterchanges: false,
      });
      const need = new StateKeys();
      need.bills.add(moving.bill.key);
      await (session.load as NonNullable<BatchSession['load']>)(need, []);
      const prev = session.view(new StateKeys()).bill(moving.bill.key);
      const leaving: ShipmentEvent[] = prev?.counted === true ? [{ ...moving, kind: 'deleted' }] : [];
      interchanges = [{ ...(part.interchanges[0] as InterchangeEvents), events: leaving }];
    } else {
      const imports = new Map<string, BillRecord>();
      if (part.arrival !== undefined && moving !== undefined) {
        const bill = await awaitHandoff(store, part.seq, part.arrival, options.waitMs ?? 0);
        if (bill === undefined) return { status: 'awaiting-handoff', source: part.arrival.source };
        if (bill !== 'absent') imports.set(moving.bill.key, { ...bill, counted: false });
      }
      session = target.openBatch({ pos, ...reason, imports, recordInterchanges: false });
    }
    const result = await attemptOnce(session, interchanges, config);
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
  arrival: NonNullable<PartitionPartData['arrival']>,
  waitMs: number,
): Promise<BillRecord | 'absent' | undefined> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const raw = await store.handoff(arrival.source, seq, arrival.sourcePart, arrival.field);
    if (raw === null)
      throw new Error(
        `routing ${seq}, handoff ${arrival.field}: partition ${arrival.source} applied the departure but holds no handoff record`,
      );
    if (raw !== undefined) return raw;
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
    current.events.push(input.events[item.index] as ShipmentEvent);
  }
  return out;
}
