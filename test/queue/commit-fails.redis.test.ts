/**
 * An aggregate part whose commit fails on every try with a Redis error that is not a connection
 * fault (docs/queue-mode.md, "Every sequence ends applied"): the part's job fails after its
 * configured tries (exponential backoff), the part goes to the dead-letter queue as `failed` with
 * its payload and the error, its gate position is closed by an empty part carrying the reason, and
 * the parts and inputs after it are applied exactly as the embedded store applies the same inputs
 * without the failed part — nothing applied twice, nothing of the failed part applied.
 *
 * The faults are real store state that makes the real commit script (lua/commit-batch.lua) refuse,
 * no mocks; both are met by a check the script makes before its first write, so a failed try
 * writes nothing. (That every key's kind is checked before the first write — a wrong-type member
 * set once left a try half written — is tested on the script itself: commit-script.redis.test.ts.)
 *  - WRONGTYPE: the decision hash is a string while the failing part is the gate's next one (every
 *    commit that adds decisions fails). The parts after it in the same input add no decisions and
 *    the next input is queued only once the hash is put back, so nothing else meets the broken key;
 *    the inputs after that one are queued from the start. The dead-lettered payload is then re-sent
 *    as a new input and applies in full.
 *  - DUPLICATE_DECISION: the store already holds a decision id that only the failing part adds, so
 *    only that part fails; every part is queued from the start and two workers (2 slots each)
 *    wait for, pull and apply the parts around it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeadLetterEntry, DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import {
  jobIds,
  PART_RETENTION,
  queueTopology,
  retryJobOptions,
} from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { interchangeField } from '../../src/adapters/store/redis/store-keys.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { resolveAggregation } from '../../src/app/queue/aggregation-settings.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import type { WorkerSettings } from '../../src/app/queue/worker-settings.js';
import type { AdapterLogger } from '../../src/config/logger.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { ev } from '../aggregate/event-builder.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { comparable, embeddedReference, testSettings, waitForGate } from './support/queue-fixture.js';
import { syntheticParts } from './support/synthetic-parts.js';

/** Small tries and backoff (the defaults are 5 tries from 1 s): 100 + 200 + 400 ms between tries. */
const RETRY = { attempts: 4, backoffMs: 100 };
const BACKOFF_TOTAL_MS = 100 + 200 + 400;
/** Longest wait for the gate to move where it should (a stall fails the test in bounded time). */
const STALL_MS = 20_000;
const { config } = resolveAggregation();

let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** One input part of hand-made events (its own sender, so it never repeats a synthetic interchange). */
function craftedPart(seq: number, part: number, last: boolean, events: ShipmentEvent[]): PartJobData {
  return {
    seq,
    part,
    last,
    name: `crafted-${seq}`,
    interchanges: [
      {
        sender: 'CRAFTED',
        controlNumber: `${seq}${String(part).padStart(3, '0')}`,
        fingerprint: `crafted-${seq}-${part}`,
        file: `crafted-${seq}`,
        events,
      },
    ],
  };
}

/** Synthetic parts with every input from `from` on moved `by` sequences later (room for crafted inputs). */
function shifted(parts: readonly PartJobData[], from: number, by: number): PartJobData[] {
  return parts.map((p) => (p.seq >= from ? { ...p, seq: p.seq + by } : p));
}

const key = (p: { seq: number; part: number }): string => `${p.seq}.${p.part}`;

