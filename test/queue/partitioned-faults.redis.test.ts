/**
 * The fault test of faults.redis.test.ts in partitioned mode (issue #15): aggregate workers as
 * separate processes (routing and applying 4 partitions), a redis-server persisting every write;
 * one worker is killed with SIGKILL mid-run and redis-server itself is killed and restarted.
 * Afterwards every input is routed and applied in every partition, and decisions, totals and members
 * are exactly the embedded store's (decisions compared without their per-partition seq; their order
 * within each partition is the embedded order). The synthetic stream amends bills to other
 * consignees, so bills move between partitions while this happens.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import { buildProject } from './support/build.js';
import { expectSameAsReference, partitionedStore, waitForPartitions } from './support/partitioned-fixture.js';
import { type PersistentRedis, startPersistentRedis } from './support/persistent-redis.js';
import { embeddedReference, testSettings } from './support/queue-fixture.js';
import { syntheticParts } from './support/synthetic-parts.js';
import { dumpOutputs, spawnAggregateWorker, stopWorkerProcess } from './support/worker-processes.js';

let build: string;
let redis: PersistentRedis;

beforeAll(async () => {
  build = buildProject('pfaults', ['workers/aggregate.js', 'src/app/queue/worker-settings.js']);
  redis = await startPersistentRedis();
}, 300_000);

afterAll(async () => {
  await redis?.stop();
});

describe('partitioned queue mode under faults', () => {
  it('SIGKILL of a worker and a Redis restart mid-run, P = 4: decisions exact', async () => {
    const INPUTS = 80;
    const PARTITIONS = 4;
    const settings = testSettings(redis.url, 'pfaults', {
      concurrency: 2,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      maxStalledCount: 10,
      partitions: PARTITIONS,
    });
    const topology = queueTopology(settings.queueName);
    const all = syntheticParts({ inputs: INPUTS, seed: 43, maxEvents: 40, bills: 300, consignees: 12 });
    const reference = await embeddedReference(all, resolveAggregation().config);
    expect(reference.decisions.length).toBeGreaterThan(20);

    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    const queue = new Queue<PartJobData>(topology.aggregate, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    queue.on('error', () => {});
    await queue.addBulk(
      all.map((data) => ({ name: 'part', data, opts: { jobId: jobIds.part(data.seq, data.part) } })),
    );
    const store = partitionedStore(client, settings.storeNamespace, PARTITIONS);
    const workers = await Promise.all([
      spawnAggregateWorker(build, settings, 'w0'),
      spawnAggregateWorker(build, settings, 'w1'),
      spawnAggregateWorker(build, settings, 'w2'),
    ]);
    try {
      const routedTo = async (seq: number) => {
        const deadline = Date.now() + 60_000;
        while ((await store.router.gate()).seq < seq) {
          if (Date.now() > deadline) throw new Error(`router did not reach ${seq}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await routedTo(15);
      workers[0]?.child.kill('SIGKILL');
      await routedTo(40);
      await redis.kill();
      await new Promise((r) => setTimeout(r, 700));
      await redis.restart();
      workers.push(await spawnAggregateWorker(build, settings, 'w3'));

      await waitForPartitions(store, INPUTS, 200_000);
      const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
      expect((await dlq.list()).map((e) => ({ kind: e.kind, jobId: e.jobId, reason: e.reason }))).toEqual([]);
      await dlq.close();
      await expectSameAsReference(store, reference);
    } catch (err) {
      dumpOutputs(workers);
      for (let p = 0; p < PARTITIONS; p++) {
        const q = new Queue(topology.partition(p), { connection: client, prefix: settings.bullPrefix });
        const gate = await store.partition(p).gate();
        const counts = await q.getJobCounts(
          'wait',
          'active',
          'delayed',
          'failed',
          'completed',
          'prioritized',
        );
        const next = await q.getJob(
          jobIds.part(gate.done ? gate.seq + 1 : gate.seq, gate.done ? 0 : gate.part + 1),
        );
        process.stderr.write(
          `partition ${p} gate ${JSON.stringify(gate)} counts ${JSON.stringify(counts)} next ${next === undefined ? 'missing' : `${await next.getState()} ${JSON.stringify(next.data).slice(0, 300)}`}\n`,
        );
        await q.close();
      }
      throw err;
    } finally {
      await Promise.all(workers.map(stopWorkerProcess));
      await queue.close();
      await store.close();
      await client.quit().catch(() => client.disconnect());
    }
  }, 300_000);
});
