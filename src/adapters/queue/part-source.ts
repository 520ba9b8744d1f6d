/**
 * Reads a part job by its position, whoever was handed the job by BullMQ: an aggregate worker whose
 * own part has to wait applies the gate's next part itself when that part's job sits unclaimed in
 * the queue (waiting behind other jobs, or given back to wait for its turn), instead of every hand-over going through BullMQ's
 * delivery order. Reading the job hash directly (BullMQ's `<prefix>:<queue>:<jobId>`, field `data`)
 * costs one HMGET; BullMQ offers no "take job by id".
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIds } from './queue-topology.js';

export interface PulledPart {
  jobId: string;
  /** The job's data (unchecked: the caller parses it like a delivered job's). */
  data: unknown;
}

export interface PartSource {
  /**
   * The part job at (seq, part) that waits untouched or was given back by its worker (delayed to
   * wait for its turn), or undefined: not added yet, running, stalled (its worker died: it ends
   * through BullMQ), retrying after a failure, finished, removed.
   */
  read(seq: number, part: number): Promise<PulledPart | undefined>;
  /** Removes a job whose part was applied by a puller; a job a worker holds right now stays. */
  remove(jobId: string): Promise<void>;
}

export function createPartSource(client: Redis, queue: Queue): PartSource {
  return {
    async read(seq, part) {
      const jobId = jobIds.part(seq, part);
      const [data, processedOn, finishedOn, failedReason] = await client.hmget(
        queue.toKey(jobId),
        'data',
        'processedOn',
        'finishedOn',
        'failedReason',
      );
      if (data === null || data === undefined || finishedOn !== null || failedReason !== null)
        return undefined;
      // Taken before: only a job its worker gave back (delayed, waiting for its turn) is pulled; a
      // job whose worker died (stalled, back in the wait list) ends through BullMQ.
      if (processedOn !== null && (await client.zscore(queue.toKey('delayed'), jobId)) === null)
        return undefined;
      return { jobId, data: JSON.parse(data) as unknown };
    },
    async remove(jobId) {
      // Returns 0 when the job is locked (a worker holds it): that worker finds the part applied.
      await queue.remove(jobId);
    },
  };
}