/** What the embedded (SQLite) store does with each part, applied one batch per part in arrival order. */
async function embeddedOutcomes(
  parts: readonly PartJobData[],
): Promise<Map<string, { events: number; duplicates: number; decisionIds: string[] }>> {
  const dir = mkdtempSync(join(tmpdir(), 's321-commit-fails-'));
  const store = new SqliteDecisionStore(join(dir, 'ref.db'));
  const out = new Map<string, { events: number; duplicates: number; decisionIds: string[] }>();
  try {
    for (const p of [...parts].sort((a, b) => a.seq - b.seq || a.part - b.part)) {
      const o = await applyBatch(store, p.interchanges, config);
      out.set(key(p), {
        events: o.eventsApplied,
        duplicates: o.duplicates.length,
        decisionIds: o.decisions.map((d) => d.decisionId),
      });
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The part jobs as the ingest worker adds them: the worker settings' tries and backoff. */
function partJobs(parts: readonly PartJobData[], settings: WorkerSettings) {
  return parts.map((data) => ({
    name: 'part',
    data,
    opts: {
      jobId: jobIds.part(data.seq, data.part),
      ...retryJobOptions(settings.retry),
      ...PART_RETENTION,
    },
  }));
}

interface LogLine {
  level: 'warn' | 'error';
  msg: string;
  obj: Record<string, unknown>;
}

/** The workers' warnings and errors: checked for failed tries, printed when a test fails. */
function capturingLogger(lines: LogLine[]): AdapterLogger {
  const line = (level: LogLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, msg: msg ?? '', obj: obj as Record<string, unknown> });
  };
  return { debug() {}, info() {}, warn: line('warn'), error: line('error') };
}

/** Waits (bounded) until no part job is waiting, running or delayed; returns the failed jobs' ids. */
async function waitForQueueEnd(queue: Queue<PartJobData>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).every((n) => n === 0))
      return (await queue.getFailed(0, 99)).map((j) => j.id ?? '?').sort();
    if (Date.now() > deadline) throw new Error(`part jobs not finished: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Harness {
  settings: WorkerSettings;
  client: Redis;
  store: RedisDecisionStore;
  partQueue: Queue<PartJobData>;
  dlq: DeadLetterQueue;
  workers: RunningWorker[];
  log: LogLine[];
}

async function withHarness(
  queueName: string,
  workers: number,
  concurrency: number,
  run: (h: Harness) => Promise<void>,
): Promise<void> {
  const settings = testSettings(server.url, queueName, { retry: RETRY, concurrency });
  const topology = queueTopology(settings.queueName);
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
  const partQueue = new Queue<PartJobData>(topology.aggregate, {
    connection: client,
    prefix: settings.bullPrefix,
  });
  const dlq = new DeadLetterQueue(topology.deadLetter, client, settings.bullPrefix);
  const log: LogLine[] = [];
  const running: RunningWorker[] = [];
  try {
    for (let i = 0; i < workers; i++)
      running.push(
        await startAggregateWorker({
          settings: { ...settings, workerName: `w${i}` },
          waitMs: 200,
          logger: capturingLogger(log),
        }),
      );
    await run({ settings, client, store, partQueue, dlq, workers: running, log });
  } catch (err) {
    const tail = log.slice(-60).map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.obj)}`);
    process.stderr.write(`--- worker warnings and errors (${queueName}) ---\n${tail.join('\n')}\n`);
    throw err;
  } finally {
    await Promise.all(running.map((w) => w.close()));
    await dlq.close();
    await partQueue.close();
    await store.close();
    await client.quit();
  }
}

/**
 * The failed part: its job failed after every try with `error`, it is the only dead letter (kind
 * `failed`, its payload, the error as reason), and its position was closed by an empty part carrying
 * the reason — nothing of it committed.
 */
async function expectDeadLettered(h: Harness, failed: PartJobData, error: RegExp): Promise<DeadLetterEntry> {
  const job = await h.partQueue.getJob(jobIds.part(failed.seq, failed.part));
  expect(await job?.getState()).toBe('failed');
  expect(job?.attemptsMade).toBe(RETRY.attempts);
  expect(job?.failedReason).toMatch(error);
  // Exponential backoff between the tries: 100, 200, 400 ms at least.
  expect((job?.finishedOn ?? 0) - (job?.timestamp ?? 0)).toBeGreaterThanOrEqual(BACKOFF_TOTAL_MS);
  expect(await waitForQueueEnd(h.partQueue, 10_000)).toEqual([jobIds.part(failed.seq, failed.part)]);

  const entries = await h.dlq.list();
  expect(entries).toHaveLength(1);
  const entry = entries[0] as DeadLetterEntry;
  expect(entry).toMatchObject({
    kind: 'failed',
    queue: queueTopology(h.settings.queueName).aggregate,
    jobId: jobIds.part(failed.seq, failed.part),
    seq: failed.seq,
    part: failed.part,
    name: failed.name,
    attemptsMade: RETRY.attempts,
  });
  expect(entry.reason).toMatch(error);
  expect(entry.payload).toEqual(JSON.parse(JSON.stringify(failed)));

  const closed = await h.store.partOutcome(failed.seq, failed.part);
  expect(closed).toMatchObject({
    seq: failed.seq,
    part: failed.part,
    last: failed.last,
    decisionIds: [],
    duplicates: [],
    eventsApplied: 0,
    files: [],
  });
  expect(closed?.reason).toMatch(/^dead-lettered part: /);
  expect(closed?.reason).toMatch(error);
  // None of its interchanges was recorded (re-sending its payload is not a duplicate).
  for (const ic of failed.interchanges)
    expect(
      await h.client.hget(
        h.store.keys.interchanges,
        interchangeField(ic.sender, ic.controlNumber, ic.fingerprint),
      ),
    ).toBeNull();
  return entry;
}

