/**
 * The producer: puts interchanges on the BullMQ ingest queue the workers consume.
 *
 * - Payloads over `maxBytes` (and empty ones, bad partner ids, unsafe file names) are refused with a
 *   typed EnqueueRefusedError before Redis is touched.
 * - The job id is derived from partner + content (producer-job.ts).
 * - Arrival sequence numbers are gap-free: the aggregate stage applies inputs 1, 2, 3, … in order and
 *   waits for a missing number. So a number is taken (INCR) only for content not seen within the
 *   dedupe window, atomically with recording which job it went to (one Lua script); a duplicate
 *   gets the first enqueue's number back and adds nothing.
 * - If a producer died between taking a number and adding the job, the next enqueue of the same
 *   content adds the job under that number, closing the gap (retrying an enqueue is always safe).
 *
 * Redis is reached only at the URL given (config default redis://127.0.0.1:6379); the first connect
 * fails fast with a clear QueueUnavailableError instead of retrying forever.
 */
import { type JobsOptions, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { AdapterLogger } from '../../config/logger.js';
import { silentLogger } from '../../config/logger.js';
import { redactUrl } from '../../config/redact.js';
import { PartnerIdSchema } from '../../config/schema.js';
import { checkFileName } from '../inbox/file-name.js';
import { describeEndpoint, redisClient } from './bullmq-connection.js';
import { EnqueueRefusedError, PayloadTooLargeError, QueueUnavailableError } from './producer-errors.js';
import {
  arrivalMarkerKey,
  arrivalSequenceKey,
  INTERCHANGE_JOB_NAME,
  type InterchangeJobData,
  InterchangeJobDataSchema,
  interchangeJobId,
  sha256Hex,
} from './producer-job.js';
import { bullQueuePrefix } from './queue-topology.js';

export interface RedisEndpoint {
  host: string;
  port: number;
  db?: number;
  username?: string;
}

export interface ProducerOptions {
  /** `redis://host:port[/db]` (explicit host), or an explicit host and port. */
  connection: string | RedisEndpoint;
  /**
   * Redis Cluster seed node URLs (config redis.cluster.nodes): the producer then uses ioredis'
   * Cluster client, and BullMQ's and the arrival keys get the queue's hash tag (bullQueuePrefix);
   * `connection` only names the cluster in messages.
   */
  cluster?: string[];
  queueName: string;
  /** Largest raw interchange accepted, in bytes. */
  maxBytes: number;
  /** BullMQ key prefix (default 'bull'). */
  prefix?: string;
  /** Redis password, when not in the URL (from config: redis.passwordEnv). */
  password?: string;
  /** Per-job options (attempts, backoff, retention); defaults in DEFAULT_JOB_OPTIONS. */
  jobOptions?: JobsOptions;
  /** How long the same partner+content counts as a duplicate (default 30 days). */
  dedupeWindowSeconds?: number;
  connectTimeoutMs?: number;
  logger?: AdapterLogger;
  now?: () => Date;
}

export interface EnqueueInput {
  partnerId: string;
  fileName: string;
  bytes: Uint8Array;
}

export interface EnqueueResult {
  /** The content id `ic-<sha256>`; `ic-<sha256>-<seq>` when an older job of the same content still held it. */
  jobId: string;
  /** The arrival sequence of the input (the first enqueue's, for a duplicate). */
  sequence: number;
  /** true when the same partner+content already had a sequence within the dedupe window. */
  duplicate: boolean;
  /** true when this call added the job that an interrupted earlier enqueue had numbered but not added. */
  repaired: boolean;
  sha256: string;
  size: number;
}

export interface Producer {
  readonly queueName: string;
  readonly maxBytes: number;
  enqueueInterchange(input: EnqueueInput): Promise<EnqueueResult>;
  close(): Promise<void>;
}

/**
 * A finished input job still holds its input's bytes, in Redis memory. Only the last 50 finished
 * inputs, for at most an hour, are kept (for the dashboard): kept a day, they grew with the day's
 * traffic (~350 B per shipment, ~1.4 GB at ~4M shipments a day) and were the largest item in Redis
 * at the end of a run. Redis is not the archive — `s321 serve` archives every file it enqueues on
 * disk, a gateway using `s321 enqueue` keeps its own copy, the ledger and metrics count them; failed
 * inputs stay in the dead-letter queue with their bytes. Nothing depends on finished jobs (a
 * re-enqueue of the same content inside the dedupe window gets the same arrival number from its
 * marker; its parts are no-ops at the gate).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 50 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * Takes the next arrival number for a job id unless it has one; returns [isNew, seq, added].
 * KEYS[1] marker hash, KEYS[2] counter; ARGV[1] dedupe window in seconds. One script, so two
 * producers racing on the same content get one number, and no number is taken twice or skipped.
 */
const TAKE_ARRIVAL = `
local seq = redis.call('HGET', KEYS[1], 'seq')
if seq then
  return {0, tonumber(seq), tonumber(redis.call('HGET', KEYS[1], 'added') or '0')}
end
seq = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'seq', seq, 'added', 0)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {1, seq, 0}
`;

function describeConnection(connection: ProducerOptions['connection']): string {
  return typeof connection === 'string'
    ? redactUrl(connection)
    : `redis://${connection.host}:${connection.port}`;
}

function refusal(input: EnqueueInput, maxBytes: number): EnqueueRefusedError | undefined {
  const { partnerId, fileName, bytes } = input;
  // Size first: an oversized payload is refused before it is hashed or sent anywhere.
  if (bytes.byteLength > maxBytes) return new PayloadTooLargeError(bytes.byteLength, maxBytes, fileName);
  if (bytes.byteLength === 0)
    return new EnqueueRefusedError('PRODUCER_EMPTY_PAYLOAD', `${fileName}: empty file`);
  if (!PartnerIdSchema.safeParse(partnerId).success) {
    return new EnqueueRefusedError(
      'PRODUCER_INVALID_PARTNER',
      `partner id ${JSON.stringify(partnerId)} is not 1-64 chars of A-Z a-z 0-9 . _ -`,
    );
  }
  const problems = checkFileName(fileName);
  if (problems.length > 0) {
    return new EnqueueRefusedError(
      'PRODUCER_UNSAFE_FILE_NAME',
      `file name ${JSON.stringify(fileName)}: ${problems.map((p) => p.message).join('; ')}`,
    );
  }
  return undefined;
}

/** Connects (failing fast when Redis is unreachable) and returns a producer. */
export async function createProducer(options: ProducerOptions): Promise<Producer> {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes <= 0) {
    throw new RangeError('maxBytes must be a positive integer');
  }
  const dedupeWindow = options.dedupeWindowSeconds ?? 30 * 24 * 3600;
  if (!Number.isInteger(dedupeWindow) || dedupeWindow <= 0) {
    throw new RangeError('dedupeWindowSeconds must be a positive integer');
  }
  const log = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const where =
    options.cluster !== undefined
      ? describeEndpoint({ url: '', cluster: options.cluster })
      : describeConnection(options.connection);
  const prefix = bullQueuePrefix(
    {
      bullPrefix: options.prefix ?? 'bull',
      redis: options.cluster !== undefined ? { cluster: options.cluster } : {},
    },
    options.queueName,
  );

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
    options.cluster !== undefined
      ? redisClient({ url: options.cluster[0] ?? '', cluster: options.cluster }, redisOptions)
      : typeof options.connection === 'string'
        ? new Redis(options.connection, redisOptions)
        : new Redis({ ...options.connection, ...redisOptions });
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

  /**
   * Puts the job of arrival `seq` on the queue once. Its id is the content id, unless an older job of
   * the same content still holds that id (re-sent after the dedupe window): then `<id>-<seq>`, so the
   * new number still gets its job. The id used is recorded in the marker.
   */
  async function placeJob(
    contentId: string,
    seq: number,
    data: () => InterchangeJobData,
  ): Promise<{ id: string; added: boolean }> {
    const holder = await queue.getJob(contentId);
    const id =
      holder === undefined || (holder.data as InterchangeJobData).seq === seq
        ? contentId
        : `${contentId}-${seq}`;
    const marker = arrivalMarkerKey(prefix, options.queueName, contentId);
    await redis.hset(marker, 'jobId', id);
    if ((id === contentId ? holder : await queue.getJob(id)) !== undefined) return { id, added: false };
    await queue.add(INTERCHANGE_JOB_NAME, data(), { ...jobOptions, jobId: id });
    return { id, added: true };
  }

  return {
    queueName: options.queueName,
    maxBytes: options.maxBytes,

    async enqueueInterchange(input: EnqueueInput): Promise<EnqueueResult> {
      const refused = refusal(input, options.maxBytes);
      if (refused !== undefined) throw refused;
      const { partnerId, fileName, bytes } = input;
      const sha256 = sha256Hex(bytes);
      const jobId = interchangeJobId(partnerId, sha256);
      const marker = arrivalMarkerKey(prefix, options.queueName, jobId);
      try {
        const [isNew, seq, added] = (await redis.eval(
          TAKE_ARRIVAL,
          2,
          marker,
          seqKey,
          String(dedupeWindow),
        )) as [number, number, number];
        let placed: { id: string; added: boolean };
        if (isNew === 1 || added === 0) {
          // New number: add its job. Duplicate not yet marked added: a producer died between taking
          // the number and adding the job (or a concurrent enqueue is adding it now); placing it
          // here closes the gap, and BullMQ keeps one job per id if both add.
          placed = await placeJob(jobId, seq, () =>
            InterchangeJobDataSchema.parse({
              seq,
              name: fileName,
              payload: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
              v: 1,
              partnerId,
              sha256,
              size: bytes.byteLength,
              enqueuedAt: now().toISOString(),
            }),
          );
          await redis.hset(marker, 'added', 1);
        } else {
          placed = { id: (await redis.hget(marker, 'jobId')) ?? jobId, added: false };
        }
        const repaired = isNew === 0 && placed.added;
        const result: EnqueueResult = {
          jobId: placed.id,
          sequence: seq,
          duplicate: isNew === 0,
          repaired,
          sha256,
          size: bytes.byteLength,
        };
        log.info(
          {
            queue: options.queueName,
            partnerId,
            file: fileName,
            jobId: placed.id,
            sequence: seq,
            duplicate: result.duplicate,
            repaired,
          },
          'producer: enqueued',
        );
        return result;
      } catch (err) {
        throw new QueueUnavailableError(
          `enqueue of ${fileName} to ${where}/${options.queueName} failed: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
    },

    async close(): Promise<void> {
      await queue.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
