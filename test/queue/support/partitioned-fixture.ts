/**
 * Partitioned queue mode in the process tests: waiting until every partition has applied the
 * routed inputs, and the partitioned store's decisions and person-days in the shape of the embedded
 * reference (queue-fixture.ts comparable) — decisions without `seq`, which is per partition, plus a
 * check that each partition's decisions come in the reference's order.
 */
import { expect } from 'vitest';
import { PartitionedRedisStore } from '../../../src/adapters/store/redis/partitioned-store.js';
import type { Comparable } from './queue-fixture.js';
import { comparable } from './queue-fixture.js';

/** Waits until the router closed input `lastSeq` and every partition applied all it was routed. */
export async function waitForPartitions(
  store: PartitionedRedisStore,
  lastSeq: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const routed = await store.router.gate();
    if (routed.seq > lastSeq || (routed.seq === lastSeq && routed.done)) {
      const r = Number(await store.router.routedCount());
      const gates = await Promise.all(store.partitions.map((p) => p.gate()));
      if (gates.every((g) => g.seq > r || (g.seq === r && g.done))) return;
    }
    if (Date.now() > deadline) {
      const gates = await Promise.all(store.partitions.map((p) => p.gate()));
      throw new Error(
        `not applied within ${timeoutMs} ms: router at ${JSON.stringify(await store.router.gate())}, partitions at ${JSON.stringify(gates)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asserts the partitioned store holds exactly the reference's decisions and person-days. */
export async function expectSameAsReference(
  store: PartitionedRedisStore,
  reference: Comparable,
): Promise<void> {
  const byPartition = await store.decisionsByPartition();
  const got = comparable(byPartition.flat(), await store.personDays());
  const withoutSeq = (rows: Comparable['decisions']) =>
    rows.map(([id, _seq, ...rest]) => [id, ...rest]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  expect(got.decisions.length).toBe(reference.decisions.length);
  expect(withoutSeq(got.decisions)).toEqual(withoutSeq(reference.decisions));
  expect(got.personDays).toEqual(reference.personDays);
  const order = reference.decisions.map((d) => d[0]);
  for (const list of byPartition) {
    const ids = new Set(list.map((d) => d.decisionId));
    expect(list.map((d) => d.decisionId)).toEqual(order.filter((id) => ids.has(id)));
  }
}

export function partitionedStore(
  client: ConstructorParameters<typeof PartitionedRedisStore>[0]['client'],
  namespace: string,
  partitions: number,
): PartitionedRedisStore {
  return new PartitionedRedisStore({ client, namespace, partitions });
}
