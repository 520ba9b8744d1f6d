/**
 * Partitioned queue mode (issue #15): routes one input part, in arrival order, to the partitions.
 * The router's gate takes input parts one after the other (cheap: one read of the input's bills' owners and
 * interchange records, one short script), so every input is routed against the bill → partition
 * index as the inputs before it left it. It screens duplicates with the one rule (the partitions
 * then apply fresh events only), routes each event (core/aggregate/partition-routing.ts) and
 * records the routing, so a redelivered input part gets exactly the partition parts it got the
 * first time.
 */

import { type GateState, gateRelation, type PartPosition } from '../../adapters/store/redis/ordered-gate.js';
import type { RedisPartitionRouter } from '../../adapters/store/redis/partition-router.js';
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import { interchangeField } from '../../adapters/store/redis/store-keys.js';
import type { DuplicateInterchange, InterchangeEvents } from '../../core/aggregate/engine.js';
import {
  type EventRoute,
  type PartitionItem,
  partitionParts,
  routeEvents,
} from '../../core/aggregate/partition-routing.js';
import type { ShipmentEvent } from '../../core/model/shipment-event.js';
import { screenBatch } from '../apply-batch.js';

/** Items per partition part (the unpartitioned queue's part size). */
export const MAX_PART_ITEMS = 5_000;

/** What the router records for an input part (JSON): enough to rebuild its partition parts. */
interface StoredRouting {
  /** The routing sequence: the position (r, 0..j) of this input part's parts in every partition. */
  r: number;
  /** Indexes of the fresh interchanges. */
  fresh: number[];
  duplicates: DuplicateInterchange[];
  /** Per fresh event: [target] or [target, source]. */
  routes: Array<[number] | [number, number]>;
  /**
   * Why this position was closed without events (an operator's skip): a part of the input that
   * turns up later at this position is dropped, as the unpartitioned store drops it.
   */
  closed?: string;
}

export interface RoutedInput {
  /** Routing sequence r: partition parts of this input part are at (r, 0..j) in their partition. */
  seq: number;
  fresh: InterchangeEvents[];
  duplicates: DuplicateInterchange[];
  /** The fresh events in order, and the interchange (index in `fresh`) each belongs to. */
  events: ShipmentEvent[];
  interchangeOf: number[];
  routes: EventRoute[];
  /** parts[p][k]: the items of part k of partition p. */
  parts: PartitionItem[][][];
}

export type RouteResult =
  | { status: 'routed'; input: RoutedInput; before: boolean }
  | { status: 'not-ready'; gate: GateState };

const POLL_MS = 10;

/**
 * Routes input part `pos` (its interchanges) once its predecessor in arrival order is routed,
 * waiting up to `waitMs` for it. A part routed before gets its stored routing (`before`).
 */
export async function routeInput(
  store: PartitionedRedisStore,
  pos: PartPosition,
  interchanges: readonly InterchangeEvents[],
  options: {
    waitMs?: number;
    maxPartItems?: number;
    signal?: AbortSignal;
    /** Closes the position without events (skipInput), recording why. */
    closed?: string;
  } = {},
): Promise<RouteResult> {
  const router = store.router;
  const maxItems = options.maxPartItems ?? MAX_PART_ITEMS;
  const deadline = performance.now() + (options.waitMs ?? 0);
  const bills = [...new Set(interchanges.flatMap((ic) => ic.events.map((ev) => ev.bill.key)))];
  const fields = interchanges.map((ic) => interchangeField(ic.sender, ic.controlNumber, ic.fingerprint));
  for (;;) {
    const read = await router.read(bills, fields);
    const relation = gateRelation(read.gate, pos);
    if (relation === 'applied') return routedBefore(router, pos, interchanges, maxItems);
    if (relation === 'waiting') {
      if (performance.now() >= deadline || options.signal?.aborted === true)
        return { status: 'not-ready', gate: read.gate };
      await sleep(POLL_MS);
      continue;
    }
    const { fresh, duplicates } = screenBatch(interchanges, (ic) =>
      read.interchanges.get(interchangeField(ic.sender, ic.controlNumber, ic.fingerprint)),
    );
    const freshIdx = fresh.map((ic) => interchanges.indexOf(ic));
    const events = fresh.flatMap((ic) => ic.events);
    const { routes, changedOwners } = routeEvents(events, read.owners, router.partitions);
    const stored: StoredRouting = {
      r: 0,
      fresh: freshIdx,
      duplicates,
      routes: routes.map((r) => (r.source === undefined ? [r.target] : [r.target, r.source])),
      ...(options.closed !== undefined ? { closed: options.closed } : {}),
    };
    const { r: _r, ...body } = stored;
    const reply = await router.commit(
      pos,
      JSON.stringify(body),
      changedOwners,
      fresh.map((ic) => [interchangeField(ic.sender, ic.controlNumber, ic.fingerprint), ic.file] as const),
    );
    if (reply.kind === 'ok')
      return {
        status: 'routed',
        input: rebuild(interchanges, { ...stored, r: reply.r }, maxItems, router.partitions),
        before: false,
      };
    if (reply.kind === 'routed') return routedBefore(router, pos, interchanges, maxItems);
    // gate: another router of this part got in between the read and the commit; read again.
  }
}

async function routedBefore(
  router: RedisPartitionRouter,
  pos: PartPosition,
  interchanges: readonly InterchangeEvents[],
  maxItems: number,
): Promise<RouteResult> {
  const raw = await router.storedRouting(pos.seq, pos.part);
  if (raw === null)
    throw new Error(`input part ${pos.seq}.${pos.part} was routed but its routing record is gone`);
  const stored = JSON.parse(raw) as StoredRouting;
  return {
    status: 'routed',
    input: rebuild(interchanges, stored, maxItems, router.partitions),
    before: true,
  };
}

function rebuild(
  interchanges: readonly InterchangeEvents[],
  stored: StoredRouting,
  maxItems: number,
  partitions: number,
): RoutedInput {
  // A position an operator closed: whatever arrives there later is dropped (its events are not routed).
  const fresh =
    stored.closed !== undefined ? [] : stored.fresh.map((i) => interchanges[i] as InterchangeEvents);
  const events: ShipmentEvent[] = [];
  const interchangeOf: number[] = [];
  fresh.forEach((ic, i) => {
    for (const ev of ic.events) {
      events.push(ev);
      interchangeOf.push(i);
    }
  });
  if (events.length !== stored.routes.length)
    throw new Error(`routing ${stored.r}: ${events.length} events but a routing of ${stored.routes.length}`);
  const routes: EventRoute[] = stored.routes.map(([target, source]) =>
    source === undefined ? { target } : { target, source },
  );
  return {
    seq: stored.r,
    fresh,
    duplicates: stored.duplicates,
    events,
    interchangeOf,
    routes,
    parts: partitionParts(routes, partitions, maxItems),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