/**
 * Tries were used up by the failed part's job only, one per try: no other job failed a try (when a
 * worker cannot apply the gate's next part for that part's job, the failure is left to that job and
 * costs the worker's own job no try). And a worker that failed to apply it for its job leaves it
 * alone for a second: at most one such attempt per worker per second of the part's life (before,
 * every waiting slot re-ran the failing part every few milliseconds: 19–46 attempts in < 1 s).
 */
async function expectOnlyFailedTries(h: Harness, failed: PartJobData): Promise<void> {
  const job = await h.partQueue.getJob(jobIds.part(failed.seq, failed.part));
  const lifeMs = (job?.finishedOn ?? 0) - (job?.timestamp ?? 0);
  const pulls = h.log.filter(
    (l) =>
      l.msg.startsWith('could not apply the next part') &&
      l.obj.seq === failed.seq &&
      l.obj.part === failed.part,
  ).length;
  expect(pulls).toBeLessThanOrEqual(h.workers.length * (Math.ceil(lifeMs / 1000) + 1));
  const tries = h.log
    .filter((l) => l.msg === 'job failed; it will be retried' || l.msg === 'job failed for good')
    .map((l) => `${String(l.obj.jobId)} ${l.msg}`);
  const id = jobIds.part(failed.seq, failed.part);
  expect(tries).toEqual([
    ...Array.from({ length: RETRY.attempts - 1 }, () => `${id} job failed; it will be retried`),
    `${id} job failed for good`,
  ]);
}

/**
 * Every other part committed once, as the embedded store applies the same parts without the failed
 * one: per part the same events, duplicates and decision ids; overall the same decisions (ids, seq,
 * codes, totals) and person-days; and one store version per committed part (the closing part
 * included), so no part committed twice.
 */
async function expectAppliedExactly(
  h: Harness,
  committed: readonly PartJobData[],
  commits: number,
): Promise<void> {
  const perPart = await embeddedOutcomes(committed);
  for (const p of committed) {
    const got = await h.store.partOutcome(p.seq, p.part);
    const want = perPart.get(key(p));
    expect(got, `outcome of ${key(p)}`).toBeDefined();
    expect(
      { events: got?.eventsApplied, duplicates: got?.duplicates.length, decisionIds: got?.decisionIds },
      `outcome of ${key(p)}`,
    ).toEqual(want);
    expect(got?.reason, `reason of ${key(p)}`).toBe(p.reason);
  }
  const reference = await embeddedReference(committed, config);
  const got = comparable(await h.store.allDecisions(), await h.store.personDays());
  expect(got.decisions.length).toBe(reference.decisions.length);
  expect(got).toEqual(reference);
  expect(new Set(got.decisions.map((d) => d[0])).size).toBe(got.decisions.length);
  expect(Number(await h.client.hget(h.store.keys.meta, 'version'))).toBe(commits);
}

