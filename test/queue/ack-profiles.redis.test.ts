/**
 * Queue mode acknowledges under each sender's partner profile as `s321 replay --partners` does
 * (src/app/acks.ts ackPartnerProfile, one choice for both): the worker runtime loads the partner file
 * (`--partners`, config outbound.partnersPath), the ingest worker records ACMETRUCK's 997s and the
 * emit worker writes them, byte for byte the replay's golden 997s (fixtures/golden/replay-ack-997);
 * the other senders' acknowledgments stay the 999/CONTRL of the plain replay. A partner file that
 * does not validate stops the runtime before any worker starts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERCHANGE_JOB_NAME } from '../../src/adapters/queue/producer-job.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { PartnerProfileError } from '../../src/app/partner-profiles.js';
import { ingestJobData } from '../../src/app/queue/ingest-input.js';
import { resolveQueueRuntime } from '../../src/app/queue/runtime-config.js';
import { startWorker } from '../../src/cli/commands/worker.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';

const DAY = 'fixtures/replay/release2-day';
const GOLDEN_997 = 'fixtures/golden/replay-ack-997';
const GOLDEN_PLAIN = 'fixtures/golden/replay/acks';

let server: RedisTestServer;
const scratch = mkdtempSync(join(tmpdir(), 's321-queue-ack-profiles-'));
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const files = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};
/** `<input>.<interchange control>`: the part queue-mode and embedded names share. */
const ackKey = (name: string): string => {
  const withoutSeq = name.replace(/^\d{9}\./, '');
  return withoutSeq.slice(0, withoutSeq.lastIndexOf('.ack-'));
};

describe('queue-mode acknowledgments follow the partner profile', () => {
  it('a partner file that does not validate stops the runtime', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ recipients: { ACMETRUCK: { x12: { ack: { kind: '4010' } } } } }));
    await expect(resolveQueueRuntime({ redisUrl: server.url, partners: bad }, {}, () => {})).rejects.toThrow(
      PartnerProfileError,
    );
  });

  it("ACMETRUCK's 997s from the workers equal the replay's golden 997s", async () => {
    const partners = join(scratch, 'partners.json');
    writeFileSync(partners, JSON.stringify({ recipients: { ACMETRUCK: { x12: { ack: { kind: '997' } } } } }));
    const opts = {
      redisUrl: server.url,
      queue: 'ackprofiles',
      partitions: 0, // the one-gate store, as before partitions became the default
      partners,
      concurrency: 1,
      now: '2025-06-10T18:00',
      out: join(scratch, 'out', 'outbound'),
    };
    const runtime = await resolveQueueRuntime(opts, {}, () => {});
    const names = files(DAY);
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const topology = queueTopology(runtime.settings.queueName);
    const inputs = new Queue(topology.ingest, { connection: client, prefix: runtime.settings.bullPrefix });
    const workers: RunningWorker[] = [];
    const acksDir = join(scratch, 'out', 'acks');
    try {
      await inputs.addBulk(
        names.map((f, i) => ({
          name: INTERCHANGE_JOB_NAME,
          data: ingestJobData(i + 1, `release2-day/${f}`, readFileSync(join(DAY, f))),
          opts: { jobId: jobIds.ingest(i + 1) },
        })),
      );
      for (const kind of ['ingest', 'aggregate', 'emit'] as const)
        workers.push(await startWorker(kind, runtime, { ...opts, logLevel: 'silent' }));
      const deadline = Date.now() + 60_000;
      while (files(acksDir).length < names.length) {
        if (Date.now() > deadline) throw new Error(`acks written: ${files(acksDir).join(', ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await inputs.close();
      await client.quit();
    }
    const written = files(acksDir);
    expect(written).toHaveLength(names.length);
    const acme = written.filter((f) => f.includes('ack-997_ACMETRUCK'));
    expect(acme).toHaveLength(3);
    const golden997 = new Map(files(GOLDEN_997).map((f) => [ackKey(f), readFileSync(join(GOLDEN_997, f))]));
    for (const f of acme)
      expect(readFileSync(join(acksDir, f)).toString('latin1'), f).toBe(
        golden997.get(ackKey(f))?.toString('latin1'),
      );
    // Everyone else: the plain replay's acknowledgments of the same interchanges.
    const plain = new Map(
      files(GOLDEN_PLAIN)
        .filter((f) => f.startsWith('release2-day__') && !f.includes('_ACMETRUCK_'))
        .map((f) => [ackKey(f), readFileSync(join(GOLDEN_PLAIN, f)).toString('latin1')]),
    );
    const others = written.filter((f) => !f.includes('ACMETRUCK'));
    expect(new Set(others.map(ackKey))).toEqual(new Set(plain.keys()));
    for (const f of others)
      expect(readFileSync(join(acksDir, f)).toString('latin1'), f).toBe(plain.get(ackKey(f)));
  }, 120_000);
});
