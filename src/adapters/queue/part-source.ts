/**
 * Reads a part job by its position, whoever was handed the job by BullMQ: an aggregate worker whose
 * own part has to wait applies the gate's next part itself when no worker holds that part's job
 * (waiting behind other jobs, given back to wait for its turn, or left by a worker that died),
 * instead of every hand-over going through BullMQ's delivery order. Reading the job hash directly
 * (BullMQ's `<prefix>:<queue>:<jobId>`, field `data`) and its lock key costs one round trip; BullMQ
 * offers no "take job by id".
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
   * The part job at (seq, part) that no worker holds right now — waiting in the queue (never taken,
   * given back to wait for its turn, or back after its worker died) or delayed — or undefined: not
   * added yet, held (its lock is set), retrying after a failure (its own tries and the dead letter
   * decide), finished, removed.
   */
  read(seq: number, part: number): Promise<PulledPart | undefined>;
  /** Removes a job whose part was applied by a puller; a job a worker holds right now stays. */
  remove(jobId: string): Promise<void>;
}

export function createPartSource(client: Redis, queue: Queue): PartSource {
  return {
    async read(seq, part) {
      const jobId = jobIds.part(seq, part);
      const key = queue.toKey(jobId);
      const replies = await client
        .pipeline()
        .hmget(key, 'data', 'finishedOn', 'failedReason')
        .exists(`${key}:lock`) // BullMQ's lock on a job a worker holds (`<job key>:lock`)
        .exec();
      const [fieldsReply, lockReply] = replies ?? [];
      if (fieldsReply?.[0] || lockReply?.[0]) return undefined;
      const [data, finishedOn, failedReason] = (fieldsReply?.[1] ?? []) as Array<string | null | undefined>;
      if (data === null || data === undefined || finishedOn !== null || failedReason !== null)
        return undefined;
      // Held by a worker: that worker applies it (and finds it applied if a puller was faster).
      // A job given back and then promoted from delayed to the wait list is NOT held: it used to be
      // skipped here as if its worker had died, and the gate's next part then sat behind every other
      // job in the queue while the workers handed back part after part (1M shipments: 4993 hand-backs,
      // 47 pulls, 522 s for 69 s of work). A stalled job (its worker died, its lock expired) is pulled
      // too: exactly-once does not depend on who applies a part (claims and the gate's compare-and-set).
      if (lockReply?.[1] === 1) return undefined;
      return { jobId, data: JSON.parse(data) as unknown };
    },
    async remove(jobId) {
      // Returns 0 when the job is locked (a worker holds it): that worker finds the part applied.
      await queue.remove(jobId);
    },
  };
}
