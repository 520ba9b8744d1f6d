/**
 * Failures in queue mode never stall the arrival order: a rejected input (not EDI), an input whose
 * payload is damaged (bad input: no retry), and a part that cannot be read each end in the
 * dead-letter queue with payload and reason, and their sequence is closed with an empty part
 * carrying the reason, so the inputs after them are applied. A passing fault (the first tries
 * fail) is retried with backoff and then succeeds.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import { type IngestInput, ingestInputOf, ingestJobData } from '../../src/app/queue/ingest-input.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { comparable, testSettings, waitForGate } from './support/queue-fixture.js';
import { embeddedRun, MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';

let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('dead letters', () => {
  it('rejected, damaged and unreadable inputs are dead-lettered with their reason and the next inputs still apply', async () => {
    const settings = testSettings(server.url, 'dlq', { retry: { attempts: 3, backoffMs: 50 } });
    const topology = queueTopology(settings.queueName);
    const traffic = writeTrafficFiles({
      seed: 5,
      shipments: 300,
      interchangeSize: [20, 60],
      interchangesPerFile: [1, 2],
      foreignCurrency: false,
    });
    const [good1, good2] = traffic.files;
    if (good1 === undefined || good2 === undefined) throw new Error('need two generated files');
    const { config } = resolveAggregation();
    // Only the good inputs carry events (input 6 repeats input 1's interchanges: duplicates).
    const reference = await embeddedRun(
      { ...traffic, files: [good1, good2, { ...good1, name: 'late-redis.edi' }] },
      config,
      5_000,
    );

    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const ingestQueue = new Queue(topology.ingest, { connection: client, prefix: settings.bullPrefix });
    const partQueue = new Queue(topology.aggregate, { connection: client, prefix: settings.bullPrefix });
    const damaged = { ...ingestJobData(3, 'damaged.edi', good2.bytes), sha256: '0'.repeat(64) };
    await ingestQueue.addBulk([
      {
        name: 'interchange',
        data: ingestJobData(1, good1.name, good1.bytes),
        opts: { jobId: 'in-1', attempts: 3 },
      },
      {
        name: 'interchange',
        data: ingestJobData(2, 'junk.txt', Buffer.from('this is not EDI at all\n')),
        opts: { jobId: 'in-2', attempts: 3 },
      },
      { name: 'interchange', data: damaged, opts: { jobId: 'in-3', attempts: 3 } },
      {
        name: 'interchange',
        data: ingestJobData(5, good2.name, good2.bytes),
        opts: { jobId: 'in-5', attempts: 3, backoff: { type: 'exponential', delay: 50 } },
      },
      {
        name: 'interchange',
        data: ingestJobData(6, 'late-redis.edi', good1.bytes),
        opts: { jobId: 'in-6', attempts: 1 },
      },
    ]);
    // Input 4 is a part nobody can read (its events are not a list): dead-lettered by the aggregate worker.
    await partQueue.add(
      'part',
      { seq: 4, part: 0, last: true, name: 'broken-part', interchanges: 'not a list' },
      { jobId: jobIds.part(4, 0), attempts: 3 },
    );

    // Input 5's first two reads fail as a passing fault would (then the real reader runs); input 6
    // (one try only) meets Redis refusing connections three times: that must not use up its try.
    let flaky = 0;
    let refused = 0;
    const inputOf = async (data: unknown): Promise<IngestInput> => {
      const input = await ingestInputOf(data);
      if (input.seq === 5 && flaky < 2) {
        flaky += 1;
        throw new Error('EIO: i/o error writing the temp file (simulated passing fault)');
      }
      if (input.seq === 6 && refused < 3) {
        refused += 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379 (simulated)');
      }
      return input;
    };
    const workers: RunningWorker[] = [
      await startIngestWorker({
        settings,
        ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
        inputOf,
      }),
      await startAggregateWorker({ settings, waitMs: 200 }),
    ];
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
    try {
      await waitForGate(store, 6, 60_000);
      expect(comparable(await store.allDecisions(), await store.personDays())).toEqual({
        decisions: reference.decisions,
        personDays: reference.personDays,
      });

      expect((await store.partOutcome(2, 0))?.reason).toMatch(/^input rejected: \d+ error\(s\)/);
      expect((await store.partOutcome(3, 0))?.reason).toMatch(/^dead-lettered input: .*SHA-256/);
      expect((await store.partOutcome(4, 0))?.reason).toMatch(/^dead-lettered part: .*part job data/);

      const entries = await dlq.list();
      const bySeq = new Map(entries.map((e) => [e.seq, e]));
      expect([...bySeq.keys()].sort()).toEqual([2, 3, 4]);
      expect(bySeq.get(2)).toMatchObject({ kind: 'rejected', name: 'junk.txt' });
      expect(bySeq.get(2)?.issues?.length).toBeGreaterThan(0);
      expect(bySeq.get(3)).toMatchObject({ kind: 'failed', name: 'damaged.edi', attemptsMade: 1 });
      expect(bySeq.get(3)?.payload).toMatchObject({ payload: damaged.payload });
      expect(bySeq.get(4)).toMatchObject({ kind: 'failed', queue: topology.aggregate, attemptsMade: 1 });

      const retried = await ingestQueue.getJob('in-5');
      expect(await retried?.getState()).toBe('completed');
      expect(retried?.attemptsMade).toBe(3);
      const patient = await ingestQueue.getJob('in-6');
      expect(await patient?.getState()).toBe('completed');
      expect(refused).toBe(3);
      expect((await store.partOutcome(6, 0))?.reason).toBeUndefined();
      expect((await store.partOutcome(6, 0))?.duplicates.length).toBeGreaterThan(0); // same content as input 1
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await dlq.close();
      await ingestQueue.close();
      await partQueue.close();
      await store.close();
      await client.quit();
    }
  }, 120_000);
});
