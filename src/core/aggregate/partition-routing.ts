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
  /** The bill leaves this partition at this event (applied in partition `target`). */
  | { kind: 'departure'; index: number; target: number };

/**
 * Cuts each partition's share of an input into parts of at most `maxItems` items, in arrival order.
 * A departure is a part of its own and an arrival starts a part, so a part waits for at most one
 * other partition's part, always at an earlier position: no two parts wait for each other. Every
 * partition gets at least one part (empty when no event of the input is its), so each partition's
 * gate passes every arrival sequence.
 */
export function partitionParts(
  routes: readonly EventRoute[],
  partitions: number,
  maxItems: number,
): PartitionItem[][][] {
  assertPartitions(partitions);
  const parts: PartitionItem[][][] = Array.from({ length: partitions }, () => [[]]);
  const departurePart = new Map<number, number>();
  const open = (p: number): PartitionItem[] => {
    const list = parts[p] as PartitionItem[][];
    const last = list[list.length - 1] as PartitionItem[];
    if (last.length > 0 && last.length < maxItems) return last;
    if (last.length === 0) return last;
    const fresh: PartitionItem[] = [];
    list.push(fresh);
    return fresh;
  };
  const fresh = (p: number): PartitionItem[] => {
    const list = parts[p] as PartitionItem[][];
    const last = list[list.length - 1] as PartitionItem[];
    if (last.length === 0) return last;
    const part: PartitionItem[] = [];
    list.push(part);
    return part;
  };
  routes.forEach((route, index) => {
    if (route.source === undefined) {
      open(route.target).push({ kind: 'event', index });
      return;
    }
    const leaving = fresh(route.source);
    leaving.push({ kind: 'departure', index, target: route.target });
    departurePart.set(index, (parts[route.source] as PartitionItem[][]).length - 1);
    // Nothing else joins a departure's part.
    (parts[route.source] as PartitionItem[][]).push([]);
    fresh(route.target).push({
      kind: 'arrival',
      index,
      source: route.source,
      sourcePart: departurePart.get(index) as number,
    });
  });
  // Drop the empty tail a departure left, unless it is the partition's only part.
  for (const list of parts) {
    while (list.length > 1 && (list[list.length - 1] as PartitionItem[]).length === 0) list.pop();
  }
  return parts;
}
