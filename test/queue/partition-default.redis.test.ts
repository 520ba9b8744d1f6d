/**
 * Partitioned queue mode is the default for a new namespace (issue #15), and only for a new one:
 *  - a namespace with nothing recorded, started with no partition setting, records and runs
 *    DEFAULT_PARTITIONS partitions (router record, a worker on each partition's queue, the
 *    partitions' gates moved and not the one gate), deciding as embedded mode;
 *  - a one-gate namespace — one from before counts were recorded (its gate set, no record), or one
 *    created with `partitions: 0` (0 recorded) — started with no setting keeps its one gate and
 *    decides as embedded mode over the inputs before and after the restart;
 *  - a setting that differs from the store's count is refused both ways, by every role.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus.js';
import { queueSnapshotReader } from '../../src/adapters/queue/queue-snapshot.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { StorePartitionsMismatchError } from '../../src/adapters/store/redis/partition-router.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { routerKeys, storeKeys } from '../../src/adapters/store/redis/store-keys.js';
import {
  claimStorePartitions,
  DEFAULT_PARTITIONS,
  resolveStorePartitions,
} from '../../src/adapters/store/redis/store-partitions.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { WorkerSettings } from '../../src/app/queue/worker-settings.js';
import { startServeHttp } from '../../src/cli/commands/serve-http.js';
import { type AdapterLogger, createLogger } from '../../src/config/logger.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import { startEmitWorker } from '../../workers/emit.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { expectSameAsReference, partitionedStore, waitForPartitions } from './support/partitioned-fixture.js';
import { comparable, testSettings, waitForGate } from './support/queue-fixture.js';
import {
  embeddedRun,
  enqueueAll,
  MAX_BYTES,
  type TrafficFiles,
  writeTrafficFiles,
} from './support/traffic-run.js';

const PART_EVENTS = 150;

let server: RedisTestServer;
let client: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: null });
}, 60_000);

afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

/** testSettings without a partition setting: what an operator who gives none runs. */
function unsetSettings(queueName: string): WorkerSettings {
  const { partitions: _none, ...settings } = testSettings(server.url, queueName);
  return settings;
}

/** A logger keeping its info lines' messages. */
function recordingLogger(): AdapterLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: () => {},
    info: (_obj, msg) => lines.push(msg ?? ''),
    warn: () => {},
    error: () => {},
  };
}

function traffic(seed: number): TrafficFiles {
  return writeTrafficFiles({
    seed,
    shipments: 1_500,
    interchangeSize: [20, 80],
    interchangesPerFile: [1, 3],
    duplicateRate: 0.05,
    amendRate: 0.06,
    deleteRate: 0.02,
    statusAheadRate: 0.15,
    foreignCurrency: false,
    days: 2,
  });
}

async function startIngest(settings: WorkerSettings): Promise<RunningWorker> {
  return startIngestWorker({
    settings,
    ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
    maxPartEvents: PART_EVENTS,
  });
}

