/**
 * The emit side of queue mode: two emit workers triggered many times while decisions keep being
 * committed put every decision into exactly one outbound file (the lease keeps them from running
 * together; the store refuses a decision already taken). The emitter here is a minimal one written
 * against the DecisionStore port the way src/app/emit-outbound.ts uses it (pending → record →
 * write → mark written); the workers under test do not depend on which emitter they run.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { OutboundConflictError, RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import { applyInOrder } from '../../src/app/queue/apply-in-order.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { DecisionStore, OutboundRecord } from '../../src/ports/decision-store.js';
import { startEmitWorker } from '../../workers/emit.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { ev } from '../aggregate/event-builder.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { testSettings } from './support/queue-fixture.js';

let server: RedisTestServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** One file per recipient with every pending decision id, like the real emitter's bookkeeping. */
async function minimalEmit(store: DecisionStore, dir: string): Promise<{ files: number }> {
  for (const f of await store.unwrittenOutbound()) writeFileSync(join(dir, f.name), f.content);
  const pending = await store.pendingDecisions();
  const byRecipient = new Map<string, string[]>();
  for (const d of pending)
    byRecipient.set(d.recipient, [...(byRecipient.get(d.recipient) ?? []), d.decisionId]);
  const files: OutboundRecord[] = [];
  for (const [recipient, ids] of byRecipient) {
    const icn = await store.reserveControlNumbers(recipient, 'isa', 1, 999_999_999);
    files.push({
      name: `${recipient}-${icn}.txt`,
      recipient,
      channel: 'test',
      content: `${ids.join('\n')}\n`,
      twin: '',
      decisionIds: ids,
    });
  }
  await store.recordOutbound(files);
  for (const f of files) writeFileSync(join(dir, f.name), f.content);
  await store.markWritten(files.map((f) => f.name));
  return { files: files.length };
}

