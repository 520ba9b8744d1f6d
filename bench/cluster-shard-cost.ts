/**
 * Per-shard cost of partitioned queue mode on a real 3-master Redis Cluster (issue #15), for the
 * N-machine projection in docs/queue-mode.md (Redis Cluster):
 *
 *   npm run build && node dist/bench/generate.js --out /tmp/d100k --shipments 100k --seed 321
 *   npm run bench:cluster -- --dir /tmp/d100k [--partitions 6] [--aggregate-workers 2] [--slowlog on|off] [--json FILE]
 *
 * Starts a cluster with scripts/redis-cluster.sh (127.0.0.1, temp dir, torn down after), two
 * `s321 worker ingest --redis-cluster` processes, enqueues every file with the real producer and
 * waits until all are ingested; then, with every master's statistics reset, starts the aggregate
 * workers (`s321 worker aggregate --partitions P --redis-cluster`) and waits until the router and
 * every partition have applied everything. For that aggregate phase it reports, per master:
 *  - Redis' own execution time of the commit script (lua/commit-batch.lua), of the routing script
 *    and of everything else, from SLOWLOG with a threshold of 0 (every command, its duration in
 *    µs as Redis measured it: the script's run, not the network), keyed by the scripts' SHA1;
 *  - the shipment events committed in the partitions it serves (their part outcome records);
 *  - used_cpu_sys + used_cpu_user (INFO cpu) and INFO commandstats totals, deltas over the phase;
 * and the aggregate worker processes' CPU time (/proc), so µs per event on each side.
 * What it cannot show on one 2-core machine: network round trips (all on loopback) and shards
 * running in parallel on their own cores (every process shares the same two).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Cluster, type Redis } from 'ioredis';
import { createProducer } from '../src/adapters/queue/producer.js';
import { bullQueuePrefix, queueTopology } from '../src/adapters/queue/queue-topology.js';
import { scriptSource } from '../src/adapters/store/redis/lua-scripts.js';
import { PartitionedRedisStore } from '../src/adapters/store/redis/partitioned-store.js';
import { partitionStoreKeys } from '../src/adapters/store/redis/store-keys.js';
import { listInputs } from './stages/read-files.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const SCRIPT = join(ROOT, 'scripts/redis-cluster.sh');
const QUEUE = 'bench-cl';
const MAX_BYTES = 256 * 1024 * 1024;

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    if (port <= 55_000) return port; // the cluster bus listens on port + 10000
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** CPU time of a process (utime + stime, clock ticks of 10 ms), ms. */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

function cliWorker(nodes: string, kind: string, extra: string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'worker', kind, '--redis-cluster', nodes, '--queue', QUEUE, '--log-level', 'warn', ...extra],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  return new Promise((res, rej) => {
    child.stderr?.on('data', (b: Buffer) => {
      err += b.toString();
      if (err.includes(`s321 worker ${kind}:`)) res(child);
    });
    child.once('exit', (code) => rej(new Error(`worker ${kind} exited ${code}:\n${err}`)));
  });
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

function infoField(info: string, field: string): number {
  const m = new RegExp(`^${field}:([\\d.]+)`, 'm').exec(info);
  return m?.[1] !== undefined ? Number(m[1]) : 0;
}

/** INFO commandstats → command → { calls, usec }. */
function commandStats(info: string): Map<string, { calls: number; usec: number }> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    out.set(m[1] as string, { calls: Number(m[2]), usec: Number(m[3]) });
  return out;
}

interface MasterTally {
  address: string;
  partitions: number[];
  /** Redis execution µs and calls by kind (commit, route, other scripts, other commands). */
  usec: Record<string, number>;
  calls: Record<string, number>;
  lastId: number;
  /** SLOWLOG entries missed between two reads (its ring overflowed): 0 for a complete tally. */
  missed: number;
  cpuStart: number;
}