describe('partitioned queue mode by default', () => {
  it('a new namespace with no setting is created with the default partitions and decides as embedded mode', async () => {
    const files = traffic(1501);
    const reference = await embeddedRun(files, resolveAggregation().config, PART_EVENTS);
    expect(reference.decisions.length).toBeGreaterThan(5);
    const settings = unsetSettings('pdef-new');
    expect(settings.partitions).toBeUndefined();
    const lastSeq = await enqueueAll(files, server.url, settings.queueName, settings.bullPrefix);
    const logger = recordingLogger();
    const workers = [await startIngest(settings), await startAggregateWorker({ settings, logger })];
    const store = partitionedStore(client, settings.storeNamespace, DEFAULT_PARTITIONS);
    const topology = queueTopology(settings.queueName);
    const queues = Array.from(
      { length: DEFAULT_PARTITIONS + 1 },
      (_, p) => new Queue(topology.partition(p), { connection: client, prefix: settings.bullPrefix }),
    );
    try {
      expect(logger.lines).toContain(
        `store pdef-new: ${DEFAULT_PARTITIONS} partitions (the default for a new store), recorded for this store`,
      );
      expect(await client.hget(routerKeys(settings.storeNamespace).meta, 'partitions')).toBe(
        String(DEFAULT_PARTITIONS),
      );
      // The worker took one BullMQ worker per partition queue, and no more (each connects on its own).
      const workersOn = async (q: Queue): Promise<number> => (await q.getWorkers()).length;
      const deadline = Date.now() + 20_000;
      const listening = async () => Promise.all(queues.map(workersOn));
      let counts = await listening();
      while (counts.slice(0, DEFAULT_PARTITIONS).some((n) => n === 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        counts = await listening();
      }
      expect(counts).toEqual([...new Array<number>(DEFAULT_PARTITIONS).fill(1), 0]);
      await waitForPartitions(store, lastSeq, 90_000);
      await expectSameAsReference(store, reference);
      // The state is in the partitions, none through the one gate.
      expect(await client.hget(storeKeys(settings.storeNamespace).meta, 'gseq')).toBeNull();
      const withBills = (await Promise.all(store.partitions.map((p) => p.stats()))).filter(
        (s) => s.bills > 0,
      );
      expect(withBills.length).toBeGreaterThan(DEFAULT_PARTITIONS / 2);
      // The queue gauges follow the partitions: the router's gate, every partition's backlog.
      const snapshot = queueSnapshotReader(client, settings);
      const read = await snapshot.read();
      await snapshot.close();
      expect(read.gateLagInputs).toBe(0);
      expect(read.pendingDecisions).toBe(reference.decisions.length);
      expect(read.partitions?.map((p) => p.partition)).toEqual([...Array(DEFAULT_PARTITIONS).keys()]);
      expect(read.partitions?.every((p) => p.gateLagRoutings === 0)).toBe(true);
      expect(read.partitions?.reduce((n, p) => n + p.pendingDecisions, 0)).toBe(reference.decisions.length);
      // serve's HTTP API reads the partitions: its person-day listing is the partitioned store's
      // person-days (checked against embedded mode above); its pre-check starts from the listed total.
      const http = await startServeHttp(
        { host: '127.0.0.1', port: 0, dashboard: false },
        { settings, aggregation: {} },
        new PrometheusMetrics({ role: 'serve', processMetrics: false }),
        [],
        createLogger({ level: 'silent' }),
      );
      try {
        const listed: Array<[string, string, number]> = [];
        const consignee = { name: 'ACME', idQualifier: '24', id: '10-5541071' };
        let cursor: string | undefined;
        for (let page = 0; page < 100; page++) {
          const answer = await fetch(
            `${http.url}/v1/person-days?limit=1000${cursor === undefined ? '' : `&cursor=${cursor}`}`,
          );
          expect(answer.status).toBe(200);
          const body = (await answer.json()) as {
            items: Array<{ day: string; consigneeKey: string; totalCents: number }>;
            next?: string;
          };
          for (const pd of body.items) listed.push([pd.day, pd.consigneeKey, pd.totalCents]);
          cursor = body.next;
          if (cursor === undefined) break;
        }
        const held = (await store.personDays()).map((pd) => [pd.day, pd.consigneeKey, pd.totalCents]);
        expect(held.length).toBeGreaterThan(0);
        expect(listed).toEqual(held);
        const precheck = await fetch(`${http.url}/v1/precheck`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            shipment: {
              bill: 'ABCD/NEW1',
              consignee,
              day: '2025-06-10',
              value: '10.00',
              mode: 'truck',
            },
          }),
        });
        expect(precheck.status).toBe(200);
        const { answers } = (await precheck.json()) as {
          answers: Array<{ consigneeKey: string; currentTotalCents: number; counted: boolean }>;
        };
        expect(answers.length).toBe(1);
        const answer = answers[0] as (typeof answers)[number];
        expect(answer.counted).toBe(true);
        const listedTotal = listed.find(([day, ck]) => day === '2025-06-10' && ck === answer.consigneeKey);
        expect(answer.currentTotalCents).toBe(listedTotal?.[2] ?? 0);
      } finally {
        await http.close();
      }
      // Later processes adopt the record.
      await expect(resolveStorePartitions(client, settings.storeNamespace, undefined)).resolves.toEqual({
        partitions: DEFAULT_PARTITIONS,
        source: 'recorded',
      });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      await store.close();
    }
  }, 180_000);

  it('a one-gate namespace started with no setting keeps its one gate and decides as embedded mode', async () => {
    const files = traffic(1502);
    const cut = [Math.floor(files.files.length / 3), Math.floor((2 * files.files.length) / 3)];
    const phases: TrafficFiles[] = [
      { ...files, files: files.files.slice(0, cut[0]) },
      { ...files, files: files.files.slice(cut[0], cut[1]) },
      { ...files, files: files.files.slice(cut[1]) },
    ];
    const reference = await embeddedRun(files, resolveAggregation().config, PART_EVENTS);
    expect(reference.decisions.length).toBeGreaterThan(5);
    const name = 'pdef-gate';
    const meta = routerKeys(name).meta;
    const store = new RedisDecisionStore({ client, namespace: name });
    // Runs one phase's inputs with fresh workers of `settings`; returns their start log lines.
    const run = async (settings: WorkerSettings, phase: TrafficFiles): Promise<string[]> => {
      const lastSeq = await enqueueAll(phase, server.url, settings.queueName, settings.bullPrefix);
      const logger = recordingLogger();
      const workers = [await startIngest(settings), await startAggregateWorker({ settings, logger })];
      try {
        await waitForGate(store, lastSeq, 90_000);
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
      return logger.lines;
    };
    try {
      // 1. Created with one gate, asked for explicitly: 0 is recorded.
      expect(
        await run(testSettings(server.url, name, { partitions: 0 }), phases[0] as TrafficFiles),
      ).toContain(`store ${name}: one gate (no partitions), as configured, recorded for this new store`);
      expect(await client.hget(meta, 'partitions')).toBe('0');
      // 2. No setting: the recorded 0 is adopted.
      expect(await run(unsetSettings(name), phases[1] as TrafficFiles)).toContain(
        `store ${name}: one gate (no partitions), as recorded in the store`,
      );
      // 3. A store from before counts were recorded (only its gate says it is a one-gate store):
      //    no setting keeps its gate, and records nothing.
      await client.hdel(meta, 'partitions');
      expect(await run(unsetSettings(name), phases[2] as TrafficFiles)).toContain(
        `store ${name}: one gate (no partitions): the store was applied to with one gate before partition counts were recorded`,
      );
      expect(await client.exists(meta)).toBe(0);
      expect(comparable(await store.allDecisions(), await store.personDays())).toEqual({
        decisions: reference.decisions,
        personDays: reference.personDays,
      });
    } finally {
      await store.close();
    }
  }, 240_000);

  it('a setting that differs from the store count is refused by every role, both ways', async () => {
    // Partitioned store (4 recorded) vs one gate and vs another count.
    await expect(claimStorePartitions(client, 'pdef-four', 4)).resolves.toEqual({
      partitions: 4,
      source: 'configured',
    });
    // A process with no setting adopts the record, whoever made it (here: not the default).
    await expect(claimStorePartitions(client, 'pdef-four', undefined)).resolves.toEqual({
      partitions: 4,
      source: 'recorded',
    });
    for (const partitions of [0, 8, DEFAULT_PARTITIONS]) {
      const settings = testSettings(server.url, 'pdef-four', { partitions });
      await expect(startAggregateWorker({ settings })).rejects.toBeInstanceOf(StorePartitionsMismatchError);
      await expect(startEmitWorker({ settings, emit: async () => ({ files: 0 }) })).rejects.toMatchObject({
        code: 'STORE_PARTITIONS_MISMATCH',
        stored: 4,
        mine: partitions,
      });
      await expect(resolveStorePartitions(client, 'pdef-four', partitions)).rejects.toBeInstanceOf(
        StorePartitionsMismatchError,
      );
    }
    // One-gate store from before counts were recorded (its gate set, nothing recorded).
    await client.hset(storeKeys('pdef-old').meta, 'gseq', '3', 'gpart', '0', 'gdone', '1');
    for (const partitions of [1, DEFAULT_PARTITIONS]) {
      const settings = testSettings(server.url, 'pdef-old', { partitions });
      await expect(startAggregateWorker({ settings })).rejects.toMatchObject({ stored: 0, mine: partitions });
      await expect(startEmitWorker({ settings, emit: async () => ({ files: 0 }) })).rejects.toMatchObject({
        stored: 0,
        mine: partitions,
      });
    }
    await expect(claimStorePartitions(client, 'pdef-old', 0)).resolves.toEqual({
      partitions: 0,
      source: 'gate',
    });
    expect(await client.exists(routerKeys('pdef-old').meta)).toBe(0);
  }, 60_000);

  it('/metrics shows each partition: its lag behind the router, its queued parts, its pending decisions', async () => {
    const name = 'pdef-gauges';
    await claimStorePartitions(client, name, 3);
    // 5 input parts routed; partition 1 applied routing 5, partition 2 closed 3, partition 0 is
    // inside routing 4 (part 0 applied, more to come); one part job waits in partition 2's queue.
    await client.hset(routerKeys(name).meta, 'rseq', '5', 'gseq', '5', 'gpart', '0', 'gdone', '1');
    await client.hset('s321:{pdef-gauges#p0}:meta', 'gseq', '4', 'gpart', '0', 'gdone', '0');
    await client.hset('s321:{pdef-gauges#p1}:meta', 'gseq', '5', 'gpart', '0', 'gdone', '1');
    await client.hset('s321:{pdef-gauges#p2}:meta', 'gseq', '3', 'gpart', '0', 'gdone', '1');
    const settings = testSettings(server.url, name, { partitions: 3 });
    const p2 = new Queue(queueTopology(name).partition(2), {
      connection: client,
      prefix: settings.bullPrefix,
    });
    await p2.add('part', { partition: 2, seq: 4, part: 0 }, { jobId: 'agg-4-0', delay: 60_000 });
    const metrics = new PrometheusMetrics({ role: 'serve', processMetrics: false });
    const snapshot = queueSnapshotReader(client, settings);
    metrics.watchQueues(() => snapshot.read());
    try {
      const text = await metrics.metrics();
      const sample = (metric: string, p: number): number => {
        const m = new RegExp(`^${metric}\\{[^}]*partition="${p}"[^}]*\\} (\\S+)$`, 'm').exec(text);
        if (m === null) throw new Error(`no ${metric} for partition ${p} in:\n${text}`);
        return Number(m[1]);
      };
      expect([0, 1, 2].map((p) => sample('s321_partition_gate_lag_routings', p))).toEqual([2, 0, 2]);
      expect([0, 1, 2].map((p) => sample('s321_partition_parts_queued', p))).toEqual([0, 0, 1]);
      expect([0, 1, 2].map((p) => sample('s321_partition_pending_decisions', p))).toEqual([0, 0, 0]);
      expect(text).toMatch(/^s321_gate_lag_inputs\{[^}]*\} 0$/m);
    } finally {
      await snapshot.close();
      await p2.close();
    }
  }, 60_000);
});
