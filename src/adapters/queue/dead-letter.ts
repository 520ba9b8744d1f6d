/**
 * The dead-letter queue: inputs and parts that failed for good, or were rejected, kept with their
 * payload and the reason. It is a BullMQ queue without a worker, so entries wait there until an
 * operator lists, fixes and re-sends them (`s321 queue dead-letters`).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobIds } from './queue-topology.js';

export interface DeadLetterEntry {
  /** 'failed': processing failed for good; 'rejected': the input was read and refused (bad EDI). */
  kind: 'failed' | 'rejected';
  queue: string;
  jobId: string;
  /** Arrival sequence (and part) of the input, when known. */
  seq?: number;
  part?: number;
  /** The input's name as received. */
  name?: string;
  reason: string;
  /** Issues (code + message) when the input was rejected. */
  issues?: Array<{ code: string; message: string }>;
  attemptsMade: number;
  failedAt: string;
  /** The job's data as it was: the raw payload of an input, or the events of a part. */
  payload: unknown;
}

export class DeadLetterQueue {
  readonly queue: Queue<DeadLetterEntry>;

  constructor(name: string, connection: Redis, prefix: string) {
    this.queue = new Queue<DeadLetterEntry>(name, { connection, prefix });
  }

  /** Adds an entry once per failed job (a repeated add of the same job is ignored). */
  async add(entry: DeadLetterEntry): Promise<void> {
    await this.queue.add(entry.kind, entry, {
      jobId: jobIds.deadLetter(entry.queue, entry.jobId),
      removeOnComplete: false,
      removeOnFail: false,
    });
  }

  async list(start = 0, end = 99): Promise<DeadLetterEntry[]> {
    const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized'], start, end, true);
    return jobs.map((j) => j.data);
  }

  async count(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'prioritized');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
