/**
 * Issue #15: partitioned queue mode end to end on a real 3-master Redis Cluster on 127.0.0.1,
 * started by the project's own script (scripts/redis-cluster.sh), every process the CLI as an
 * operator runs it with `--redis-cluster`: `s321 enqueue` (the real producer), two `s321 worker
 * ingest`, two `s321 worker aggregate --partitions 4` and one `s321 worker emit`, each its own OS
 * process. The same generated EDI traffic as partitioned-end-to-end.redis.test.ts (X12 and
 * EDIFACT manifests and status messages, amendments, deletions, redelivered interchanges, status
 * before the declaration) gives the embedded pipeline's decisions and person-days (SQLite, the
 * same part boundaries), and the emit worker writes every decision in exactly one outbound file,
 * byte for byte the file recorded in the store. BullMQ's queues and the partitions' stores land on
 * more than one master (their hash tags), so the cluster is really used, not one node of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/adapters/clock/system-clock.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { partitionStoreKeys } from '../../src/adapters/store/redis/store-keys.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { OutboundRecord } from '../../src/ports/decision-store.js';
import { buildProject } from './support/build.js';
import { expectSameAsReference, partitionedStore, waitForPartitions } from './support/partitioned-fixture.js';
import { startTestCluster, type TestCluster } from './support/test-cluster.js';
import { embeddedRun, writeTrafficFiles } from './support/traffic-run.js';
import { stopWorkerProcess, type WorkerProcess, whenStarted } from './support/worker-processes.js';

const QUEUE = 'cle2e';
const PARTITIONS = 4;
const PART_EVENTS = 500;
const dir = mkdtempSync(join(tmpdir(), 's321-cluster-e2e-'));
let build: string;
let nodes = '';
let testCluster: TestCluster;
let cluster: Cluster;

beforeAll(async () => {
  build = buildProject('cluster-e2e', ['src/cli/main.js']);
  testCluster = await startTestCluster(dir);
  nodes = testCluster.nodes;
  cluster = testCluster.client;
}, 300_000);

afterAll(async () => {
  await testCluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `s321 worker <kind> --redis-cluster …` as its own process; resolves once it said it started. */
