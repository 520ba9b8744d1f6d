/**
 * f) Queue mode (docs/queue-mode.md) on a real redis-server: the generated files are enqueued with
 * the producer, two ingest worker processes turn them into parts, then two aggregate worker
 * processes apply every part through the ordered gate. Two timed phases:
 *  - ingest: first enqueue → every input's parts in the aggregate queue (aggregate queue paused);
 *  - aggregate: queue resumed with both aggregate workers ready → the gate closed on the last input.
 * The stage's figure is the sum (the queue stage end to end, without overlap); each phase's own rate
 * and the aggregate workers' time split are in its counts.
 *
 * This module is also the entry of the processes it starts (`node queue-stage.js <role> …`):
 *  - `redis-keeper`: runs redis-server and stops it when told, or when the stage process goes away
 *    (its IPC channel closes: also on SIGKILL of the stage), so no redis-server outlives the bench;
 *  - `worker ingest|aggregate`: one worker; exits when told, or when the stage process goes away.
 * Only node: modules are imported statically: every other stage loads this module through the stage
 * table, and must not pay for BullMQ in its start time or peak RSS.
 */

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loopbackRedisArgs } from '../../src/testkit/redis-args.js';
import { listInputs } from './read-files.js';
import type { StageInput } from './stage-result.js';
import type { StageOutcome } from './stages.js';

const SELF = fileURLToPath(import.meta.url);

/** What an ingest job returns (workers/ingest.ts). */
interface IngestResult {
  seq: number;
  parts: number;
  interchanges: number;
  events: number;
  rejected: boolean;
}
const QUEUE = 's321-bench';
const PREFIX = 'bench';
/** Larger than any generated file (the producer refuses bigger payloads). */
const MAX_BYTES = 256 * 1024 * 1024;
export const INGEST_WORKERS = 2;
export const AGGREGATE_WORKERS = 2;
/**
 * Partitioned queue mode (issue #15): S321_BENCH_PARTITIONS=P runs the workers with P partitions
 * (16: the default for a new store, DEFAULT_PARTITIONS). Unset or 0: one gate, given explicitly —
 * the stage's figures so far are the one gate's, and its ground-truth count of events applied
 * reads the one gate's part outcomes (a partitioned run reports it as 0);
 * S321_BENCH_AGGREGATE_WORKERS=n changes the aggregate worker count (default 2).
 */
export const PARTITIONS_ENV = 'S321_BENCH_PARTITIONS';
export const AGGREGATE_WORKERS_ENV = 'S321_BENCH_AGGREGATE_WORKERS';
/** Set by the bench driver (bench/harness/run-bench.ts): when the driver kills this stage. */
export const STAGE_TIMEOUT_ENV = 'S321_BENCH_STAGE_TIMEOUT_MS';
/** A directory: the worker processes run with --cpu-prof and write their profiles there. */
export const CPU_PROF_ENV = 'S321_BENCH_QUEUE_CPU_PROF';

type ToChild = { type: 'stop' };
type FromChild =
  | { type: 'ready'; port?: number; pid?: number }
  | { type: 'stopped'; maxRssKB: number; cpuMs: number; stats: Record<string, number> }
  | { type: 'error'; message: string };

interface Child {
  name: string;
  proc: ChildProcess;
  /** Messages from the child, in order. */
  next(type: FromChild['type'], deadline: number): Promise<FromChild>;
}

function startChild(name: string, args: string[], execArgv: string[] = []): Child {
  const proc = fork(SELF, args, {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv,
  });
  const inbox: FromChild[] = [];
  let wake: (() => void) | undefined;
  let exited: string | undefined;
  proc.on('message', (m) => {
    inbox.push(m as FromChild);
    wake?.();
  });
  proc.on('exit', (code, signal) => {
    exited = `exited (${code ?? signal})`;
    wake?.();
  });
  proc.on('error', (e) => {
    exited = `failed: ${e.message}`;
    wake?.();
  });
  return {
    name,
    proc,
    async next(type, deadline) {
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type || m.type === 'error');
        if (i >= 0) {
          const [m] = inbox.splice(i, 1);
          if (m?.type === 'error') throw new Error(`${name}: ${m.message}`);
          if (m !== undefined) return m;
        }
        if (exited !== undefined) throw new Error(`${name} ${exited} before '${type}'`);
        const left = deadline - Date.now();
        if (left <= 0) throw new StageTimeout(`${name}: no '${type}' before the stage deadline`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        wake = undefined;
      }
    },
  };
}

