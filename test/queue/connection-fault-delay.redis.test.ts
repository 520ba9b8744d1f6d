/**
 * A job that meets a Redis connection fault is put back after a delay that grows with its
 * connection faults (0.5 s doubling to 30 s), not with every time it was started: ordered parts
 * give their slot back to wait for their turn many times (each one a start), and a part — or a
 * routed input whose partition parts were not dispatched yet, which holds every partition — that
 * had waited its turn 7 times was put back for the 30 s ceiling on its first fault, so after a
 * Redis restart under load the gates stood still that long.
 */
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFailurePolicy } from '../../src/app/queue/dead-lettering.js';
import { silentLogger } from '../../src/config/logger.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';

let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedisServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('connection faults', () => {
  it('a job that gave its slot back 8 times is put back 0.5 s after its first connection fault', async () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const queue = new Queue('cfault', { connection: client, prefix: 'test' });
    // When each run of the job started, and what it did.
    const starts: Array<{ at: number; did: 'hand-back' | 'fault' | 'done' }> = [];
    const HAND_BACKS = 8;
    let faulted = false;
    const processor = async (job: Job, token?: string): Promise<string> => {
      const at = Date.now();
      if (starts.filter((s) => s.did === 'hand-back').length < HAND_BACKS) {
        // Not its turn yet: the slot is given back, as the aggregate processor does.
        starts.push({ at, did: 'hand-back' });
        await job.moveToDelayed(Date.now() + 10, token);
        throw new DelayedError();
      }
      if (!faulted) {
        faulted = true;
        starts.push({ at, did: 'fault' });
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      }
      starts.push({ at, did: 'done' });
      return 'done';
    };
    const worker = new Worker('cfault', withFailurePolicy(processor, silentLogger), {
      connection: client.duplicate(),
      prefix: 'test',
    });
    try {
      const job = await queue.add('part', {}, { jobId: 'p-1', attempts: 3 });
      const deadline = Date.now() + 20_000;
      while (!starts.some((s) => s.did === 'done') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const fault = starts.find((s) => s.did === 'fault');
      const done = starts.find((s) => s.did === 'done');
      expect(starts.filter((s) => s.did === 'hand-back')).toHaveLength(HAND_BACKS);
      expect(fault, JSON.stringify(starts)).toBeDefined();
      expect(
        done,
        `not run again within 20 s of its first connection fault: ${JSON.stringify(starts)}`,
      ).toBeDefined();
      // The first fault's delay is 0.5 s (plus the delayed set's promotion); 30 s was given before.
      expect((done?.at ?? 0) - (fault?.at ?? 0)).toBeLessThan(3_000);
      expect(await (await queue.getJob(job.id as string))?.getState()).toBe('completed');
    } finally {
      await worker.close();
      await queue.close();
      await client.quit();
    }
  }, 60_000);
});
