/**
 * The producer: puts interchanges on the BullMQ queue the workers consume.
 *
 * - Payloads over `maxBytes` (and empty ones, bad partner ids, unsafe file names) are refused with a
 *   typed EnqueueRefusedError before Redis is touched.
 * - The job id is derived from partner + content (producer-job.ts), so enqueueing the same bytes
 *   twice yields one job; the result says `duplicate: true` and carries the first job's sequence.
 * - Each enqueue takes an arrival sequence number from a Redis INCR; the aggregation orders by it.
 *   A duplicate also consumed a number: sequences are increasing, not gap-free.
 *
 * Redis is reached only at the URL given (config default redis://127.0.0.1:6379); the first connect
 * fails fast with a clear QueueUnavailableError instead of retrying forever.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { AdapterLogger } from '../../config/logger.js';
import { silentLogger } from '../../config/logger.js';
import { redactUrl } from '../../config/redact.js';
import { PartnerIdSchema } from '../../config/schema.js';
import { checkFileName } from '../inbox/file-name.js';
import { EnqueueRefusedError, PayloadTooLargeError, QueueUnavailableError } from './producer-errors.js';
import {
  arrivalSequenceKey,
  INTERCHANGE_JOB_NAME,
  type InterchangeJobData,
  InterchangeJobDataSchema,
  interchangeJobId,
  sha256Hex,
} from './producer-job.js';

export interface ProducerOptions {
  /** `redis://host:port[/db]` (explicit host), or an explicit host and port. */
  connection: string | RedisEndpoint;
  queueName: string;
  /** Largest raw interchange accepted, in bytes. */
  maxBytes: number;
  /** BullMQ key prefix (default 'bull'). */
  prefix?: string;
  /** Redis password, when not in the URL (from config: redis.passwordEnv). */
  password?: string;
  /** Per-job options; defaults below keep finished jobs 14 days, which is also the duplicate window. */
  jobOptions?: JobsOptions;
  connectTimeoutMs?: number;
  logger?: AdapterLogger;
  now?: () => Date;
}

export interface RedisEndpoint {
  host: string;
  port: number;
  db?: number;
  username?: string;
}

export interface EnqueueInput {
  partnerId: string;
  fileName: string;
  bytes: Uint8Array;
}

export interface EnqueueResult {
  jobId: string;
  /** The arrival sequence of the job on the queue (the first one's, for a duplicate). */
  sequence: number;
  /** true when the same partner+content was already on the queue: nothing new was added. */
  duplicate: boolean;
  sha256: string;
  size: number;
}

export interface Producer {
  readonly queueName: string;
  readonly maxBytes: number;
  enqueueInterchange(input: EnqueueInput): Promise<EnqueueResult>;
  close(): Promise<void>;
}

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 14 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

function describeConnection(connection: ProducerOptions['connection']): string {
  return typeof connection === 'string' ? redactUrl(connection) : `redis://${connection.host}:${connection.port}`;
}

/** Connects (failing fast when Redis is unreachable) and returns a producer. */
export async function createProducer(options: ProducerOptions): Promise<Producer> {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes <= 0) throw new RangeError('maxBytes must be a positive integer');
  const log = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const where = describeConnection(options.connection);
  const prefix = options.prefix ?? 'bull';

  let lastError: Error | undefined;
  let connected = false;
  const redisOptions = {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    // Commands fail after a few tries instead of queueing forever while Redis is down.
    maxRetriesPerRequest: 3,
    // Before the first connect: give up (clear error to the caller). Afterwards: keep reconnecting.
    retryStrategy: (times: number) => (connected ? Math.min(times * 200, 5_000) : null),
    ...(options.password !== undefined ? { password: options.password } : {}),
  } satisfies RedisOptions;
  const redis =
    typeof options.connection === 'string' ? new Redis(options.connection, redisOptions) : new Redis({ ...options.connection, ...redisOptions });
  redis.on('error', (err: Error) => {
    lastError = err;
    if (connected) log.warn({ redis: where, error: err.message }, 'producer: redis connection error');
  });
  try {
    await redis.connect();
    connected = true;
  } catch (err) {
    redis.disconnect();
    const reason = lastError?.message ?? (err instanceof Error ? err.message : String(err));
    throw new QueueUnavailableError(`cannot reach Redis at ${where}: ${reason}`, { cause: lastError ?? err });
  }

  const queue = new Queue<InterchangeJobData>(options.queueName, { connection: redis, prefix });
  const seqKey = arrivalSequenceKey(prefix, options.queueName);
  const jobOptions = { ...DEFAULT_JOB_OPTIONS, ...options.jobOptions };
  log.info({ redis: where, queue: options.queueName }, 'producer: connected');

  return {
    queueName: options.queueName,
    maxBytes: options.maxBytes,

    async enqueueInterchange(input: EnqueueInput): Promise<EnqueueResult> {
      const { partnerId, fileName, bytes } = input;
      // Size first: an oversized payload is refused before it is hashed or sent anywhere.
      if (bytes.byteLength > options.maxBytes) throw new PayloadTooLargeError(bytes.byteLength, options.maxBytes, fileName);
      if (bytes.byteLength === 0) throw new EnqueueRefusedError('PRODUCER_EMPTY_PAYLOAD', `${fileName}: empty file`);
      if (!PartnerIdSchema.safeParse(partnerId).success) {
        throw new EnqueueRefusedError('PRODUCER_INVALID_PARTNER', `partner id ${JSON.stringify(partnerId)} is not 1-64 chars of A-Z a-z 0-9 . _ -`);
      }
      const nameProblems = checkFileName(fileName);
      if (nameProblems.length > 0) {
        throw new EnqueueRefusedError('PRODUCER_UNSAFE_FILE_NAME', `file name ${JSON.stringify(fileName)}: ${nameProblems.map((p) => p.message).join('; ')}`);
      }

      const sha256 = sha256Hex(bytes);
      const jobId = interchangeJobId(partnerId, sha256);
      try {
        const sequence = await redis.incr(seqKey);
        const data: InterchangeJobData = InterchangeJobDataSchema.parse({
          v: 1,
          partnerId,
          fileName,
          sha256,
          size: bytes.byteLength,
          sequence,
          enqueuedAt: now().toISOString(),
          payloadBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
        });
        await queue.add(INTERCHANGE_JOB_NAME, data, { ...jobOptions, jobId });
        // On a duplicate id BullMQ keeps the first job and hands back our unsaved copy: read what is stored.
        const stored = await queue.getJob(jobId);
        const storedSeq = (stored?.data as InterchangeJobData | undefined)?.sequence;
        const duplicate = storedSeq !== undefined && storedSeq !== sequence;
        const result: EnqueueResult = { jobId, sequence: duplicate ? storedSeq : sequence, duplicate, sha256, size: bytes.byteLength };
        log.info({ queue: options.queueName, partnerId, file: fileName, jobId, sequence: result.sequence, duplicate, size: result.size }, 'producer: enqueued');
        return result;
      } catch (err) {
        if (err instanceof EnqueueRefusedError) throw err;
        throw new QueueUnavailableError(`enqueue of ${fileName} to ${where}/${options.queueName} failed: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    },

    async close(): Promise<void> {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
