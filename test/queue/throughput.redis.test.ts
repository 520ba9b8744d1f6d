/**
 * Queue-mode throughput, measured (and checked): generated traffic is ingested once by two ingest
 * workers; the resulting parts are then applied from scratch by 1 and by 2 aggregate worker
 * processes. Both runs must reach the same decisions (those of the embedded pipeline, batch for
 * batch). The figures (shipments/s, where the aggregate time went) are printed for the report; the
 * assertions are about correctness, plus a floor far below what this machine does.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import { startIngestWorker } from '../../workers/ingest.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildProject } from './support/build.js';
import { serviceNormalizers } from './support/normalizers.js';
import { type Comparable, comparable, testSettings, waitForGate } from './support/queue-fixture.js';
import { embeddedRun, enqueueAll, MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';
import { spawnAggregateWorker, stopWorkerProcess, type WorkerProcess } from './support/worker-processes.js';

const SHIPMENTS = Number(process.env.S321_QUEUE_BENCH_SHIPMENTS ?? '20000');
const PART_EVENTS = 5_000;
let build: string;
let server: RedisTestServer;

beforeAll(async () => {
  build = buildProject('throughput', ['workers/aggregate.js', 'src/app/queue/worker-settings.js']);
  server = await startRedisServer();
}, 300_000);
afterAll(async () => {
  await server?.stop();
});

interface Run {
  workers: number;
  ms: number;
  result: Comparable;
  stats: Array<Record<string, number>>;
}

async function aggregateRun(parts: PartJobData[], lastSeq: number, workers: number): Promise<Run> {
  const settings = testSettings(server.url, `bench-${workers}`, { concurrency: 2 });
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  const queue = new Queue<PartJobData>(queueTopology(settings.queueName).aggregate, {
    connection: client,
    prefix: settings.bullPrefix,
  });
  const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
  const procs: WorkerProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) procs.push(await spawnAggregateWorker(build, settings, `b${i}`));
    const started = performance.now();
    await queue.addBulk(
      parts.map((data) => ({ name: 'part', data, opts: { jobId: jobIds.part(data.seq, data.part) } })),
    );
    await waitForGate(store, lastSeq, 240_000);
    const ms = performance.now() - started;
    const result = comparable(await store.allDecisions(), await store.personDays());
    await Promise.all(procs.map(stopWorkerProcess));
    const stats = procs.map((p) => {
      const line = p
        .output()
        .split('\n')
        .find((l) => l.startsWith('stats '));
      return line === undefined ? {} : (JSON.parse(line.slice(6)) as Record<string, number>);
    });
    return { workers, ms, result, stats };
  } finally {
    await Promise.all(procs.map(stopWorkerProcess));
    await queue.close();
    await store.close();
    await client.quit();
  }
}

describe('queue-mode throughput', () => {
  it(`${SHIPMENTS} shipments: 1 and 2 aggregate workers, same decisions`, async () => {
    const traffic = writeTrafficFiles({
      seed: 2025,
      shipments: SHIPMENTS,
      interchangeSize: [100, 400],
      interchangesPerFile: [1, 3],
      foreignCurrency: false,
    });
    const bytes = traffic.files.reduce((n, f) => n + f.bytes.length, 0);

    // Ingest once: producer → 2 ingest workers → parts (kept in the aggregate queue, no consumer yet).
    const settings = testSettings(server.url, 'bench-ingest', { concurrency: 2 });
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const partsQueue = new Queue<PartJobData>(queueTopology(settings.queueName).aggregate, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    const ingestStarted = performance.now();
    const lastSeq = await enqueueAll(traffic, server.url, settings.queueName, settings.bullPrefix);
    const ingest = [
      await startIngestWorker({
        settings,
        ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
        maxPartEvents: PART_EVENTS,
      }),
      await startIngestWorker({
        settings,
        ingest: { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() },
        maxPartEvents: PART_EVENTS,
      }),
    ];
    let parts: PartJobData[] = [];
    const deadline = Date.now() + 240_000;
    for (;;) {
      parts = (await partsQueue.getJobs(['waiting'], 0, 100_000)).map((j) => j.data);
      const closed = new Set(parts.filter((p) => p.last).map((p) => p.seq));
      if (closed.size === lastSeq) break;
      if (Date.now() > deadline) throw new Error(`ingest did not finish: ${closed.size}/${lastSeq} inputs`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ingestMs = performance.now() - ingestStarted;
    await Promise.all(ingest.map((w) => w.close()));
    await partsQueue.close();
    await client.quit();
    const events = parts.reduce((n, p) => n + p.interchanges.reduce((m, ic) => m + ic.events.length, 0), 0);

    const embeddedStarted = performance.now();
    const reference = await embeddedRun(traffic, resolveAggregation().config, PART_EVENTS);
    const embeddedMs = performance.now() - embeddedStarted;

    const one = await aggregateRun(parts, lastSeq, 1);
    const two = await aggregateRun(parts, lastSeq, 2);
    expect(one.result).toEqual({ decisions: reference.decisions, personDays: reference.personDays });
    expect(two.result).toEqual(one.result);

    const rate = (ms: number): number => Math.round((SHIPMENTS / ms) * 1000);
    const lines = [
      `queue-mode throughput, ${SHIPMENTS} shipments (${events} events, ${traffic.files.length} inputs, ${parts.length} parts, ${(bytes / 1e6).toFixed(1)} MB), 2 cores`,
      `  ingest (producer + 2 ingest workers in one process): ${Math.round(ingestMs)} ms = ${rate(ingestMs)} shipments/s`,
      `  embedded reference (ingest + SQLite, one process):    ${Math.round(embeddedMs)} ms = ${rate(embeddedMs)} shipments/s`,
      `  aggregate, 1 worker process:  ${Math.round(one.ms)} ms = ${rate(one.ms)} shipments/s; ${JSON.stringify(one.stats)}`,
      `  aggregate, 2 worker processes: ${Math.round(two.ms)} ms = ${rate(two.ms)} shipments/s; ${JSON.stringify(two.stats)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    // A floor that only a broken gate (parts stuck waiting) would miss.
    expect(rate(one.ms)).toBeGreaterThan(300);
    expect(rate(two.ms)).toBeGreaterThan(300);
  }, 600_000);
});
