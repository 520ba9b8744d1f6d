/**
 * Prometheus metrics (src/adapters/metrics/prometheus.ts) after real traffic: the certification day
 * replayed embedded and run through the queue workers on a real redis-server count the same
 * shipments by mode and decisions by code and channel — equal to the decisions replay wrote — and
 * the rejections by error code. The queue gauges read Redis at each scrape: with no emitter running
 * every decision is emit backlog and the gate has caught up with the inputs; once the emit worker
 * ran the backlog is 0; with Redis unreachable the scrape still answers and says so
 * (s321_queue_read_ok 0). `s321 replay --metrics-file` writes the same counters in the textfile
 * collector's format.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../src/adapters/metrics/prometheus.js';
import { INTERCHANGE_JOB_NAME } from '../../src/adapters/queue/producer-job.js';
import { queueSnapshotReader } from '../../src/adapters/queue/queue-snapshot.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { inboundProfileWithDialects, loadRateTable } from '../../src/app/normalizers.js';
import { ingestJobData } from '../../src/app/queue/ingest-input.js';
import { resolveQueueRuntime } from '../../src/app/queue/runtime-config.js';
import { runReplay } from '../../src/app/replay.js';
import { startWorker } from '../../src/cli/commands/worker.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { waitForGate } from './support/queue-fixture.js';

let server: RedisTestServer;
const scratch = mkdtempSync(join(tmpdir(), 's321-metrics-'));
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

type Sample = { labels: Record<string, string | number>; value: number };
async function samples(m: PrometheusMetrics, name: string): Promise<Sample[]> {
  const all = await m.registry.getMetricsAsJSON();
  return (all.find((x) => x.name === name)?.values ?? []) as Sample[];
}
/** label value(s) → value, e.g. 'truck' → 7, '95|truck-x12-350' → 4. */
async function byLabels(m: PrometheusMetrics, name: string, keys: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await samples(m, name)) out[keys.map((k) => String(s.labels[k])).join('|')] = s.value;
  return out;
}

const files = (dir: string) => readdirSync(dir).sort();

