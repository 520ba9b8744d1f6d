/**
 * Faults in queue mode, with aggregate workers as separate processes (the compiled composition
 * root) and a redis-server that persists every write (AOF, fsync always):
 *  - one worker is killed with SIGKILL while the stream is being applied (its job in hand stalls and
 *    is run again elsewhere once its lock expires);
 *  - redis-server itself is killed and restarted mid-run (workers reconnect; a commit whose reply was
 *    lost is re-sent and found already applied).
 * Afterwards every input is applied (or closed with its reason), and decisions, totals and members
 * are exactly the embedded store's: nothing counted or notified twice, nothing lost.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import { buildProject } from './support/build.js';
import { type PersistentRedis, startPersistentRedis } from './support/persistent-redis.js';
import {
  comparable,
  embeddedReference,
  testSettings,
  waitForGate,
  waitForQueueEnd,
} from './support/queue-fixture.js';
import { syntheticParts } from './support/synthetic-parts.js';
import {
  dumpOutputs,
  spawnAggregateWorker,
  stopWorkerProcess,
  type WorkerProcess,
} from './support/worker-processes.js';

let build: string;
let redis: PersistentRedis;

beforeAll(async () => {
  build = buildProject('faults', ['workers/aggregate.js', 'src/app/queue/worker-settings.js']);
  redis = await startPersistentRedis();
}, 300_000);

afterAll(async () => {
  await redis?.stop();
});

async function gateAt(store: RedisDecisionStore, seq: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await store.gate()).seq < seq) {
    if (Date.now() > deadline) throw new Error(`gate did not reach ${seq}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('queue mode under faults', () => {
  it('SIGKILL of a worker and a Redis restart mid-run: every input applied once, decisions exact', async () => {
    const INPUTS = 300;
    const settings = testSettings(redis.url, 'faults', {
      concurrency: 2,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      maxStalledCount: 10,
    });
    const topology = queueTopology(settings.queueName);
    const all = syntheticParts({ inputs: INPUTS, seed: 42, maxEvents: 40, bills: 400, consignees: 12 });
    const reference = await embeddedReference(all, resolveAggregation().config);

    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    const queue = new Queue<PartJobData>(topology.aggregate, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    await queue.addBulk(
      all.map((data) => ({ name: 'part', data, opts: { jobId: jobIds.part(data.seq, data.part) } })),
    );
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });

    const workers = await Promise.all([
      spawnAggregateWorker(build, settings, 'w0'),
      spawnAggregateWorker(build, settings, 'w1'),
      spawnAggregateWorker(build, settings, 'w2'),
    ]);
    queue.on('error', () => {});
    try {
      // 1. SIGKILL a worker while it holds a part (applying it, or waiting for its turn).
      await gateAt(store, 40, 60_000);
      let inHand: string | undefined;
      for (let i = 0; i < 500 && inHand === undefined; i++) {
        const active = await queue.getJobs(['active'], 0, 20);
        inHand = active.find((j) => j.processedBy === 'w0')?.id;
        if (inHand === undefined) await new Promise((r) => setTimeout(r, 2));
      }
      expect(inHand, 'w0 held a job when it was killed').toBeDefined();
      (workers[0] as WorkerProcess).child.kill('SIGKILL');
      // 2. Kill redis-server (no shutdown save) and start it again a moment later.
      await gateAt(store, 120, 60_000);
      await redis.kill();
      await new Promise((r) => setTimeout(r, 700));
      await redis.restart();
      // A replacement for the killed worker, as a supervisor would start one.
      workers.push(await spawnAggregateWorker(build, settings, 'w3'));

      await waitForGate(store, INPUTS, 120_000);
      // Nothing dead-lettered; every input has its outcome and none was closed for a failure.
      const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
      expect((await dlq.list()).map((e) => ({ kind: e.kind, jobId: e.jobId, reason: e.reason }))).toEqual([]);
      await dlq.close();
      for (const p of all) {
        const outcome = await store.partOutcome(p.seq, p.part);
        expect(outcome, `outcome of ${p.seq}.${p.part}`).toBeDefined();
        if (p.reason === undefined) expect(outcome?.reason, `reason of ${p.seq}.${p.part}`).toBeUndefined();
        expect(outcome?.eventsApplied, `events of ${p.seq}.${p.part}`).toBe(
          p.interchanges.reduce((n, ic) => n + ic.events.length, 0) -
            (outcome?.duplicates.length ? (p.interchanges[1]?.events.length ?? 0) : 0),
        );
      }
      const got = comparable(await store.allDecisions(), await store.personDays());
      expect(got.decisions.length).toBe(reference.decisions.length);
      expect(got).toEqual(reference);
      // The part w0 held when it died was finished by another worker (after its lock expired): its
      // job completed there, or, redelivered and given back to wait for its turn, was applied by a
      // puller that then removed the job. Either way no part job is left unfinished or failed.
      const orphan = await queue.getJob(inHand as string);
      const orphanEnd = orphan === undefined ? 'removed by a puller' : await orphan.getState();
      expect(['completed', 'removed by a puller']).toContain(orphanEnd);
      await waitForQueueEnd(queue, 60_000);
    } catch (err) {
      dumpOutputs(workers);
      throw err;
    } finally {
      await Promise.all(workers.map(stopWorkerProcess));
      await queue.close();
      await store.close();
      await client.quit().catch(() => client.disconnect());
    }
  }, 240_000);
});
