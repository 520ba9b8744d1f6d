/**
 * Which part jobs an aggregate worker may pull (src/adapters/queue/part-source.ts), with BullMQ on a
 * real redis-server: a job nobody holds is pulled — never taken, delayed after a hand-back, and back
 * in the wait list after a hand-back (the case that used to be skipped, leaving the gate's next part
 * behind every other job); a job a worker holds, a job retrying after a failure and a finished job
 * are not.
 */
import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createPartSource } from '../../src/adapters/queue/part-source.js';
import { jobIds } from '../../src/adapters/queue/queue-topology.js';
import { useRedisServer } from '../support/redis-server.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: null });

describe('part source', () => {
  it('pulls a job no worker holds, in every state it can wait in, and no other', async () => {
    const name = 'parts-pull';
    const queue = new Queue(name, { connection: testRedis.client, prefix: 'ps' });
    // A manual worker: takes jobs with getNextJob, as a worker's slot does.
    const worker = new Worker(name, null, {
      connection: testRedis.client,
      prefix: 'ps',
      lockDuration: 30_000,
    });
    const source = createPartSource(testRedis.client, queue);
    try {
      const add = (seq: number) =>
        queue.add('part', { seq, part: 0 }, { jobId: jobIds.part(seq, 0), attempts: 3 });
      await add(1);
      // Waiting, never taken.
      expect((await source.read(1, 0))?.data).toEqual({ seq: 1, part: 0 });
      expect(await source.read(2, 0)).toBeUndefined(); // not added

      // Held by a worker: not pulled.
      const job = await worker.getNextJob('tok-1');
      expect(job?.id).toBe(jobIds.part(1, 0));
      expect(await source.read(1, 0)).toBeUndefined();

      // Given back (delayed): pulled.
      await job?.moveToDelayed(Date.now() + 60_000, 'tok-1');
      expect(await job?.getState()).toBe('delayed');
      expect((await source.read(1, 0))?.jobId).toBe(jobIds.part(1, 0));

      // Back in the wait list after the hand-back: pulled (was skipped as if its worker had died).
      await job?.promote();
      expect(await job?.getState()).toBe('waiting');
      expect((await source.read(1, 0))?.jobId).toBe(jobIds.part(1, 0));

      // Taken again and failed once (retrying with its own tries): not pulled.
      const again = await worker.getNextJob('tok-2');
      expect(again?.id).toBe(jobIds.part(1, 0));
      await again?.moveToFailed(new Error('adapter fault'), 'tok-2');
      expect(await source.read(1, 0)).toBeUndefined();
      expect(await again?.getState()).toBe('waiting'); // back for its next try
      await queue.remove(jobIds.part(1, 0));

      // Finished: not pulled.
      await add(3);
      const third = await worker.getNextJob('tok-3');
      expect(third?.id).toBe(jobIds.part(3, 0));
      await third?.moveToCompleted({ ok: true }, 'tok-3', false);
      expect(await source.read(3, 0)).toBeUndefined();

      // Removing a pulled job; a held job stays.
      await add(4);
      expect((await source.read(4, 0))?.jobId).toBe(jobIds.part(4, 0));
      await source.remove(jobIds.part(4, 0));
      expect(await queue.getJob(jobIds.part(4, 0))).toBeUndefined();
      await add(5);
      const fifth = await worker.getNextJob('tok-5');
      expect(fifth?.id).toBe(jobIds.part(5, 0));
      await source.remove(jobIds.part(5, 0)).catch(() => undefined);
      expect(await (await queue.getJob(jobIds.part(5, 0)))?.getState()).toBe('active');
    } finally {
      await worker.close(true);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });
});
