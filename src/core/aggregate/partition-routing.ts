/**
 * Partitioned aggregation (issue #15): which partition applies each event, and how one input's
 * events are cut into per-partition parts. Pure: the router (app/queue/route-input.ts) supplies the
 * bill → partition index as of the input's arrival position and records what this returns.
 *
 * A person-day and every bill counted in it live in the partition of its consignee key, so every
 * decision (which only depends on the order of events within one person-day) is taken inside one
 * partition. An event that names a consignee (a declaration or an amendment) goes to that
 * consignee's partition; an event without one (a status message, a deletion) goes to the partition
 * that holds the bill (its owner), or, for a bill never seen, to the bill's home partition (where a
 * status that arrives before its manifest waits on a stub, as in embedded mode). An event that
 * names a consignee in another partition than the bill's owner moves the bill: the owner applies a
 * departure at that position (the bill leaves its person-day there) and the target applies the
 * event after it, with the bill handed over as it stood.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';

/** Upper bound on partitions (each is a gate, a queue and a hash slot's worth of keys). */
export const MAX_PARTITIONS = 1024;

export function assertPartitions(partitions: number): void {
  if (!Number.isSafeInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS)
    throw new Error(`partitions must be an integer from 1 to ${MAX_PARTITIONS}, got ${partitions}`);
}

/** FNV-1a (32-bit) over the key's UTF-16 code units, modulo `partitions`: stable across processes. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % partitions;
}

/** Where one event is applied: `source` is set when it moves its bill out of another partition. */
export interface EventRoute {
  target: number;
  source?: number;
}

/** The consignee an event places its bill with (only declarations and amendments name one). */
function placingConsignee(ev: ShipmentEvent): string | undefined {
  return ev.kind === 'declared' || ev.kind === 'amended' ? ev.consigneeKey : undefined;
}

/**
 * Routes an input's events in arrival order. `owners` holds the owner of every bill of the input
 * that has one (as of the input's arrival position); the returned `owners` are the owners after the
 * input (only the bills whose owner is new or changed).
 */
export function routeEvents(
  events: readonly ShipmentEvent[],
  owners: ReadonlyMap<string, number>,
  partitions: number,
): { routes: EventRoute[]; changedOwners: Map<string, number> } {
  assertPartitions(partitions);
  const current = new Map(owners);
  const changedOwners = new Map<string, number>();
  const routes: EventRoute[] = [];
  for (const ev of events) {
    const bill = ev.bill.key;
    const owner = current.get(bill);
    const consignee = placingConsignee(ev);
    let route: EventRoute;
    if (consignee !== undefined) {
      const target = partitionOf(consignee, partitions);
      route = owner !== undefined && owner !== target ? { target, source: owner } : { target };
    } else {
      route = { target: owner ?? partitionOf(bill, partitions) };
    }
    if (owner !== route.target) {
      current.set(bill, route.target);
      changedOwners.set(bill, route.target);
    }
    routes.push(route);
  }
  return { routes, changedOwners };
}

/** One item of a partition part: an event applied there, arriving from another partition or leaving. */
export type PartitionItem =
  | { kind: 'event'; index: number }
  /** The event moves its bill here from `source`, whose part `sourcePart` holds the departure. */
  | { kind: 'arrival'; index: number; source: number; sourcePart: number }
  /** The bill leaves this partition at this event (applied in partition `target`); ends its part. */
  | { kind: 'departure'; index: number; target: number };

/**
 * Cuts each partition's share of an input into parts of at most `maxItems` items, in arrival order.
 * A departure ends its part (the partition it moves to waits for that part), so a part waits only
 * for departures at positions inside its own range, and a departure's part only for parts wholly
 * before its position: by induction on the position, no two parts wait for each other. Every
 * partition gets at least one part (empty when no event of the input is its), so each partition's
 * gate passes every routing sequence.
 */
export function partitionParts(
  routes: readonly EventRoute[],
  partitions: number,
  maxItems: number,
): PartitionItem[][][] {
  assertPartitions(partitions);
  const parts: PartitionItem[][][] = Array.from({ length: partitions }, () => [[]]);
  /** Whether the last part of a partition is closed (ended by a departure). */
  const closed = new Array<boolean>(partitions).fill(false);
  const current = (p: number): PartitionItem[] => {
    const list = parts[p] as PartitionItem[][];
    const last = list[list.length - 1] as PartitionItem[];
    if (!closed[p] && last.length < maxItems) return last;
    const fresh: PartitionItem[] = [];
    list.push(fresh);
    closed[p] = false;
    return fresh;
  };
  routes.forEach((route, index) => {
    if (route.source === undefined) {
      current(route.target).push({ kind: 'event', index });
      return;
    }
    current(route.source).push({ kind: 'departure', index, target: route.target });
    closed[route.source] = true;
    const sourcePart = (parts[route.source] as PartitionItem[][]).length - 1;
    current(route.target).push({ kind: 'arrival', index, source: route.source, sourcePart });
  });
  return parts;
}