describe('metrics after real traffic', () => {
  it('replay and the queue workers count the same shipments and decisions; queue gauges read Redis', async () => {
    // Embedded: the reference.
    const rates = await loadRateTable('config/currency-rates.json');
    const replayMetrics = new PrometheusMetrics({ role: 'replay', processMetrics: false });
    const out = join(scratch, 'replay');
    const summary = await runReplay({
      inputs: [FIXTURE_DAY],
      dbPath: join(out, 's.db'),
      outDir: out,
      now: '2025-06-10T18:00',
      normalize: { rates, profile: inboundProfileWithDialects(['QUICKAIR=s321-companion']) },
      metrics: replayMetrics,
    });
    const decided: Record<string, number> = {};
    for (const line of readFileSync(join(out, 'decisions.jsonl'), 'utf8').trim().split('\n')) {
      const d = JSON.parse(line) as { code: string; channel: string };
      decided[`${d.code}|${d.channel}`] = (decided[`${d.code}|${d.channel}`] ?? 0) + 1;
    }
    expect(Object.keys(decided).length).toBeGreaterThan(2);
    expect(await byLabels(replayMetrics, 's321_decisions_total', ['code', 'channel'])).toEqual(decided);
    const shipments = await byLabels(replayMetrics, 's321_shipments_total', ['mode']);
    expect(Object.values(shipments).reduce((a, b) => a + b, 0)).toBe(
      summary.shipments + summary.statusEvents,
    );
    expect(Object.keys(shipments).sort()).toEqual(['air', 'ocean', 'truck']);
    const rejections = await byLabels(replayMetrics, 's321_rejections_total', ['code']);
    expect(rejections).toMatchObject({ NORMALIZE_UNKNOWN_CURRENCY: 1, X12_SE_COUNT: 1 });

    // Queue mode: the same inputs through the ingest and aggregate workers, no emitter yet.
    const opts = {
      redisUrl: server.url,
      queue: 'metrics',
      partitions: 0, // the one-gate store, as before partitions became the default
      rates: 'config/currency-rates.json',
      now: '2025-06-10T18:00',
      out: join(scratch, 'queue', 'outbound'),
    };
    const runtime = await resolveQueueRuntime(opts, {}, () => {});
    runtime.settings.dialects = ['QUICKAIR=s321-companion'];
    const metrics = new PrometheusMetrics({ role: 'serve' });
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const snapshot = queueSnapshotReader(client, runtime.settings);
    metrics.watchQueues(() => snapshot.read());
    const topology = queueTopology(runtime.settings.queueName);
    const inputs = new Queue(topology.ingest, { connection: client, prefix: runtime.settings.bullPrefix });
    const store = new RedisDecisionStore({ client, namespace: runtime.settings.storeNamespace });
    const names = files(FIXTURE_DAY);
    const workers: RunningWorker[] = [];
    try {
      // Enqueued as the producer does (its sequence key too): the gauges see the inputs issued.
      await client.set(
        `s321:${runtime.settings.bullPrefix}:${runtime.settings.queueName}:arrival-seq`,
        names.length,
      );
      await inputs.addBulk(
        names.map((f, i) => ({
          name: INTERCHANGE_JOB_NAME,
          data: ingestJobData(i + 1, f, readFileSync(join(FIXTURE_DAY, f))),
          opts: { jobId: jobIds.ingest(i + 1) },
        })),
      );
      const before = await byLabels(metrics, 's321_gate_lag_inputs', []);
      expect(before['']).toBe(names.length);
      for (const kind of ['ingest', 'aggregate'] as const)
        workers.push(await startWorker(kind, runtime, { ...opts, logLevel: 'silent' }, metrics));
      await waitForGate(store, names.length, 60_000);

      expect(await byLabels(metrics, 's321_decisions_total', ['code', 'channel'])).toEqual(decided);
      expect(await byLabels(metrics, 's321_shipments_total', ['mode'])).toEqual(shipments);
      expect(await byLabels(metrics, 's321_rejections_total', ['code'])).toEqual(rejections);
      expect((await byLabels(metrics, 's321_gate_lag_inputs', []))['']).toBe(0);
      const backlog = await byLabels(metrics, 's321_emit_backlog', ['kind']);
      expect(backlog.decisions).toBe(summary.decisions);
      const jobs = await byLabels(metrics, 's321_queue_jobs', ['queue', 'state']);
      expect(jobs['metrics|completed']).toBe(names.length);
      expect(jobs['metrics-dead-letter|wait']).toBeGreaterThan(0); // the rejected inputs' entries
      expect((await byLabels(metrics, 's321_dead_letters', []))['']).toBe(jobs['metrics-dead-letter|wait']);
      expect((await byLabels(metrics, 's321_queue_read_ok', []))['']).toBe(1);

      // The emitter drains the backlog.
      workers.push(await startWorker('emit', runtime, { ...opts, logLevel: 'silent' }, metrics));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const now = await byLabels(metrics, 's321_emit_backlog', ['kind']);
        if (now.decisions === 0 && now.files === 0) break;
        if (Date.now() > deadline) throw new Error(`emit backlog stays ${JSON.stringify(now)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Process metrics come along, with the role label.
      const text = await metrics.metrics();
      expect(text).toMatch(/^s321_process_resident_memory_bytes\{role="serve"\} \d+/m);
      expect(text).toContain('s321_decisions_total{code="95",channel="truck-x12-350",role="serve"}');
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await snapshot.close();
      await inputs.close();
      await client.quit();
    }

    // Redis gone: the scrape still answers, and says it could not read the queues.
    const gone = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    gone.on('error', () => {});
    const down = new PrometheusMetrics({ role: 'serve', processMetrics: false });
    const unreachable = queueSnapshotReader(gone, runtime.settings);
    down.watchQueues(() => unreachable.read());
    expect((await byLabels(down, 's321_queue_read_ok', []))['']).toBe(0);
    expect((await byLabels(down, 's321_gate_lag_inputs', []))['']).toBeNaN();
    expect(await samples(down, 's321_emit_backlog')).toEqual([]);
    gone.disconnect();
  }, 180_000);

  it('s321 replay --metrics-file writes the counters for the textfile collector', () => {
    const out = join(scratch, 'cli');
    const file = join(scratch, 's321_replay.prom');
    const r = spawnSync(
      process.execPath,
      [
        'dist/src/cli/main.js',
        'replay',
        FIXTURE_DAY,
        '--db',
        join(out, 's.db'),
        '--out',
        out,
        ...FIXTURE_REPLAY_OPTIONS,
        '--metrics-file',
        file,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(2); // the day has rejections on purpose
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# TYPE s321_decisions_total counter');
    expect(text).toMatch(/^s321_decisions_total\{code="95",channel="truck-x12-350",role="replay"\} 4$/m);
    expect(text).toMatch(/^s321_rejections_total\{code="X12_SE_COUNT",role="replay"\} 1$/m);
    expect(text).not.toContain('process_resident_memory');
    expect(readdirSync(scratch).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
