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
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { OutboundConflictError, RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
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
    await store.applyBatch(
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
        await store.applyInOrder(
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
});
