/**
 * Aggregate workers on a real redis-server: parts enqueued out of arrival order, three workers
 * (separate BullMQ Worker instances, two jobs each at once) — the store's gate must apply them in
 * arrival order, so decisions (id, seq, code, role) and totals equal the embedded store's.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { ev } from '../aggregate/event-builder.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { comparable, embeddedReference, testSettings, waitForGate } from './support/queue-fixture.js';

let server: RedisTestServer;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

/** A deterministic stream: 40 inputs, some in 2-3 parts, amendments, deletions, early statuses, one empty. */
function parts(): PartJobData[] {
  let state = 7;
  const rnd = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const out: PartJobData[] = [];
  let icn = 0;
  for (let seq = 1; seq <= 40; seq++) {
    const count = seq === 13 ? 0 : 1 + rnd(3);
    for (let part = 0; part < Math.max(count, 1); part++) {
      const events: ShipmentEvent[] = [];
      if (count > 0) {
        for (let i = 0; i < 1 + rnd(6); i++) {
          const bill = `B${rnd(60)}`;
          const kind = rnd(10);
          if (kind === 0) events.push(ev({ bill, kind: 'deleted' }));
          else if (kind === 1) events.push(ev({ bill, kind: 'status', arrival: rnd(2) === 0 ? '2025-08-20' : '2025-08-21' }));
          else events.push(ev({ bill, kind: kind === 2 ? 'amended' : 'declared', consignee: `C${rnd(4)}`, cents: 100 * rnd(400), day: rnd(2) === 0 ? '2025-06-10' : '2025-08-20', mode: rnd(4) === 0 ? 'air' : 'truck' }));
        }
      }
      icn += 1;
      const ic = { sender: 'S', controlNumber: String(icn), fingerprint: `fp${icn}`, file: `in${seq}`, events };
      // Input 20 repeats input 10's first interchange byte for byte: a duplicate.
      const interchanges = count === 0 ? [] : seq === 20 && part === 0 ? [ic, { ...(out.find((p) => p.seq === 10)?.interchanges[0] ?? ic), file: 'in20' }] : [ic];
      out.push({ seq, part, last: part === Math.max(count, 1) - 1, name: `in${seq}`, interchanges, ...(count === 0 ? { reason: 'input rejected: 1 error(s)' } : {}) });
    }
  }
  return out;
}

describe('aggregate workers', () => {
  it('three workers applying shuffled parts reach the embedded decisions exactly', async () => {
    const settings = testSettings(server.url, 'agg-order', { concurrency: 2 });
    const topology = queueTopology(settings.queueName);
    const all = parts();
    const { config } = resolveAggregation();
    const reference = await embeddedReference(all, config);
    expect(reference.decisions.length).toBeGreaterThan(10);

    const queue = new Queue<PartJobData>(topology.aggregate, { connection: client, prefix: settings.bullPrefix });
    // Reverse-ish order: the worst case for the gate (every part waits for one enqueued later).
    const shuffled = [...all].sort((a, b) => ((b.seq * 7) % 11) - ((a.seq * 7) % 11) || b.seq - a.seq || a.part - b.part);
    await queue.addBulk(shuffled.map((data) => ({ name: 'part', data, opts: { jobId: jobIds.part(data.seq, data.part) } })));

    const workers: RunningWorker[] = [];
    for (let i = 0; i < 3; i++) workers.push(await startAggregateWorker({ settings, waitMs: 200 }));
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    try {
      await waitForGate(store, 40, 60_000);
      const got = comparable(await store.allDecisions(), await store.personDays());
      expect(got).toEqual(reference);
      expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
      const rejected = await store.partOutcome(13, 0);
      expect(rejected?.reason).toBe('input rejected: 1 error(s)');
      expect((await store.partOutcome(20, 0))?.duplicates.map((d) => d.firstFile)).toEqual(['in10']);
      const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
      expect(await dlq.count()).toBe(0);
      await dlq.close();
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await store.close();
    }
  });
});
