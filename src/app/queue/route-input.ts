/**
 * Partitioned queue mode (issue #15): routes one input, in arrival order, to the partitions. The
 * router's gate takes inputs one after the other (cheap: one read of the input's bills' owners and
 * interchange records, one short script), so every input is routed against the bill → partition
 * index as the inputs before it left it. It screens duplicates with the one rule (the partitions
 * then apply fresh events only), routes each event (core/aggregate/partition-routing.ts) and
 * records the routing, so a redelivered input gets exactly the parts it got the first time.
 */
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

/** What the router records for an input (JSON): enough to rebuild its parts from its interchanges. */
interface StoredRouting {
  /** Indexes of the fresh interchanges. */
  fresh: number[];
  duplicates: DuplicateInterchange[];
  /** Per fresh event: [target] or [target, source]. */
  routes: Array<[number] | [number, number]>;
}

export interface RoutedInput {
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
  | { status: 'routed'; input: RoutedInput }
  | { status: 'not-ready'; routedTo: number };

const POLL_MS = 10;

export async function routeInput(
  store: PartitionedRedisStore,
  seq: number,
  interchanges: readonly InterchangeEvents[],
  options: { waitMs?: number; maxPartItems?: number } = {},
): Promise<RouteResult> {
  const router = store.router;
  const maxItems = options.maxPartItems ?? MAX_PART_ITEMS;
  const deadline = performance.now() + (options.waitMs ?? 0);
  const bills = [...new Set(interchanges.flatMap((ic) => ic.events.map((ev) => ev.bill.key)))];
  const fields = interchanges.map((ic) => interchangeField(ic.sender, ic.controlNumber, ic.fingerprint));
  for (;;) {
    const read = await router.read(bills, fields);
    if (read.routedTo >= seq) return routedBefore(router, seq, interchanges, maxItems);
    if (read.routedTo < seq - 1) {
      if (performance.now() >= deadline) return { status: 'not-ready', routedTo: read.routedTo };
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
      fresh: freshIdx,
      duplicates,
      routes: routes.map((r) => (r.source === undefined ? [r.target] : [r.target, r.source])),
    };
    const reply = await router.commit(
      seq,
      JSON.stringify(stored),
      changedOwners,
      fresh.map((ic) => [interchangeField(ic.sender, ic.controlNumber, ic.fingerprint), ic.file] as const),
    );
    if (reply.kind === 'ok')
      return { status: 'routed', input: rebuild(seq, interchanges, stored, maxItems, router) };
    if (reply.kind === 'routed') return routedBefore(router, seq, interchanges, maxItems);
    // gate: another router of this input got in between the read and the commit; read again.
  }
}

async function routedBefore(
  router: RedisPartitionRouter,
  seq: number,
  interchanges: readonly InterchangeEvents[],
  maxItems: number,
): Promise<RouteResult> {
  const raw = await router.storedRouting(seq);
  if (raw === null) throw new Error(`input ${seq} was routed but its routing record is gone`);
  return {
    status: 'routed',
    input: rebuild(seq, interchanges, JSON.parse(raw) as StoredRouting, maxItems, router),
  };
}

function rebuild(
  seq: number,
  interchanges: readonly InterchangeEvents[],
  stored: StoredRouting,
  maxItems: number,
  router: RedisPartitionRouter,
): RoutedInput {
  const fresh = stored.fresh.map((i) => interchanges[i] as InterchangeEvents);
  const events: ShipmentEvent[] = [];
  const interchangeOf: number[] = [];
  fresh.forEach((ic, i) => {
    for (const ev of ic.events) {
      events.push(ev);
      interchangeOf.push(i);
    }
  });
  if (events.length !== stored.routes.length)
    throw new Error(`input ${seq}: ${events.length} events but a routing of ${stored.routes.length}`);
  const routes: EventRoute[] = stored.routes.map(([target, source]) =>
    source === undefined ? { target } : { target, source },
  );
  return {
    seq,
    fresh,
    duplicates: stored.duplicates,
    events,
    interchangeOf,
    routes,
    parts: partitionParts(routes, router.partitions, maxItems),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