function startCliWorker(
  kind: 'ingest' | 'aggregate' | 'emit',
  name: string,
  extra: string[],
): Promise<WorkerProcess> {
  const args = [join(build, 'src/cli/main.js'), 'worker', kind, '--redis-cluster', nodes, '--queue', QUEUE];
  const child = spawn(process.execPath, [...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  return whenStarted(child, name, `s321 worker ${kind}:`, 30_000);
}

/** The master serving each key (CLUSTER KEYSLOT, then CLUSTER SLOTS). */
async function mastersOf(keys: readonly string[]): Promise<Set<string>> {
  const slots = await cluster.cluster('SLOTS');
  const out = new Set<string>();
  for (const key of keys) {
    const slot = Number(await cluster.cluster('KEYSLOT', key));
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    const master = range?.[2];
    if (master !== undefined) out.add(`${master[0]}:${master[1]}`);
  }
  return out;
}

describe('partitioned queue mode on a 3-master Redis Cluster, CLI processes', () => {
  it('enqueue → 2 ingest → 2 aggregate (P = 4) → emit: embedded decisions, every decision in one file', async () => {
    const traffic = writeTrafficFiles({
      seed: 1515,
      shipments: 3_000,
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
    // The embedded emitter on the embedded store: which decisions go out in files, and which stay
    // pending because their file cannot be generated (the emitter's issues; the same in both modes).
    let stuck: string[] = [];
    const reference = await embeddedRun(traffic, config, PART_EVENTS, async (embedded) => {
      // Its own folder: the records/ folder (JSON twins) sits beside outbound/.
      const refDirs = { outbound: join(dir, 'ref', 'outbound'), acks: join(dir, 'ref', 'acks') };
      await emitOutbound(embedded, refDirs, systemClock());
      stuck = (await embedded.pendingDecisions()).map((d) => d.decisionId).sort();
    });
    expect(reference.decisions.length).toBeGreaterThan(20);
    expect(reference.duplicates).toBeGreaterThan(0);

    const out = join(dir, 'run', 'outbound');
    const acks = join(dir, 'run', 'acks');
    const processes: WorkerProcess[] = [];
    const store = partitionedStore(cluster as unknown as Redis, QUEUE, PARTITIONS);
    try {
      const partitions = ['--partitions', String(PARTITIONS)];
      for (const n of [1, 2])
        processes.push(await startCliWorker('ingest', `ingest-${n}`, ['--part-events', String(PART_EVENTS)]));
      for (const n of [1, 2]) processes.push(await startCliWorker('aggregate', `aggregate-${n}`, partitions));
      processes.push(await startCliWorker('emit', 'emit', [...partitions, '--out', out, '--acks', acks]));

      // The producer: one `s321 enqueue` of every file, in the embedded run's order.
      const enqueued = spawnSync(
        process.execPath,
        [
          join(build, 'src/cli/main.js'),
          'enqueue',
          '--partner',
          'TESTPARTNER',
          '--redis-cluster',
          nodes,
          '--queue',
          QUEUE,
          '--json',
          ...traffic.files.map((f) => f.path),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(enqueued.status, enqueued.stderr).toBe(0);
      const lines = enqueued.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { file: string; sequence: number });
      expect(lines.map((l) => [l.file, l.sequence])).toEqual(traffic.files.map((f, i) => [f.name, i + 1]));

      await waitForPartitions(store, traffic.files.length, 240_000);
      await expectSameAsReference(store, reference);
      for (const p of store.partitions) expect((await p.stats()).bills).toBeGreaterThan(0);

      // The emit worker wrote every partition's decisions that the embedded emitter sends: each in
      // exactly one file, each file on disk the one its record holds; the others stay pending.
      const deadline = Date.now() + 120_000;
      for (;;) {
        const stats = await Promise.all(store.partitions.map((p) => p.stats()));
        const pending = stats.reduce((n, s) => n + s.pending, 0);
        if (pending <= stuck.length && stats.every((s) => s.unwritten === 0)) break;
        if (Date.now() > deadline) throw new Error(`decisions still pending: ${JSON.stringify(stats)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const pendingIds = (await Promise.all(store.partitions.map((p) => p.pendingDecisions())))
        .flat()
        .map((d) => d.decisionId)
        .sort();
      expect(pendingIds).toEqual(stuck);
      const emitted: string[] = [];
      let files = 0;
      for (let p = 0; p < PARTITIONS; p++) {
        for (const json of await cluster.hvals(partitionStoreKeys(QUEUE, p).outboundFiles)) {
          const record = JSON.parse(json) as OutboundRecord;
          // The report channel's JSON lines go to records/ beside outbound/ (emit-outbound.ts).
          const folder = record.channel === 'report' ? join(dir, 'run', 'records') : out;
          expect(readFileSync(join(folder, record.name), record.charset ?? 'utf8')).toBe(record.content);
          emitted.push(...record.decisionIds);
          files += 1;
        }
      }
      expect(files).toBeGreaterThan(PARTITIONS);
      const sent = reference.decisions.map((d) => d[0]).filter((id) => !stuck.includes(id));
      expect(sent.length).toBeGreaterThan(20);
      expect(emitted.sort()).toEqual(sent.sort());
      // Acknowledgments, one per inbound interchange (the shared store's files), went out too.
      expect(readdirSync(acks).length).toBeGreaterThan(traffic.files.length);

      // The work really spread over the cluster: the partitions' stores and the queues' keys
      // (each queue its own hash tag) are served by more than one master.
      const storeMasters = await mastersOf(
        Array.from({ length: PARTITIONS }, (_, p) => partitionStoreKeys(QUEUE, p).meta),
      );
      expect(storeMasters.size).toBeGreaterThan(1);
      const topology = queueTopology(QUEUE);
      const queueMeta = [
        topology.ingest,
        topology.aggregate,
        topology.emit,
        ...Array.from({ length: PARTITIONS }, (_, p) => topology.partition(p)),
      ].map((q) => `bull:{${q}}:${q}:meta`);
      for (const key of queueMeta) expect(await cluster.exists(key), key).toBe(1);
      expect((await mastersOf(queueMeta)).size).toBeGreaterThan(1);

      // Every worker stops cleanly on SIGTERM (exit 0).
      expect(await Promise.all(processes.splice(0).map(stopWorkerProcess))).toEqual([0, 0, 0, 0, 0]);
    } catch (err) {
      for (const p of processes) process.stderr.write(`--- ${p.name} ---\n${p.output().slice(-3000)}\n`);
      throw err;
    } finally {
      await Promise.all(processes.map(stopWorkerProcess));
      await store.close();
      if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    }
  }, 420_000);
});
