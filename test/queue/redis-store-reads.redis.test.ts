/**
 * What the Redis store reads per batch, on a real redis-server: a heavy importer's day that is over
 * the threshold already has its member list read once (when it crossed), not again for every later
 * batch that adds to it — those reads grew with the day's size and made queue mode slow down as the
 * input grew. A day that may dip back under the threshold (an amendment lowers a counted bill) is
 * read again, and its decisions are the embedded store's.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { DecisionStore, InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

const config = aggregationConfig();
let icn = 0;
const ic = (events: ShipmentEvent[]): InterchangeEvents => {
  icn += 1;
  return { sender: 'S', controlNumber: String(icn), fingerprint: `fp${icn}`, file: `f${icn}.x12`, events };
};

async function decisionsOf(store: DecisionStore, batches: ShipmentEvent[][]): Promise<string[]> {
  const out: string[] = [];
  for (const events of batches) {
    const { decisions } = await applyBatch(store, [ic(events)], config);
    out.push(...decisions.map((d) => `${d.bill} ${d.code} ${d.role} ${d.totalCents}`));
  }
  return out;
}

describe('Redis store reads', () => {
  it("an exceeded heavy importer's day: its member list is read when it crosses, not for each later batch", async () => {
    const store = new RedisDecisionStore({ client: testRedis.client, namespace: 'reads-heavy' });
    // 300 bills of $100 in one batch: the day crosses $800 at the 9th.
    const first = Array.from({ length: 300 }, (_, i) =>
      ev({ bill: `H${i}`, consignee: 'HEAVY', cents: 10_000 }),
    );
    await applyBatch(store, [ic(first)], config);
    const afterCrossing = store.timings.memberLists;
    expect(afterCrossing).toBeLessThanOrEqual(1);
    // 40 more batches add to the same day, already over the threshold.
    for (let b = 0; b < 40; b++) {
      const out = await applyBatch(
        store,
        [ic([ev({ bill: `N${b}`, consignee: 'HEAVY', cents: 500 })])],
        config,
      );
      expect(out.decisions.map((d) => d.role)).toEqual(['crossing']);
    }
    expect(store.timings.memberLists).toBe(afterCrossing);
    expect(store.timings.rounds).toBe(store.timings.batches); // no batch needed a second read round
    await store.close();
  });

  it('a day an amendment may take back under the threshold is read again, with the embedded decisions', async () => {
    const batches: ShipmentEvent[][] = [
      [1, 2, 3, 4].map((i) => ev({ bill: `A${i}`, consignee: 'DIP', cents: 20_000 })),
      [ev({ bill: 'A5', consignee: 'DIP', cents: 100 })], // crosses: $801
      // A5 amended down and a new bill in the same batch: the day dips to $800.00 and crosses again.
      [
        ev({ bill: 'A5', consignee: 'DIP', cents: 0, kind: 'amended' }),
        ev({ bill: 'A6', consignee: 'DIP', cents: 50 }),
      ],
    ];
    const redis = new RedisDecisionStore({ client: testRedis.client, namespace: 'reads-dip' });
    const got = await decisionsOf(redis, batches);
    const before = redis.timings.memberLists;
    const memory = new MemoryDecisionStore();
    expect(got).toEqual(await decisionsOf(memory, batches));
    expect(got.some((d) => d.startsWith('ABCD/A6 '))).toBe(true);
    expect(before).toBeGreaterThanOrEqual(2); // the first crossing and the dip
    await redis.close();
    await memory.close();
  });
});