async function main(): Promise<void> {
  const dir = arg('--dir');
  if (dir === undefined) {
    process.stderr.write(
      'usage: node dist/bench/cluster-shard-cost.js --dir DIR [--partitions 6] [--aggregate-workers 2] [--slowlog on|off] [--json FILE]\n',
    );
    process.exitCode = 2;
    return;
  }
  const partitions = Number(arg('--partitions', '6'));
  const aggregateWorkers = Number(arg('--aggregate-workers', '2'));
  const jsonOut = arg('--json');
  const slowlog = arg('--slowlog', 'on') !== 'off';
  const files = listInputs(dir);
  const work = mkdtempSync(join(tmpdir(), 's321-cluster-bench-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const started = spawnSync('bash', [SCRIPT, 'start', join(work, 'cluster'), ...ports.map(String)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (started.status !== 0) throw new Error(`cluster did not start: ${started.stdout}${started.stderr}`);
  const nodes = ports.map((p) => `127.0.0.1:${p}`).join(',');
  const cluster = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    { redisOptions: { maxRetriesPerRequest: null } },
  );
  const children: ChildProcess[] = [];
  const settings = { bullPrefix: 'bull', redis: { cluster: [nodes] } };
  const topology = queueTopology(QUEUE);
  const queue = (name: string) =>
    new Queue(name, { connection: cluster as unknown as Redis, prefix: bullQueuePrefix(settings, name) });
  const ingestQueue = queue(topology.ingest);
  const routeQueue = queue(topology.aggregate);
  const store = new PartitionedRedisStore({
    client: cluster as unknown as Redis,
    namespace: QUEUE,
    partitions,
  });
  try {
    await cluster.ping();
    // ---- ingest phase: every input's parts queued, the routing queue paused ----------------------
    await routeQueue.pause();
    for (let i = 0; i < 2; i++) children.push(await cliWorker(nodes, 'ingest', []));
    const producer = await createProducer({
      connection: `redis://127.0.0.1:${ports[0]}`,
      cluster: ports.map((p) => `redis://127.0.0.1:${p}`),
      queueName: QUEUE,
      prefix: 'bull',
      maxBytes: MAX_BYTES,
    });
    let lastSeq = 0;
    const t0 = performance.now();
    try {
      for (const f of files) {
        const r = await producer.enqueueInterchange({
          partnerId: 'BENCH',
          fileName: f.name,
          bytes: readFileSync(f.path),
        });
        lastSeq = Math.max(lastSeq, r.sequence);
      }
    } finally {
      await producer.close();
    }
    for (;;) {
      const c = await ingestQueue.getJobCounts('completed', 'failed');
      if ((c.completed ?? 0) + (c.failed ?? 0) >= lastSeq) break;
      await sleep(20);
    }
    const ingestMs = performance.now() - t0;
    let events = 0;
    for (const j of await ingestQueue.getJobs(['completed'], 0, lastSeq))
      events += (j.returnvalue as { events: number }).events;

    // ---- the masters, the partitions each serves, statistics reset --------------------------------
    const masters = cluster.nodes('master');
    const slots = await cluster.cluster('SLOTS');
    const masterOfKey = async (key: string): Promise<string> => {
      const slot = Number(await cluster.cluster('KEYSLOT', key));
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      return `${range?.[2]?.[0]}:${range?.[2]?.[1]}`;
    };
    const tally = new Map<string, MasterTally>();
    for (const m of masters) {
      const address = `${m.options.host}:${m.options.port}`;
      // Every command (threshold 0): costs Redis some CPU of its own; `--slowlog off` measures the
      // CPU figures without it (and no per-script times).
      if (slowlog) await m.config('SET', 'slowlog-log-slower-than', '0');
      await m.config('SET', 'slowlog-max-len', '100000');
      await m.slowlog('RESET');
      await m.config('RESETSTAT');
      const info = await m.info('cpu');
      tally.set(address, {
        address,
        partitions: [],
        usec: {},
        calls: {},
        lastId: -1,
        missed: 0,
        cpuStart: infoField(info, 'used_cpu_sys') + infoField(info, 'used_cpu_user'),
      });
    }
    for (let p = 0; p < partitions; p++)
      tally.get(await masterOfKey(partitionStoreKeys(QUEUE, p).meta))?.partitions.push(p);
    const routerMaster = await masterOfKey(store.router.keys.meta);
    // EVALSHA names its script by SHA1; the first call on a node is an EVAL of the source (ioredis
    // falls back on NOSCRIPT), whose text starts with the shared prelude: so the first key decides
    // when the SHA does not (the commit script's is a partition's meta key, the routing script's the
    // router's; BullMQ's scripts have bull:{…} keys).
    const kindOfSha = new Map([
      [sha1(scriptSource('s321CommitBatch')), 'commit'],
      [sha1(scriptSource('s321RouteInput')), 'route'],
    ]);
    const scriptKind = (argv: string[]): string => {
      const bySha = argv[0]?.toLowerCase() === 'evalsha' ? kindOfSha.get(argv[1] ?? '') : undefined;
      if (bySha !== undefined) return bySha;
      const key = argv[3] ?? '';
      if (key === store.router.keys.meta) return 'route';
      if (/^s321:\{[^}]*#p\d+\}:meta$/.test(key)) return 'commit';
      return key.startsWith('bull:') ? 'bullmq-script' : 'script-other';
    };
    const readSlowlogs = async (): Promise<void> => {
      for (const m of masters) {
        const t = tally.get(`${m.options.host}:${m.options.port}`) as MasterTally;
        // Only what is new since the last read (the newest id, then that many and a margin).
        const newest = ((await m.slowlog('GET', '1')) as Array<[number]>)[0]?.[0] ?? -1;
        const count = Math.min(100_000, newest - t.lastId + 1_000);
        const entries = (await m.slowlog('GET', String(count))) as Array<[number, number, number, string[]]>;
        const fresh = entries.filter(([id]) => id > t.lastId).sort((a, b) => a[0] - b[0]);
        const firstId = fresh[0]?.[0];
        if (firstId !== undefined && t.lastId >= 0 && firstId > t.lastId + 1)
          t.missed += firstId - t.lastId - 1;
        for (const [id, , usec, argv] of fresh) {
          t.lastId = id;
          const cmd = (argv[0] ?? '').toLowerCase();
          if (cmd === 'slowlog' || cmd === 'info' || cmd === 'config') continue; // this bench's own
          const kind = cmd === 'evalsha' || cmd === 'eval' ? scriptKind(argv) : cmd;
          t.usec[kind] = (t.usec[kind] ?? 0) + usec;
          t.calls[kind] = (t.calls[kind] ?? 0) + 1;
        }
      }
    };

    // ---- aggregate phase ------------------------------------------------------------------------
    const aggregate: ChildProcess[] = [];
    for (let i = 0; i < aggregateWorkers; i++)
      aggregate.push(await cliWorker(nodes, 'aggregate', ['--partitions', String(partitions)]));
    children.push(...aggregate);
    const cpuBefore = aggregate.map((c) => cpuMsOf(c.pid));
    const t1 = performance.now();
    await routeQueue.resume();
    let polls = 0;
    for (;;) {
      const routed = await store.router.gate();
      if (routed.seq === lastSeq && routed.done) {
        const r = await store.router.routedCount();
        const gates = await Promise.all(store.partitions.map((p) => p.gate()));
        if (gates.every((g) => g.seq === r && g.done)) break;
      }
      if (++polls % 20 === 0) await readSlowlogs();
      await sleep(25);
    }
    const aggregateMs = performance.now() - t1;
    const workerCpuMs = aggregate.reduce((n, c, i) => n + cpuMsOf(c.pid) - (cpuBefore[i] ?? 0), 0);
    await readSlowlogs();

    // ---- events committed per partition (its part outcome records), per master ------------------
    const eventsOf = new Array<number>(partitions).fill(0);
    for (const m of masters) {
      let cursor = '0';
      do {
        const [next, keys] = await m.scan(cursor, 'MATCH', `s321:{${QUEUE}#p*}:outcome:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const k = /#p(\d+)\}:outcome:(\d+):(\d+)$/.exec(key);
          if (k === null) continue;
          const p = Number(k[1]);
          const o = await store.partition(p).partOutcome(Number(k[2]), Number(k[3]));
          eventsOf[p] = (eventsOf[p] ?? 0) + (o?.eventsApplied ?? 0);
        }
      } while (cursor !== '0');
    }
    const rows = [];
    for (const m of masters) {
      const t = tally.get(`${m.options.host}:${m.options.port}`) as MasterTally;
      const info = `${await m.info('cpu')}\n${await m.info('commandstats')}`;
      const cpuS = infoField(info, 'used_cpu_sys') + infoField(info, 'used_cpu_user') - t.cpuStart;
      const stats = commandStats(info);
      const allUsec = [...stats.values()].reduce((n, s) => n + s.usec, 0);
      const committed = t.partitions.reduce((n, p) => n + (eventsOf[p] ?? 0), 0);
      rows.push({
        master: t.address,
        router: t.address === routerMaster,
        partitions: t.partitions,
        eventsCommitted: committed,
        commitCalls: t.calls.commit ?? 0,
        commitUs: t.usec.commit ?? 0,
        commitUsPerEvent: slowlog && committed > 0 ? (t.usec.commit ?? 0) / committed : null,
        routeCalls: t.calls.route ?? 0,
        routeUs: t.usec.route ?? 0,
        bullmqScriptCalls: t.calls['bullmq-script'] ?? 0,
        bullmqScriptUs: t.usec['bullmq-script'] ?? 0,
        // SLOWLOG logs the commands a script runs as well as the script, so these overlap the
        // scripts' own time: which commands cost, not a share of the total.
        commandsTop: Object.entries(t.usec)
          .filter(([k]) => k !== 'commit' && k !== 'route')
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} ms/${t.calls[k]}`),
        commandstatsUs: allUsec,
        cpuS: Number(cpuS.toFixed(2)),
        cpuUsPerEventCommitted: committed > 0 ? (cpuS * 1e6) / committed : null,
        slowlogMissed: t.missed,
      });
    }
    const routeUs = rows.reduce((n, r) => n + r.routeUs, 0);
    const result = {
      files: files.length,
      inputs: lastSeq,
      events,
      partitions,
      aggregateWorkers,
      slowlog,
      ingestMs: Math.round(ingestMs),
      aggregateMs: Math.round(aggregateMs),
      eventsPerSecond: Math.round(events / (aggregateMs / 1000)),
      workerCpuMs,
      workerCpuUsPerEvent: (workerCpuMs * 1000) / events,
      // Script times exist only with every command in SLOWLOG.
      routeUsPerEvent: slowlog ? routeUs / events : null,
      commitUsPerEvent: slowlog ? rows.reduce((n, r) => n + r.commitUs, 0) / events : null,
      redisCpuUsPerEvent: (rows.reduce((n, r) => n + r.cpuS, 0) * 1e6) / events,
      masters: rows,
      loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (jsonOut !== undefined) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const c of children) await stopChild(c).catch(() => undefined);
    await store.close().catch(() => undefined);
    await ingestQueue.close().catch(() => undefined);
    await routeQueue.close().catch(() => undefined);
    await cluster.quit().catch(() => cluster.disconnect());
    spawnSync('bash', [SCRIPT, 'stop', join(work, 'cluster')], { timeout: 30_000 });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