class StageTimeout extends Error {}

function send(c: Child, m: ToChild): void {
  if (c.proc.connected) c.proc.send(m);
}

/** CPU time of a process by pid (Linux /proc: utime + stime in clock ticks, 100 a second), ms. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Peak RSS of a process by pid (Linux /proc), MB; undefined elsewhere. */
function peakRssMB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Redis' own count of the memory its data takes (INFO memory used_memory), MB. */
async function redisUsedMB(client: { info(section: string): Promise<string> }): Promise<number> {
  const m = /used_memory:(\d+)/.exec(await client.info('memory'));
  return m?.[1] !== undefined ? Math.round(Number(m[1]) / 2 ** 20) : -1;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function stageDeadline(started: number): number {
  const budget = Number(process.env[STAGE_TIMEOUT_ENV] ?? 10 * 60_000);
  // Leave time to stop everything and report before the driver kills this process.
  return started + Math.max(5_000, budget - Math.min(15_000, budget * 0.15));
}

export async function queueStage(input: StageInput): Promise<StageOutcome> {
  const started = Date.now();
  const deadline = stageDeadline(started);
  const files = listInputs(input.dir);
  const bytesTotal = files.reduce((n, f) => n + statSync(f.path).size, 0);
  const children: Child[] = [];
  let redis: Child | undefined;
  // SIGTERM/SIGINT (the driver's time limit, Ctrl-C): the workers and the keeper see this process's
  // IPC channel close and stop by themselves; exit at once so they do.
  const onSignal = (): void => {
    for (const c of children) c.proc.kill('SIGKILL');
    process.exit(1);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const { createProducer } = await import('../../src/adapters/queue/producer.js');
  const { Queue, QueueEvents } = await import('bullmq');
  const { Redis } = await import('ioredis');
  const { queueTopology } = await import('../../src/adapters/queue/queue-topology.js');
  const { RedisDecisionStore } = await import('../../src/adapters/store/redis/redis-store.js');
  let client: InstanceType<typeof Redis> | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  const progress: { phase: string; ingestMs?: number } = { phase: 'start' };
  try {
    redis = startChild('redis-keeper', ['redis-keeper']);
    const ready = await redis.next('ready', deadline);
    if (ready.type !== 'ready' || ready.port === undefined) throw new Error('redis-keeper: no port');
    const url = `redis://127.0.0.1:${ready.port}`;
    const redisPid = ready.pid;
    const partitionsEnv = process.env[PARTITIONS_ENV];
    const partitions = partitionsEnv !== undefined && partitionsEnv !== '' ? Number(partitionsEnv) : 0;
    const aggregateWorkers = Number(process.env[AGGREGATE_WORKERS_ENV] ?? AGGREGATE_WORKERS);
    const settings = {
      redis: { url },
      queueName: QUEUE,
      bullPrefix: PREFIX,
      partitions,
    };
    const profDir = process.env[CPU_PROF_ENV];
    const execArgv = profDir !== undefined && profDir !== '' ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
    const worker = (kind: 'ingest' | 'aggregate', i: number): Child => {
      const c = startChild(
        `${kind}-${i}`,
        ['worker', kind, JSON.stringify({ ...settings, workerName: `${kind}-${i}` })],
        execArgv,
      );
      children.push(c);
      return c;
    };

    client = new Redis(url, { maxRetriesPerRequest: null });
    const topology = queueTopology(QUEUE);
    const partQueue = new Queue(topology.aggregate, { connection: client, prefix: PREFIX });
    const ingestQueue = new Queue(topology.ingest, { connection: client, prefix: PREFIX });
    const deadQueue = new Queue(topology.deadLetter, { connection: client, prefix: PREFIX });
    // Finished ingest jobs are kept only the last 50 (producer.ts removeOnComplete): each one's
    // result is taken from the queue's event stream as it completes, read from its start.
    const ingestEvents = new QueueEvents(topology.ingest, {
      connection: { host: '127.0.0.1', port: ready.port, maxRetriesPerRequest: null },
      prefix: PREFIX,
      lastEventId: '0-0',
    });
    const ingestResults = new Map<string, IngestResult>();
    ingestEvents.on('completed', ({ jobId, returnvalue }) => {
      ingestResults.set(
        jobId,
        (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as IngestResult,
      );
    });
    await ingestEvents.waitUntilReady();
    closers.push(
      () => ingestEvents.close(),
      () => partQueue.close(),
      () => ingestQueue.close(),
      () => deadQueue.close(),
    );
    const store = new RedisDecisionStore({ client, namespace: QUEUE });
    closers.push(() => store.close());
    const { PartitionedRedisStore } = await import('../../src/adapters/store/redis/partitioned-store.js');
    const partitioned =
      partitions === 0 ? undefined : new PartitionedRedisStore({ client, namespace: QUEUE, partitions });
    if (partitioned !== undefined) closers.push(() => partitioned.close());
    // Parts wait until the aggregate phase starts.
    await partQueue.pause();

    const ingest = Array.from({ length: INGEST_WORKERS }, (_, i) => worker('ingest', i + 1));
    for (const c of ingest) await c.next('ready', deadline);

    // ---- phase 1: enqueue + ingest ------------------------------------------------------------
    const t0 = performance.now();
    const producer = await createProducer({
      connection: url,
      queueName: QUEUE,
      prefix: PREFIX,
      maxBytes: MAX_BYTES,
    });
    let lastSeq = 0;
    let bytes = 0;
    progress.phase = 'ingest';
    try {
      for (const f of files) {
        const content = readFileSync(f.path);
        bytes += content.length;
        const r = await producer.enqueueInterchange({ partnerId: 'BENCH', fileName: f.name, bytes: content });
        lastSeq = Math.max(lastSeq, r.sequence);
      }
    } finally {
      await producer.close();
    }
    const enqueueMs = performance.now() - t0;
    for (;;) {
      const c = await ingestQueue.getJobCounts('failed');
      if (ingestResults.size + (c.failed ?? 0) >= lastSeq) break;
      if (Date.now() > deadline)
        throw new StageTimeout(`ingest: ${ingestResults.size}/${lastSeq} inputs by the deadline`);
      await sleep(10);
    }
    const ingestMs = performance.now() - t0;
    progress.ingestMs = Math.round(ingestMs);
    progress.phase = 'aggregate';
    const ingested = { interchanges: 0, events: 0, parts: 0, rejected: 0 };
    const partsOf = new Map<number, number>();
    for (const r of ingestResults.values()) {
      ingested.interchanges += r.interchanges;
      ingested.events += r.events;
      ingested.parts += r.parts;
      if (r.rejected) ingested.rejected++;
      partsOf.set(r.seq, r.parts);
    }
    const ingestFailed = (await ingestQueue.getJobCounts('failed')).failed ?? 0;
    // Every part is queued now (the part queue was paused): the most Redis holds during the run.
    const redisAfterIngestMB = await redisUsedMB(client);

    // ---- phase 2: two aggregate workers ----------------------------------------------------------
    const aggregate = Array.from({ length: aggregateWorkers }, (_, i) => worker('aggregate', i + 1));
    for (const c of aggregate) await c.next('ready', deadline);
    const t1 = performance.now();
    await partQueue.resume();
    for (;;) {
      if (partitioned !== undefined) {
        const routed = await partitioned.router.gate();
        if (routed.seq === lastSeq && routed.done) {
          const r = await partitioned.router.routedCount();
          const gates = await Promise.all(partitioned.partitions.map((p) => p.gate()));
          if (gates.every((g) => g.seq === r && g.done)) break;
        }
        if (Date.now() > deadline)
          throw new StageTimeout(
            `aggregate: router at ${JSON.stringify(routed)} of ${lastSeq} by the deadline`,
          );
        await sleep(5);
        continue;
      }
      const g = await store.gate();
      if (g.seq > lastSeq || (g.seq === lastSeq && g.done)) break;
      if (Date.now() > deadline)
        throw new StageTimeout(`aggregate: gate at ${g.seq}.${g.part} of ${lastSeq} by the deadline`);
      await sleep(5);
    }
    const aggregateMs = performance.now() - t1;
    if (process.env.S321_BENCH_QUEUE_TRACE === '1') await tracePartJobs(partQueue, Date.now() - aggregateMs);
    if (process.env.S321_BENCH_REDIS_KEYS === '1') await reportRedisKeys(client);

    // ---- what was applied, checked by the driver against the ground truth --------------------------
    let eventsApplied = 0;
    let duplicates = 0;
    let missingOutcomes = 0;
    for (let seq = 1; seq <= (partitioned === undefined ? lastSeq : 0); seq++) {
      for (let part = 0; part < (partsOf.get(seq) ?? 1); part++) {
        const o = await store.partOutcome(seq, part);
        if (o === undefined) missingOutcomes++;
        else {
          eventsApplied += o.eventsApplied;
          duplicates += o.duplicates.length;
        }
      }
    }
    const storeStats = await store.stats();
    if (partitioned !== undefined) {
      // The partitions' decisions and bills (outcomes per input part are not scanned: the router's).
      storeStats.decisions = 0;
      storeStats.bills = 0;
      for (const p of partitioned.partitions) {
        const st = await p.stats();
        storeStats.decisions += st.decisions;
        storeStats.bills += st.bills;
      }
    }
    const deadLetters = await deadQueue.getJobCounts('waiting', 'delayed', 'completed', 'failed');
    const deadLetterCount = Object.values(deadLetters).reduce((a, b) => a + (b ?? 0), 0);
    const redisPeak = peakRssMB(redisPid);
    // What stays: the store (bills, person-days, members, decisions, outcomes) and finished input jobs.
    const redisAtEndMB = await redisUsedMB(client);
    const redisCpu = cpuMsOf(redisPid);

    // ---- stop the workers: their peak RSS and the aggregate workers' time split ------------------------
    const counts: Record<string, number> = {};
    const rss: Record<string, number> = {};
    const split: Record<string, number> = {};
    const cpuMs: Record<string, number> = {};
    for (const c of children) send(c, { type: 'stop' });
    for (const c of children) {
      const m = await c.next('stopped', Math.max(deadline, Date.now() + 10_000));
      if (m.type !== 'stopped') continue;
      rss[c.name] = Math.round(m.maxRssKB / 1024);
      cpuMs[c.name] = m.cpuMs;
      if (c.name.startsWith('aggregate'))
        for (const [k, v] of Object.entries(m.stats)) split[k] = (split[k] ?? 0) + v;
    }
    rss.producer = Math.round(process.resourceUsage().maxRSS / 1024);
    if (redisPeak !== undefined) rss['redis-server'] = redisPeak;
    const own = process.cpuUsage();
    cpuMs.producer = Math.round((own.user + own.system) / 1000);
    if (redisCpu !== undefined) cpuMs['redis-server'] = redisCpu;
    const measuredMs = ingestMs + aggregateMs;
    const shipments = ingested.events; // shipment events read, as the replay stage counts them
    Object.assign(counts, {
      inputs: lastSeq,
      interchanges: ingested.interchanges,
      inputsRejected: ingested.rejected,
      ingestFailed,
      shipments,
      eventsApplied,
      duplicates,
      parts: ingested.parts,
      missingOutcomes,
      deadLetters: deadLetterCount,
      decisions: storeStats.decisions,
      bills: storeStats.bills,
      partitions,
      aggregateWorkers,
      enqueueMs: Math.round(enqueueMs),
      ingestMs: Math.round(ingestMs),
      aggregateMs: Math.round(aggregateMs),
      measuredMs: Math.round(measuredMs),
      'redisUsedMB:afterIngest': redisAfterIngestMB,
      'redisUsedMB:end': redisAtEndMB,
      // Not a count: lets a caller check that no redis-server of the stage outlived it.
      ...(redisPid !== undefined ? { 'pid:redis-server': redisPid } : {}),
    });
    for (const [k, v] of Object.entries(split)) counts[`aggregate:${k}`] = Math.round(v);
    let rssSum = 0;
    for (const [k, v] of Object.entries(rss)) {
      counts[`rssMB:${k}`] = v;
      rssSum += v;
    }
    counts.rssSumMB = rssSum;
    let cpuSum = 0;
    for (const [k, v] of Object.entries(cpuMs)) {
      counts[`cpuMs:${k}`] = v;
      cpuSum += v;
    }
    counts.cpuSumMs = cpuSum;
    return { status: 'ok', bytes, bytesTotal, files: files.length, counts };
  } catch (err) {
    if (!(err instanceof StageTimeout)) throw err;
    // Out of time: say how far it got (the driver reports the stage failed).
    const ingest = progress.ingestMs !== undefined ? `; ingest phase took ${progress.ingestMs} ms` : '';
    return {
      status: 'failed',
      note: `${err.message} (${progress.phase} phase)${ingest}`,
      bytes: 0,
      bytesTotal,
      files: files.length,
      counts: progress.ingestMs !== undefined ? { ingestMs: progress.ingestMs } : {},
    };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    if (client !== undefined) await client.quit().catch(() => client?.disconnect());
    // Workers first: a worker closing while its Redis is gone would wait for it until killed.
    await stopAll(children);
    if (redis !== undefined) await stopAll([redis]);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/**
 * Diagnostics (S321_BENCH_REDIS_KEYS=1): Redis memory by kind of key (digits and hex runs in key
 * names folded), on stderr. Walks every key (SCAN, MEMORY USAGE pipelined): minutes at 4M.
 */
async function reportRedisKeys(client: InstanceType<typeof import('ioredis').Redis>): Promise<void> {
  const byKind = new Map<string, { keys: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipe = client.pipeline();
    for (const k of keys) pipe.memory('USAGE', k, 'SAMPLES', '0');
    const sizes = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const kind =
        k.startsWith('s321:{') && k.includes('}:pdm:')
          ? k.slice(0, k.indexOf('}:pdm:') + 6)
          : k.replace(/[0-9a-f]{8,}|\d+/g, '#');
      const entry = byKind.get(kind) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      byKind.set(kind, entry);
    });
  } while (cursor !== '0');
  const rows = [...byKind].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 25);
  for (const [kind, e] of rows)
    process.stderr.write(`redis keys ${kind}: ${e.keys} keys, ${(e.bytes / 2 ** 20).toFixed(1)} MB\n`);
}

/** Diagnostics (S321_BENCH_QUEUE_TRACE=1): when each part job was taken and finished, on stderr. */
async function tracePartJobs(
  queue: {
    getJobs(
      types: 'completed'[],
      start: number,
      end: number,
    ): Promise<
      Array<{
        data: unknown;
        processedOn?: number;
        finishedOn?: number;
        attemptsMade: number;
        timestamp: number;
      }>
    >;
  },
  t0: number,
): Promise<void> {
  const jobs = await queue.getJobs(['completed'], 0, -1);
  const rows = jobs
    .map((j) => {
      const d = j.data as { seq: number; part: number; interchanges: Array<{ events: unknown[] }> };
      return {
        at: `${d.seq}.${d.part}`,
        seq: d.seq,
        part: d.part,
        events: d.interchanges.reduce((n, ic) => n + ic.events.length, 0),
        taken: (j.processedOn ?? 0) - t0,
        finished: (j.finishedOn ?? 0) - t0,
        attempts: j.attemptsMade,
      };
    })
    .sort((a, b) => a.seq - b.seq || a.part - b.part);
  let prev = 0;
  for (const r of rows) {
    process.stderr.write(
      `part ${r.at.padEnd(6)} ${String(r.events).padStart(5)} ev  taken ${String(r.taken).padStart(6)}  finished ${String(r.finished).padStart(6)}  (+${r.finished - prev} ms)  attempts ${r.attempts}\n`,
    );
    prev = r.finished;
  }
}

/** Asks each child to stop; SIGKILL after 10 s. The keeper stops redis-server on its way out. */
async function stopAll(children: readonly Child[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => c.proc.once('exit', () => r()));
      send(c, { type: 'stop' });
      const timer = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

// ---- child process roles ------------------------------------------------------------------------

function reply(m: FromChild): void {
  process.send?.(m);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

function redisBinary(): string {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server']) {
    try {
      statSync(p);
      return p;
    } catch {}
  }
  return 'redis-server'; // on PATH, or spawn fails with ENOENT and the stage reports it
}

async function redisKeeper(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 's321-bench-redis-'));
  let server: ChildProcess | undefined;
  const stop = (): void => {
    if (server !== undefined && server.exitCode === null) {
      server.once('exit', () => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
      server.kill('SIGTERM');
      setTimeout(() => server?.kill('SIGKILL'), 5_000).unref();
    } else {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  };
  process.on('disconnect', stop);
  process.on('message', (m) => {
    if ((m as ToChild).type === 'stop') stop();
  });
  process.once('SIGTERM', stop);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    // No persistence: the bench measures the store's work, not the disk (production wants
    // appendfsync always, docs/queue-mode.md, which adds an fsync per commit).
    const proc = spawn(redisBinary(), loopbackRedisArgs(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
    server = proc;
    let out = '';
    const ok = await new Promise<boolean>((res) => {
      const timer = setTimeout(() => res(false), 15_000);
      const onData = (b: Buffer): void => {
        out += b.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          res(true);
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', () => {
        clearTimeout(timer);
        res(false);
      });
      proc.once('error', () => {
        clearTimeout(timer);
        res(false);
      });
    });
    if (ok) {
      // Keep draining its output so the pipe never fills.
      reply({ type: 'ready', port, ...(proc.pid !== undefined ? { pid: proc.pid } : {}) });
      proc.once('exit', (code) => {
        reply({ type: 'error', message: `redis-server exited (${code})` });
        process.exit(1);
      });
      return;
    }
    proc.kill('SIGKILL');
    if (!/Address already in use/.test(out)) {
      reply({ type: 'error', message: `redis-server did not start: ${out.slice(-500)}` });
      process.exit(1);
    }
  }
  reply({ type: 'error', message: 'redis-server: no free port after 5 tries' });
  process.exit(1);
}

async function workerRole(kind: string, settingsJson: string): Promise<void> {
  // The stage process went away (killed): stop at once, nothing to hand over.
  process.on('disconnect', () => process.exit(1));
  const { workerSettings } = await import('../../src/app/queue/worker-settings.js');
  const { benchRates } = await import('./stages.js');
  const settings = workerSettings({ ...JSON.parse(settingsJson), rates: benchRates() });
  let running: import('../../workers/worker-runtime.js').RunningWorker;
  if (kind === 'ingest') {
    const { startIngestWorker } = await import('../../workers/ingest.js');
    running = await startIngestWorker({ settings, ingest: { strict: false, maxBytes: MAX_BYTES } });
  } else if (kind === 'aggregate') {
    const { startAggregateWorker } = await import('../../workers/aggregate.js');
    running = await startAggregateWorker({ settings });
  } else {
    throw new Error(`unknown worker kind ${kind}`);
  }
  await running.worker.waitUntilReady();
  process.on('message', (m) => {
    if ((m as ToChild).type !== 'stop') return;
    running.close().then(
      () => {
        const cpu = process.cpuUsage();
        const m: FromChild = {
          type: 'stopped',
          maxRssKB: process.resourceUsage().maxRSS,
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          stats: running.stats(),
        };
        // Exit once the message is out (process.exit would drop a message still queued).
        process.send?.(m, undefined, {}, () => process.exit(0));
      },
      (e: unknown) => {
        reply({ type: 'error', message: (e as Error).message });
        process.exit(1);
      },
    );
  });
  reply({ type: 'ready' });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === SELF) {
  const [role, ...rest] = process.argv.slice(2);
  const run =
    role === 'redis-keeper'
      ? redisKeeper()
      : role === 'worker'
        ? workerRole(rest[0] ?? '', rest[1] ?? '{}')
        : Promise.reject(new Error(`unknown role ${role}`));
  run.catch((e: unknown) => {
    reply({ type: 'error', message: (e as Error).stack ?? String(e) });
    process.exit(1);
  });
}
