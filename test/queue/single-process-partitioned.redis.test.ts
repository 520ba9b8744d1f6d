/**
 * The single-process layout (`s321 serve` without its emitter) with partitions (issue #15):
 * drop-folder intake → producer → ingest and a partitioned aggregate worker in one process, as
 * `s321 serve --partitions 4` composes them. Every upload is routed and applied in every
 * partition, and the decisions (all but their per-partition seq) and person-days are those of the
 * embedded pipeline over the same files in arrival order.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropFolder } from '../../src/adapters/inbox/drop-folder.js';
import { createProducer } from '../../src/adapters/queue/producer.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import { runIntake } from '../../src/app/queue/intake.js';
import { silentLogger } from '../../src/config/logger.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { expectSameAsReference, waitForPartitions } from './support/partitioned-fixture.js';
import { testSettings } from './support/queue-fixture.js';
import { embeddedRun, MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';

let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('single-process layout, partitioned', () => {
  it('drop folder → producer → workers with P = 4: archived, quarantined, decisions as embedded', async () => {
    const traffic = writeTrafficFiles({
      seed: 11,
      shipments: 1_500,
      interchangeSize: [20, 80],
      interchangesPerFile: [1, 2],
      foreignCurrency: false,
      statusAheadRate: 0.1,
    });
    const data = mkdtempSync(join(tmpdir(), 's321-serve-p-'));
    const dirs = {
      inbox: join(data, 'inbox'),
      processing: join(data, 'processing'),
      archive: join(data, 'archive'),
      quarantine: join(data, 'quarantine'),
    };
    const drop = await DropFolder.open({
      dirs,
      ledgerPath: join(data, 'ledger.jsonl'),
      maxFileBytes: MAX_BYTES,
      pollIntervalMs: 50,
      stablePolls: 1,
    });
    for (const f of traffic.files) writeFileSync(join(dirs.inbox, f.name), f.bytes);
    writeFileSync(join(dirs.inbox, 'empty.edi'), '');

    const settings = testSettings(server.url, 'single-p', { partitions: 4 });
    const producer = await createProducer({
      connection: server.url,
      queueName: settings.queueName,
      prefix: settings.bullPrefix,
      maxBytes: MAX_BYTES,
    });
    const workers: RunningWorker[] = [
      await startIngestWorker({
        settings,
        ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
        maxPartEvents: 5_000,
      }),
      await startAggregateWorker({ settings }),
    ];
    const stop = new AbortController();
    const intake = runIntake(drop, producer, 'drop-folder', stop.signal, silentLogger);
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = new PartitionedRedisStore({ client, namespace: settings.storeNamespace, partitions: 4 });
    const ingestQueue = new Queue(queueTopology(settings.queueName).ingest, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    try {
      // Every input routed, and every partition past the last routing.
      await waitForPartitions(store, traffic.files.length, 90_000);
      // Arrival order is claim order: the embedded reference reads the files in that order.
      const jobs = await ingestQueue.getJobs(['completed'], 0, 1000);
      const order = jobs
        .map((j) => j.data as { seq: number; name: string })
        .sort((a, b) => a.seq - b.seq)
        .map((d) => d.name);
      expect([...order].sort()).toEqual(traffic.files.map((f) => f.name).sort());
      const byName = new Map(traffic.files.map((f) => [f.name, f]));
      const reference = await embeddedRun(
        { ...traffic, files: order.map((n) => byName.get(n) as (typeof traffic.files)[number]) },
        resolveAggregation().config,
        5_000,
      );
      // A decision's seq is per partition; everything else is embedded mode's.
      expect(reference.decisions.length).toBeGreaterThan(0);
      await expectSameAsReference(store, reference);

      const archived = readdirSync(dirs.archive, { recursive: true })
        .map(String)
        .filter((p) => p.endsWith('.x12') || p.endsWith('.edi'));
      expect(archived.length).toBe(traffic.files.length);
      const quarantined = readdirSync(dirs.quarantine);
      expect(quarantined.filter((n) => n.startsWith('empty.edi'))).toHaveLength(2); // the file and its reason
      const reason = readFileSync(
        join(dirs.quarantine, quarantined.find((n) => n.endsWith('.reason.json')) as string),
        'utf8',
      );
      expect(reason).toContain('INTAKE_NOT_EDI');
    } finally {
      stop.abort();
      await intake;
      await producer.close();
      await Promise.all(workers.map((w) => w.close()));
      await ingestQueue.close();
      await store.close();
      await client.quit();
    }
  }, 120_000);
});