describe('a part whose commit fails on every try', () => {
  it('WRONGTYPE from the commit script: dead-lettered after its tries, position closed, later inputs exact, payload re-sent', async () => {
    await withHarness('commit-wrongtype', 2, 1, async (h) => {
      // Inputs 1-12 and 14-33 synthetic; 13 crafted in 3 parts, of which part 1 fails.
      const K = 13;
      const synthetic = shifted(
        syntheticParts({ inputs: 32, seed: 8, maxEvents: 10, bills: 80, consignees: 4 }),
        K,
        1,
      );
      const day = '2025-06-10';
      const input13 = [
        craftedPart(K, 0, false, [ev({ bill: 'K13A', consignee: 'CK13', cents: 10_000, day })]),
        // Crosses CK13's day ($100 + $500 + $500 > $800): decisions, so its commit reads the decision hash.
        craftedPart(K, 1, false, [
          ev({ bill: 'K13B', consignee: 'CK13', cents: 50_000, day }),
          ev({ bill: 'K13C', consignee: 'CK13', cents: 50_000, day }),
        ]),
        // No decisions: it commits while the decision hash is still broken.
        craftedPart(K, 2, true, [ev({ bill: 'K13D', consignee: 'CK13-2', cents: 2_000, day })]),
      ];
      const failed = input13[1] as PartJobData;
      const first = synthetic.filter((p) => p.seq < K);
      const next = synthetic.filter((p) => p.seq === K + 1);
      const later = synthetic.filter((p) => p.seq > K + 1);
      const last = Math.max(...later.map((p) => p.seq));

      await h.partQueue.addBulk(partJobs(first, h.settings));
      await waitForGate(h.store, K - 1, STALL_MS);

      // The decision hash becomes a string: every commit that adds decisions now fails with
      // WRONGTYPE, before the script's first write.
      const keys = h.store.keys;
      const aside = `${keys.prefix}dec-aside`;
      expect(await h.client.exists(keys.decisions), 'inputs 1-12 made decisions').toBe(1);
      await h.client.multi().rename(keys.decisions, aside).set(keys.decisions, 'not a hash').exec();

      // Input 13 and every input after 14 are queued now; input 14 only once the store is repaired,
      // so no part with decisions can commit while the hash is broken (the gate waits for 14).
      const added = Date.now();
      await h.partQueue.addBulk(partJobs([...input13, ...later], h.settings));
      await waitForGate(h.store, K, STALL_MS);
      const elapsed = Date.now() - added;
      expect(await h.store.gate()).toEqual({ seq: K, part: 2, done: true });
      await h.client.rename(aside, keys.decisions);
      await h.partQueue.addBulk(partJobs(next, h.settings));
      await waitForGate(h.store, last, STALL_MS);

      const entry = await expectDeadLettered(h, failed, /WRONGTYPE.*script/);
      expect(elapsed).toBeGreaterThanOrEqual(BACKOFF_TOTAL_MS);
      expect((await h.store.partOutcome(K, 2))?.eventsApplied).toBe(1);

      // Re-sent as a new input (docs: "re-send its payload as a new input"), the payload applies in
      // full: its interchanges were never recorded, and it adds decisions now that the store is whole.
      const payload = entry.payload as PartJobData;
      const resent: PartJobData = {
        seq: last + 1,
        part: 0,
        last: true,
        name: `${payload.name} (re-sent)`,
        interchanges: payload.interchanges,
      };
      await h.partQueue.addBulk(partJobs([resent], h.settings));
      await waitForGate(h.store, resent.seq, STALL_MS);
      const resentOutcome = await h.store.partOutcome(resent.seq, 0);
      expect(resentOutcome?.eventsApplied).toBe(2);
      expect(resentOutcome?.decisionIds.length).toBeGreaterThan(0);

      const committed = [...first, ...input13.filter((p) => p !== failed), ...next, ...later, resent];
      // One commit per part: every part but the failed one, its closing part, and the re-sent input.
      await expectAppliedExactly(h, committed, committed.length + 1);
      expect(await waitForQueueEnd(h.partQueue, 10_000)).toEqual([jobIds.part(failed.seq, failed.part)]);
      await expectOnlyFailedTries(h, failed);
    });
  }, 60_000);

  it('DUPLICATE_DECISION for one part only, every part queued from the start: the gate never stalls and the rest is exact', async () => {
    await withHarness('commit-duplicate', 2, 2, async (h) => {
      // Inputs 1-9 and 11-31 synthetic; 10 crafted (one part) and fails.
      const K = 10;
      const synthetic = shifted(
        syntheticParts({ inputs: 30, seed: 21, maxEvents: 10, bills: 80, consignees: 4 }),
        K,
        1,
      );
      const day = '2025-06-10';
      const failed = craftedPart(K, 0, true, [
        ev({ bill: 'K10A', consignee: 'CK10', cents: 45_000, day }),
        ev({ bill: 'K10B', consignee: 'CK10', cents: 45_000, day }),
      ]);
      const parts = [...synthetic, failed].sort((a, b) => a.seq - b.seq || a.part - b.part);
      const committed = parts.filter((p) => p !== failed);
      const last = Math.max(...parts.map((p) => p.seq));

      // A decision id only the failing part adds (its crossing of a day no other input touches)
      // is already in the store: the commit script refuses the part before writing anything.
      const own = (await embeddedReference([failed], config)).decisions.map((d) => d[0]);
      expect(own.length).toBeGreaterThan(0);
      const others = (await embeddedReference(committed, config)).decisions.map((d) => d[0]);
      const seeded = own[own.length - 1] as string;
      expect(others).not.toContain(seeded);
      await h.client.hset(h.store.keys.decisions, seeded, '{"seeded":"by the test"}');

      const added = Date.now();
      await h.partQueue.addBulk(partJobs(parts, h.settings));
      await waitForGate(h.store, last, STALL_MS);
      expect(Date.now() - added).toBeGreaterThanOrEqual(BACKOFF_TOTAL_MS);

      await expectDeadLettered(
        h,
        failed,
        new RegExp(`DUPLICATE_DECISION ${seeded.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
      );
      // One commit per part: every part but the failed one, and its closing part.
      await expectAppliedExactly(h, committed, committed.length + 1);
      // The seeded record is untouched and not listed as a decision.
      expect(await h.client.hget(h.store.keys.decisions, seeded)).toBe('{"seeded":"by the test"}');
      await expectOnlyFailedTries(h, failed);
    });
  }, 60_000);
});
