/**
 * The differential test of queue mode: the same generated stream of EDI files (X12 and EDIFACT
 * manifests and status messages; amendments, deletions, redelivered interchanges, status before the
 * declaration) goes through the embedded pipeline (SQLite) and through queue mode — the real
 * producer, two ingest workers (in this process), three aggregate workers as separate processes,
 * small parts so inputs span several — and must give identical decisions (decisionId, seq, code,
 * role, channel, total) and person-days. (Embedded batches follow the same part boundaries: see
 * embeddedRun for why.) A SIGTERM to a worker in the middle finishes its job in
 * hand and exits 0.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildProject } from './support/build.js';
import { serviceNormalizers } from './support/normalizers.js';
import { comparable, testSettings, waitForGate, waitForQueueEnd } from './support/queue-fixture.js';
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
  build = buildProject('e2e', ['workers/aggregate.js', 'src/app/queue/worker-settings.js']);
  server = await startRedisServer();
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe('queue mode = embedded mode', () => {
  it('generated traffic: identical decisions and totals with 3 aggregate processes', async () => {
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
    expect(traffic.files.length).toBeGreaterThan(15);
    const { config } = resolveAggregation();
    const PART_EVENTS = 150;
    const reference = await embeddedRun(traffic, config, PART_EVENTS);
    expect(reference.decisions.length).toBeGreaterThan(20);
    expect(reference.duplicates).toBeGreaterThan(0);

    const settings = testSettings(server.url, 'e2e', { concurrency: 2 });
    const topology = queueTopology(settings.queueName);
    const lastSeq = await enqueueAll(traffic, server.url, settings.queueName, settings.bullPrefix);
    expect(lastSeq).toBe(traffic.files.length);

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
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    const parts = new Queue(topology.aggregate, { connection: client, prefix: settings.bullPrefix });
    try {
      for (const name of ['a1', 'a2', 'a3'])
        aggregate.push(await spawnAggregateWorker(build, settings, name));
      // A graceful stop in the middle of the run: the worker finishes its job in hand and exits 0.
      const deadline = Date.now() + 60_000;
      while ((await store.gate()).seq < lastSeq / 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(await stopWorkerProcess(aggregate[0] as WorkerProcess)).toBe(0);

      await waitForGate(store, lastSeq, 120_000);
      const got = comparable(await store.allDecisions(), await store.personDays());
      expect(got.decisions.length).toBe(reference.decisions.length);
      expect(got).toEqual({ decisions: reference.decisions, personDays: reference.personDays });

      // Inputs spanned several parts; duplicates were recognised by the store, as in embedded mode.
      let duplicates = 0;
      let laterParts = 0;
      for (let seq = 1; seq <= lastSeq; seq++) {
        for (let part = 0; ; part++) {
          const outcome = await store.partOutcome(seq, part);
          if (outcome === undefined) break;
          if (part > 0) laterParts++;
          duplicates += outcome.duplicates.length;
          if (outcome.last) break;
        }
      }
      expect(laterParts).toBeGreaterThan(0);
      expect(duplicates).toBe(reference.duplicates);
      // Every part job ended, and applied parts are not kept as jobs (their outcome is the record).
      await waitForQueueEnd(parts, 30_000);
      expect((await parts.getJobCounts('completed')).completed).toBe(0);
      const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
      expect((await dlq.list()).filter((e) => e.kind === 'failed')).toEqual([]);
      await dlq.close();
    } catch (err) {
      dumpOutputs(aggregate);
      throw err;
    } finally {
      await Promise.all(aggregate.map(stopWorkerProcess));
      await Promise.all(ingest.map((w) => w.close()));
      await parts.close();
      await store.close();
      await client.quit();
    }
  }, 300_000);
});
