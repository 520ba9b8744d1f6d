/**
 * The producer against a real redis-server on 127.0.0.1 (test/support/redis-server.ts).
 * No redis-server = a failing test that says to run scripts/install-test-deps.sh.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arrivalMarkerKey,
  arrivalSequenceKey,
  createProducer,
  decodeInterchangePayload,
  EnqueueRefusedError,
  enqueueFile,
  InterchangeJobDataSchema,
  PayloadTooLargeError,
  type Producer,
  producerOptionsFromConfig,
  QueueUnavailableError,
} from '../../../src/adapters/queue/producer-index.js';
import { ingestInputOf } from '../../../src/app/queue/ingest-input.js';
import { parseConfig } from '../../../src/config/load-config.js';
import { freePort } from '../../support/free-port.js';
import { type RedisTestServer, startRedisServer } from '../../support/redis-server.js';

let server: RedisTestServer;
let redis: Redis;
const open: Producer[] = [];
let q = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  for (const p of open) await p.close();
  await redis?.quit();
  await server?.stop();
});

async function producer(queueName: string, maxBytes = 10_000): Promise<Producer> {
  const p = await createProducer({ connection: server.url, queueName, maxBytes });
  open.push(p);
  return p;
}

function newQueue(): string {
  return `t${++q}-${Date.now().toString(36)}`;
}

async function jobsOf(queueName: string): Promise<number> {
  const queue = new Queue(queueName, { connection: redis });
  const counts = await queue.getJobCounts();
  await queue.close();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

describe('producer against Redis', () => {
  it('refuses payloads over the limit with a typed error, touching nothing in Redis', async () => {
    const name = newQueue();
    const p = await producer(name, 1000);
    const err = await p
      .enqueueInterchange({ partnerId: 'acme', fileName: 'big.edi', bytes: new Uint8Array(1001) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err).toMatchObject({ code: 'INTAKE_TOO_LARGE', size: 1001, maxBytes: 1000 });
    expect(await redis.exists(arrivalSequenceKey('bull', name))).toBe(0);
    expect(await jobsOf(name)).toBe(0);
    const ok = await p.enqueueInterchange({
      partnerId: 'acme',
      fileName: 'at-limit.edi',
      bytes: new Uint8Array(1000).fill(65),
    });
    expect(ok.size).toBe(1000);
    expect(await jobsOf(name)).toBe(1);
  });

  it('refuses empty payloads, bad partner ids and unsafe file names', async () => {
    const name = newQueue();
    const p = await producer(name);
    const bytes = Buffer.from('ISA*00*');
    const cases: Array<[Parameters<Producer['enqueueInterchange']>[0], string]> = [
      [{ partnerId: 'acme', fileName: 'e.edi', bytes: new Uint8Array(0) }, 'PRODUCER_EMPTY_PAYLOAD'],
      [{ partnerId: 'ac:me', fileName: 'e.edi', bytes }, 'PRODUCER_INVALID_PARTNER'],
      [{ partnerId: '', fileName: 'e.edi', bytes }, 'PRODUCER_INVALID_PARTNER'],
      [{ partnerId: 'acme', fileName: '../../etc/passwd', bytes }, 'PRODUCER_UNSAFE_FILE_NAME'],
      [{ partnerId: 'acme', fileName: 'a\nb.edi', bytes }, 'PRODUCER_UNSAFE_FILE_NAME'],
    ];
    for (const [input, code] of cases) {
      const err = await p.enqueueInterchange(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EnqueueRefusedError);
      expect((err as EnqueueRefusedError).code).toBe(code);
    }
    expect(await jobsOf(name)).toBe(0);
  });

  it('derives stable job ids from partner + content, valid for BullMQ', async () => {
    const name = newQueue();
    const [a, b] = [await producer(name), await producer(name)];
    const content = Buffer.from('ISA*00*          *00*          *ZZ*SENDER~');
    const r1 = await a.enqueueInterchange({ partnerId: 'acme', fileName: 'x.edi', bytes: content });
    const r2 = await b.enqueueInterchange({
      partnerId: 'acme',
      fileName: 'renamed.edi',
      bytes: Buffer.from(content),
    });
    const otherPartner = await a.enqueueInterchange({ partnerId: 'zeta', fileName: 'x.edi', bytes: content });
    const otherContent = await a.enqueueInterchange({
      partnerId: 'acme',
      fileName: 'x.edi',
      bytes: Buffer.concat([content, Buffer.from('\n')]),
    });
    expect(r2.jobId).toBe(r1.jobId);
    expect(new Set([r1.jobId, otherPartner.jobId, otherContent.jobId]).size).toBe(3);
    for (const r of [r1, otherPartner, otherContent]) {
      expect(r.jobId).not.toContain(':');
      expect(r.jobId).toMatch(/^ic-[0-9a-f]{64}$/);
      expect(Number.isInteger(Number(r.jobId))).toBe(false);
    }
  });

  it('does not double a duplicate enqueue, even when racing from two producers', async () => {
    const name = newQueue();
    const [a, b] = [await producer(name), await producer(name)];
    const bytes = Buffer.from("UNB+UNOC:3+SENDER+RECEIVER+250812:1200+1'");
    const first = await a.enqueueInterchange({ partnerId: 'acme', fileName: 'c.edi', bytes });
    const again = await a.enqueueInterchange({ partnerId: 'acme', fileName: 'c.edi', bytes });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, jobId: first.jobId, sequence: first.sequence });

    const racing = Buffer.from('ISA race');
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).enqueueInterchange({ partnerId: 'acme', fileName: 'r.edi', bytes: racing }),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.jobId)).size).toBe(1);
    expect(new Set(results.map((r) => r.sequence)).size).toBe(1);
    expect(await jobsOf(name)).toBe(2);
  });

  it('numbers arrivals 1, 2, 3, … without gaps across producers; duplicates take no number', async () => {
    const name = newQueue();
    const [a, b] = [await producer(name), await producer(name)];
    const sequential: number[] = [];
    for (let i = 0; i < 10; i++) {
      const p = i % 2 === 0 ? a : b;
      sequential.push(
        (
          await p.enqueueInterchange({
            partnerId: 'acme',
            fileName: `s${i}.edi`,
            bytes: Buffer.from(`seq ${i}`),
          })
        ).sequence,
      );
      // A duplicate in between takes no number.
      expect(
        (
          await p.enqueueInterchange({
            partnerId: 'acme',
            fileName: `s${i}.edi`,
            bytes: Buffer.from(`seq ${i}`),
          })
        ).duplicate,
      ).toBe(true);
    }
    expect(sequential).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const concurrent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).enqueueInterchange({
          partnerId: 'acme',
          fileName: `c${i}.edi`,
          bytes: Buffer.from(`conc ${i % 15}`),
        }),
      ),
    );
    // 15 distinct contents among 20 enqueues: numbers 11..25, each exactly once.
    const fresh = concurrent.filter((r) => !r.duplicate).map((r) => r.sequence);
    expect(fresh.sort((x, y) => x - y)).toEqual(Array.from({ length: 15 }, (_, i) => 11 + i));
    expect(Number(await redis.get(arrivalSequenceKey('bull', name)))).toBe(25);
    expect(await jobsOf(name)).toBe(25);
  });

  it('jobs carry what the ingest worker reads: seq, name and the exact bytes', async () => {
    const name = newQueue();
    const p = await producer(name);
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const r = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'bin.edi', bytes: binary });
    const queue = new Queue(name, { connection: redis });
    const job = await queue.getJob(r.jobId);
    await queue.close();
    const data = InterchangeJobDataSchema.parse(job?.data);
    expect(data).toMatchObject({
      seq: r.sequence,
      name: 'bin.edi',
      partnerId: 'acme',
      size: 256,
      sha256: r.sha256,
    });
    expect(decodeInterchangePayload(data).equals(binary)).toBe(true);
    expect(() =>
      decodeInterchangePayload({ ...data, payload: Buffer.from('tampered').toString('base64') }),
    ).toThrow(/does not match/);
    // The queue-mode ingest worker's own reader accepts the job as it is.
    const input = await ingestInputOf(job?.data);
    expect(input.seq).toBe(r.sequence);
    expect(input.name).toBe('bin.edi');
    expect(Buffer.from(input.bytes).equals(binary)).toBe(true);
  });

  it('an enqueue interrupted between numbering and adding is completed by the next enqueue of the same content', async () => {
    const name = newQueue();
    const p = await producer(name);
    const bytes = Buffer.from('ISA interrupted');
    const first = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'i.edi', bytes });
    // Put Redis in the state a crash right after the numbering leaves: number taken, no job.
    const queue = new Queue(name, { connection: redis });
    await queue.remove(first.jobId);
    await redis.hset(arrivalMarkerKey('bull', name, first.jobId), 'added', 0);
    expect(await queue.getJob(first.jobId)).toBeUndefined();

    const retry = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'i.edi', bytes });
    expect(retry).toMatchObject({
      duplicate: true,
      repaired: true,
      sequence: first.sequence,
      jobId: first.jobId,
    });
    expect(InterchangeJobDataSchema.parse((await queue.getJob(first.jobId))?.data).seq).toBe(first.sequence);
    // A job that completed and was trimmed is not re-added: its number was already applied.
    await queue.remove(first.jobId);
    const late = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'i.edi', bytes });
    expect(late).toMatchObject({ duplicate: true, repaired: false, sequence: first.sequence });
    expect(await queue.getJob(first.jobId)).toBeUndefined();
    expect(
      (await p.enqueueInterchange({ partnerId: 'acme', fileName: 'n.edi', bytes: Buffer.from('next') }))
        .sequence,
    ).toBe(first.sequence + 1);
    await queue.close();
  });

  it('after the dedupe window the same content is a new arrival with its own job', async () => {
    const name = newQueue();
    const p = await createProducer({
      connection: server.url,
      queueName: name,
      maxBytes: 100,
      dedupeWindowSeconds: 1,
    });
    open.push(p);
    const bytes = Buffer.from('ISA resent next month');
    const first = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'm.edi', bytes });
    await redis.expire(arrivalMarkerKey('bull', name, first.jobId), 0); // the window has passed
    const resent = await p.enqueueInterchange({ partnerId: 'acme', fileName: 'm.edi', bytes });
    expect(resent).toMatchObject({ duplicate: false, sequence: first.sequence + 1 });
    // The first job still holds the content id, so the new number got its own job.
    expect(resent.jobId).toBe(`${first.jobId}-${resent.sequence}`);
    expect(await jobsOf(name)).toBe(2);
  });

  it('fails fast and clearly when Redis is not there, without printing a password', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await createProducer({
      connection: `redis://app:s3cret-pw@127.0.0.1:${port}`,
      queueName: 'x',
      maxBytes: 10,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueUnavailableError);
    expect((err as Error).message).toMatch(
      new RegExp(`cannot reach Redis at redis://app:\\[REDACTED\\]@127\\.0\\.0\\.1:${port}.*ECONNREFUSED`),
    );
    expect((err as Error).message).not.toContain('s3cret-pw');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('enqueues files within the limit for the CLI, configured from the service config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's321-enq-'));
    try {
      const cfg = parseConfig(
        {
          dataDir: dir,
          redis: { url: server.url, queueName: newQueue() },
          limits: { maxQueuePayloadBytes: 100 },
        },
        { baseDir: dir },
      );
      const p = await createProducer(producerOptionsFromConfig(cfg));
      open.push(p);
      expect(p).toMatchObject({ queueName: cfg.redis.queueName, maxBytes: 100 });
      await writeFile(join(dir, 'ok.edi'), 'ISA ok');
      await writeFile(join(dir, 'big.edi'), Buffer.alloc(101, 65));
      await symlink(join(dir, 'ok.edi'), join(dir, 'link.edi'));
      const r = await enqueueFile(p, { partnerId: 'acme', path: join(dir, 'ok.edi') });
      expect(r).toMatchObject({ size: 6, duplicate: false });
      await expect(enqueueFile(p, { partnerId: 'acme', path: join(dir, 'big.edi') })).rejects.toBeInstanceOf(
        PayloadTooLargeError,
      );
      await expect(enqueueFile(p, { partnerId: 'acme', path: join(dir, 'link.edi') })).rejects.toMatchObject({
        code: 'ELOOP',
      });
      expect(await jobsOf(cfg.redis.queueName)).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
