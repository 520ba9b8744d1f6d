/**
 * The end-to-end differential test of end-to-end.redis.test.ts in partitioned mode (issue #15): the
 * same generated EDI traffic (X12 and EDIFACT manifests and status messages, amendments, deletions,
 * redelivered interchanges, status before the declaration) through the embedded pipeline (SQLite)
 * and through queue mode with 4 partitions — the real producer, two ingest workers, two aggregate
 * worker processes routing and applying every partition — gives the embedded decisions (without
 * their per-partition seq; in the embedded order within each partition) and person-days.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildProject } from './support/build.js';
import { serviceNormalizers } from './support/normalizers.js';
import { expectSameAsReference, partitionedStore, waitForPartitions } from './support/partitioned-fixture.js';
import { testSettings } from './support/queue-fixture.js';
import { embeddedRun, enqueueAll, MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';
import {
  dumpOutputs,
  spawnAggregateWorker,
  stopWorkerProcess,
  type WorkerProcess,
} from './support/worker-processes.js';

let build: string;
let server: RedisTestServer;

beforeAll(async () => {
  build = buildProject('pe2e', ['workers/aggregate.js', 'src/app/queue/worker-settings.js']);
  server = await startRedisServer();
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe('partitioned queue mode = embedded mode', () => {
  it('generated traffic, P = 4, 2 aggregate processes: identical decisions and totals', async () => {
    const traffic = writeTrafficFiles({
      seed: 321,
      shipments: 4_000,
      interchangeSize: [20, 120],
      interchangesPerFile: [1, 3],
      duplicateRate: 0.08,
      amendRate: 0.06,
      deleteRate: 0.02,
      statusAheadRate: 0.15,
      foreignCurrency: false,
      days: 2,
    });
    const { config } = resolveAggregation();
    const PART_EVENTS = 150;
    const reference = await embeddedRun(traffic, config, PART_EVENTS);
    expect(reference.decisions.length).toBeGreaterThan(20);
    expect(reference.duplicates).toBeGreaterThan(0);

    const settings = testSettings(server.url, 'pe2e', { concurrency: 2, partitions: 4 });
    const topology = queueTopology(settings.queueName);
    const lastSeq = await enqueueAll(traffic, server.url, settings.queueName, settings.bullPrefix);
    const ingest: RunningWorker[] = [];
    for (let i = 0; i < 2; i++) {
      ingest.push(
        await startIngestWorker({
          settings,
          ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
          maxPartEvents: PART_EVENTS,
        }),
      );
    }
    const aggregate: WorkerProcess[] = [];
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = partitionedStore(client, settings.storeNamespace, 4);
    try {
      for (const name of ['a1', 'a2']) aggregate.push(await spawnAggregateWorker(build, settings, name));
      await waitForPartitions(store, lastSeq, 150_000);
      await expectSameAsReference(store, reference);
      const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
      expect((await dlq.list()).filter((e) => e.kind === 'failed')).toEqual([]);
      await dlq.close();
      // Every partition took part.
      for (const p of store.partitions) expect((await p.stats()).bills).toBeGreaterThan(0);
    } catch (err) {
      dumpOutputs(aggregate);
      throw err;
    } finally {
      await Promise.all(aggregate.map(stopWorkerProcess));
      await Promise.all(ingest.map((w) => w.close()));
      await store.close();
      await client.quit();
    }
  }, 300_000);
});