describe('emit', () => {
  it('recording the same decisions twice is refused whole', async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 3 });
    const store = new RedisDecisionStore({ client, namespace: 'emit-race' });
    await applyBatch(
      store,
      [
        {
          sender: 'S',
          controlNumber: '1',
          fingerprint: 'f',
          file: 'f',
          events: [ev({ bill: 'A', cents: 90000 })],
        },
      ],
      aggregationConfig(),
    );
    const [decision] = await store.pendingDecisions();
    const file = (name: string): OutboundRecord => ({
      name,
      recipient: 'ABCD',
      channel: 'c',
      content: 'x',
      twin: '',
      decisionIds: [decision?.decisionId ?? ''],
    });
    const results = await Promise.allSettled([
      store.recordOutbound([file('one')]),
      store.recordOutbound([file('two')]),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.any(OutboundConflictError),
    });
    expect(await store.pendingDecisions()).toEqual([]);
    expect((await store.unwrittenOutbound()).map((f) => f.name)).toHaveLength(1);
    await store.close();
    await client.quit();
  });

  it('two emit workers, many triggers, decisions still coming: each decision in exactly one file', async () => {
    const settings = testSettings(server.url, 'emit2');
    const dir = mkdtempSync(join(tmpdir(), 's321-outbound-'));
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    const workers: RunningWorker[] = [];
    for (let i = 0; i < 2; i++)
      workers.push(await startEmitWorker({ settings, emit: (s) => minimalEmit(s, dir), leaseMs: 10_000 }));
    const triggers = new Queue(queueTopology(settings.queueName).emit, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    const config = aggregationConfig();
    try {
      for (let seq = 1; seq <= 30; seq++) {
        // Every input crosses its own consignee's day: 1-3 decisions per input.
        const events = [
          ev({ bill: `X${seq}`, consignee: `C${seq}`, cents: 50000 }),
          ev({ bill: `Y${seq}`, consignee: `C${seq}`, cents: 40000, mode: seq % 2 === 0 ? 'air' : 'truck' }),
        ];
        await applyInOrder(
          store,
          { seq, part: 0, last: true },
          [{ sender: 'S', controlNumber: String(seq), fingerprint: `f${seq}`, file: `in${seq}`, events }],
          config,
        );
        await triggers.add('emit', { seq, part: 0 }, { jobId: `emit-${seq}-0` });
      }
      await triggers.add('emit', {}, { jobId: 'emit-final' });
      const all = await store.allDecisions();
      const deadline = Date.now() + 30_000;
      while ((await store.pendingDecisions()).length > 0 || (await store.unwrittenOutbound()).length > 0) {
        if (Date.now() > deadline) throw new Error('decisions still pending');
        await new Promise((r) => setTimeout(r, 50));
      }
      const written = readdirSync(dir).flatMap((name) =>
        readFileSync(join(dir, name), 'utf8').trim().split('\n'),
      );
      expect(written.sort()).toEqual(all.map((d) => d.decisionId).sort());
      expect(await triggers.getJobCounts('failed')).toEqual({ failed: 0 });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await triggers.close();
      await store.close();
      await client.quit();
    }
  }, 60_000);

  it('the real emitter (src/app/emit-outbound.ts) on the Redis store, two emit workers: each decision sent once', async () => {
    const settings = testSettings(server.url, 'emit-real');
    const dir = mkdtempSync(join(tmpdir(), 's321-outbound-real-'));
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    const clock = fixedClock('2025-06-10T12:00');
    const emit = async (s: DecisionStore) => ({ files: (await emitOutbound(s, dir, clock)).files.length });
    const workers: RunningWorker[] = [];
    for (let i = 0; i < 2; i++) workers.push(await startEmitWorker({ settings, emit, leaseMs: 10_000 }));
    const triggers = new Queue(queueTopology(settings.queueName).emit, {
      connection: client,
      prefix: settings.bullPrefix,
    });
    try {
      for (let seq = 1; seq <= 20; seq++) {
        const events = [
          ev({ bill: `X${seq}`, consignee: `C${seq}`, cents: 50000 }),
          ev({
            bill: `Y${seq}`,
            consignee: `C${seq}`,
            cents: 40000,
            standard: seq % 2 === 0 ? 'edifact' : 'x12',
          }),
        ];
        await applyInOrder(
          store,
          { seq, part: 0, last: true },
          [{ sender: 'S', controlNumber: String(seq), fingerprint: `f${seq}`, file: `in${seq}`, events }],
          aggregationConfig(),
        );
        await triggers.add('emit', { seq, part: 0 }, { jobId: `emit-${seq}-0` });
      }
      await triggers.add('emit', {}, { jobId: 'emit-final' });
      const all = await store.allDecisions();
      expect(all.length).toBe(40);
      // Wait until every trigger ran (the emitter leaves a decision pending when its file cannot be
      // generated, e.g. a partner profile needs a field these synthetic bills lack).
      const deadline = Date.now() + 30_000;
      for (;;) {
        const counts = await triggers.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0) && (await store.unwrittenOutbound()).length === 0)
          break;
        if (Date.now() > deadline) throw new Error(`emit triggers still open: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const pending = new Set((await store.pendingDecisions()).map((d) => d.decisionId));
      // JSON twins are not for partners: they are written to records/, not beside the EDI.
      const records = join(dir, 'records');
      const twins = readdirSync(records)
        .filter((n) => n.endsWith('.json'))
        .map((n) => readFileSync(join(records, n), 'utf8'));
      expect(readdirSync(dir).filter((n) => n.endsWith('.json'))).toEqual([]);
      expect(twins.length).toBeGreaterThan(0);
      for (const d of all) {
        const count = twins.reduce((n, t) => n + t.split(`"${d.decisionId}"`).length - 1, 0);
        // Sent exactly once, or (not generated) still pending and never sent.
        expect(count, d.decisionId).toBe(pending.has(d.decisionId) ? 0 : 1);
      }
      expect(pending.size).toBeLessThan(all.length);
      expect(await triggers.getJobCounts('failed')).toEqual({ failed: 0 });
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await triggers.close();
      await store.close();
      await client.quit();
    }
  }, 60_000);
});
