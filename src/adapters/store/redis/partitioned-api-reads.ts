/**
 * The HTTP API's reads (ports/api.ts ApiReads) over a partitioned Redis store (issue #15): the
 * state of one namespace is spread over P partition stores (each a RedisDecisionStore under its own
 * hash tag) and the router's bill → partition index, so every read here asks the partition(s) that
 * hold what it names and puts the answers together as one store would list them.
 *
 *  - Person-days: a person-day lives in its consignee's partition only, so the partitions' lists
 *    are disjoint. Each partition answers the page's scan (its first `limit` from the cursor, in
 *    (day, consignee key) order), and the page is the first `limit` of their merge: at most
 *    P × limit person-days are held per page.
 *  - A bill: its owner partition (the router's `owners` index, updated with every routing), then
 *    that partition's record and person-day.
 *  - Decisions by id: a decision is recorded in the partition that took it, which for a bill that
 *    moved (an amendment naming a consignee of another partition) is not always its owner now, and
 *    its id (`bill|channel|code`) does not say which. Every partition is asked (one HMGET each).
 *    Each partition numbers its decisions with its own seq, so seqs of different partitions are
 *    not comparable. The answer is each partition's list in its seq order, merged by the order of
 *    `ids`: the API asks with a bill's notified list, to which the core appends each notification
 *    as it takes the decision and which moves with the bill, so that is the order the bill's
 *    decisions were taken in across partitions — the one-gate store's seq order. `seq` in the
 *    answer is the partition's.
 *
 *  - The pre-check's snapshots (`partitionSnapshots`): its shipments are routed as the router
 *    routes an input (core/aggregate/partition-routing.ts routeEvents over the router's owners of
 *    their bills), and each partition's run over that partition's snapshot (app/api-service.ts).
 *    A shipment that would move its bill out of the partition holding it (a bill on record, or a
 *    status stub, under a consignee of another partition) is refused: evaluating it needs the
 *    departure run in one partition's snapshot and its result handed to the other's, as the
 *    partition parts do, which is not done (501). Each partition's snapshot is its own, not one
 *    instant across partitions: while workers apply, partitions may stand at different inputs.
 *
 * Split-shipment suspects stay absent: Redis keeps no consignee as sent.
 */
import { routeEvents } from '../../../core/aggregate/partition-routing.js';
import type { ShipmentEvent } from '../../../core/model/shipment-event.js';
import type { ApiReads, ListedPersonDay, PartitionSnapshots, PersonDayScan } from '../../../ports/api.js';
import type { PartitionedRedisStore } from './partitioned-store.js';

export class PartitionedApiReads implements ApiReads {
  readonly partitionSnapshots: PartitionSnapshots;

  constructor(private readonly store: PartitionedRedisStore) {
    this.partitionSnapshots = {
      route: (events) => this.route(events),
      openSnapshot: (partition) => store.partition(partition).openSnapshot(),
    };
  }

  private async route(events: readonly ShipmentEvent[]): Promise<number[] | undefined> {
    const bills = [...new Set(events.map((e) => e.bill.key))];
    const { owners } = await this.store.router.read(bills, []);
    const { routes } = routeEvents(events, owners, this.store.count);
    return routes.some((r) => r.source !== undefined) ? undefined : routes.map((r) => r.target);
  }

  async scanPersonDays(scan: PersonDayScan): Promise<ListedPersonDay[]> {
    const pages = await Promise.all(this.store.partitions.map((p) => p.scanPersonDays(scan)));
    return mergeSorted(pages, comparePersonDays, scan.limit);
  }

  async billOnRecord(key: string): ReturnType<ApiReads['billOnRecord']> {
    const owner = await this.owner(key);
    return owner === undefined ? undefined : this.store.partition(owner).billOnRecord(key);
  }

  async decisionsWithStatus(ids: readonly string[]): ReturnType<ApiReads['decisionsWithStatus']> {
    if (ids.length === 0) return [];
    const found = await Promise.all(this.store.partitions.map((p) => p.decisionsWithStatus(ids)));
    // Each list is in its partition's seq order; between partitions, the caller's order decides.
    const rank = new Map(ids.map((id, i) => [id, i] as const));
    const merged = mergeSorted(
      found,
      (a, b) => (rank.get(a.decision.decisionId) ?? 0) - (rank.get(b.decision.decisionId) ?? 0),
      Number.POSITIVE_INFINITY,
    );
    // A decision id is taken once per bill (its notified list travels with it): one partition holds it.
    const seen = new Set<string>();
    return merged.filter((d) => {
      if (seen.has(d.decision.decisionId)) return false;
      seen.add(d.decision.decisionId);
      return true;
    });
  }

  private async owner(bill: string): Promise<number | undefined> {
    return (await this.store.router.read([bill], [])).owners.get(bill);
  }
}

/** The first `limit` of the merge of lists each sorted by `compare` (k-way, k = P: a linear pick). */
function mergeSorted<T>(lists: readonly T[][], compare: (a: T, b: T) => number, limit: number): T[] {
  const at = lists.map(() => 0);
  const out: T[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      const item = (lists[i] as T[])[at[i] as number];
      if (item === undefined) continue;
      if (best < 0 || compare(item, (lists[best] as T[])[at[best] as number] as T) < 0) best = i;
    }
    if (best < 0) break;
    out.push((lists[best] as T[])[at[best] as number] as T);
    at[best] = (at[best] as number) + 1;
  }
  return out;
}

/** Code-unit order (the order every store lists person-days in), independent of locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePersonDays(
  a: { day: string; consigneeKey: string },
  b: { day: string; consigneeKey: string },
): number {
  return a.day === b.day ? compareText(a.consigneeKey, b.consigneeKey) : compareText(a.day, b.day);
}
