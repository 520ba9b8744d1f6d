/**
 * Aggregate workers on a real redis-server: parts enqueued out of arrival order, three workers
 * (separate BullMQ Worker instances, two jobs each at once) — the store's gate must apply them in
 * arrival order, so decisions (id, seq, code, role) and totals equal the embedded store's.
 */
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { useRedisServer } from '../support/redis-server.js';
import { comparable, embeddedReference, testSettings, waitForGate } from './support/queue-fixture.js';
import { syntheticParts } from './support/synthetic-parts.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: null });

describe('aggregate workers', () => {
  it('three workers applying shuffled parts reach the embedded decisions exactly', async () => {
    const settings = testSettings(testRedis.server.url, 'agg-order', { concurrency: 2 });
    const topology = queueTopology(settings.queueName);
    const all = syntheticParts({ inputs: 40, seed: 7 });
    const { config } = resolveAggregation();
    const reference = await embeddedReference(all, config);
    expect(reference.decisions.length).toBeGreaterThan(10);

    const queue = new Queue<PartJobData>(topology.aggregate, {
      connection: testRedis.client,
      prefix: settings.bullPrefix,
    });
    // Reverse-ish order: the worst case for the gate (every part waits for one enqueued later).
    const shuffled = [...all].sort(
      (a, b) => ((b.seq * 7) % 11) - ((a.seq * 7) % 11) || b.seq - a.seq || a.part - b.part,
    );
    await queue.addBulk(
      shuffled.map((data) => ({ name: 'part', data, opts: { jobId: jobIds.part(data.seq, data.part) } })),
    );

    const workers: RunningWorker[] = [];
    for (let i = 0; i < 3; i++) workers.push(await startAggregateWorker({ settings, waitMs: 200 }));
    const store = new RedisDecisionStore({ client: testRedis.client, namespace: settings.storeNamespace });
    try {
      await waitForGate(store, 40, 60_000);
      const got = comparable(await store.allDecisions(), await store.personDays());
      expect(got).toEqual(reference);
      expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
      const rejected = await store.partOutcome(13, 0);
      expect(rejected?.reason).toBe('input rejected: 1 error(s)');
      expect(rejected?.eventsApplied).toBe(0);
      expect((await store.partOutcome(20, 0))?.duplicates.length).toBe(1);
      const dlq = new DeadLetterQueue(topology.deadLetter, testRedis.client, settings.bullPrefix);
      expect(await dlq.count()).toBe(0);
      await dlq.close();
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
      await store.close();
    }
  });
});
