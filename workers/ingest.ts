/**
 * Composition root of the ingest worker (`s321 worker ingest`): raw inputs (arrival sequence +
 * bytes) → the embedded pipeline's ingest code → acknowledgments recorded in the Redis store (the
 * emit worker writes them) and aggregate parts. Ingest parallelizes freely: inputs may be read in
 * any order, the aggregate gate restores arrival order.
 */
import { type Job, Queue } from 'bullmq';
import { systemClock } from '../src/adapters/clock/system-clock.js';
import { openRedis } from '../src/adapters/queue/bullmq-connection.js';
import { DeadLetterQueue } from '../src/adapters/queue/dead-letter.js';
import {
  bullQueuePrefix,
  jobIds,
  KEEP_FINISHED,
  PART_RETENTION,
  queueTopology,
  retryJobOptions,
} from '../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../src/adapters/store/redis/redis-store.js';
import type { IngestOptions, NormalizerFactories } from '../src/app/ingest-file.js';
import { defaultNormalizers, inboundProfileWithDialects } from '../src/app/normalizers.js';
import type { PartnerLookup } from '../src/app/partner-lookup.js';
import { deadLetterEntry, withFailurePolicy } from '../src/app/queue/dead-lettering.js';
import { recordAcknowledgments } from '../src/app/queue/ingest-acks.js';
import { type IngestInput, ingestInputOf } from '../src/app/queue/ingest-input.js';
import { createIngestProcessor, type IngestJobResult } from '../src/app/queue/ingest-processor.js';
import type { EmitJobData, PartJobData } from '../src/app/queue/job-data.js';
import type { WorkerSettings } from '../src/app/queue/worker-settings.js';
import { type AdapterLogger, silentLogger } from '../src/config/logger.js';
import type { FileOutcome } from '../src/core/pipeline/outcome.js';
import type { Clock } from '../src/ports/clock.js';
import type { PipelineMetrics } from '../src/ports/metrics.js';
import { logQueueErrors, quitQuietly, type RunningWorker, startBullWorker } from './worker-runtime.js';

export interface IngestWorkerOptions {
  settings: WorkerSettings;
  /**
   * The embedded ingest options. Without `normalizers`, the service's own normalizers are used
   * with the settings' rate table (`settings.rates`, from the config): what `s321 replay --rates`
   * does with the same table.
   */
  ingest: Omit<IngestOptions, 'normalizers'> & { normalizers?: NormalizerFactories };
  /** Events per aggregate part (default 5000). */
  maxPartEvents?: number;
  /** Reads a job's data into an input; default: { seq, name, payload (base64) }. */
  inputOf?: (data: unknown) => Promise<IngestInput>;
  /**
   * Record the acknowledgment (999/997/TA1, CONTRL) of every interchange for the emit worker to
   * write, as `s321 replay` writes them. Default true.
   */
  acks?: boolean;
  /**
   * Each sender's partner profile for its acknowledgments (997 or 999, TA1), as `s321 replay
   * --partners` gives them (config `outbound.partnersPath`, `--partners`); default: shipped defaults.
   */
  partners?: PartnerLookup;
  /** Creation stamp of acknowledgments (default: the system clock, US Eastern; `--now` fixes it). */
  clock?: Clock;
  /** Shipments read and rejections by code (src/adapters/metrics); default: not counted. */
  metrics?: PipelineMetrics;
  logger?: AdapterLogger;
}

export async function startIngestWorker(options: IngestWorkerOptions): Promise<RunningWorker> {
  const { settings } = options;
  const logger = options.logger ?? silentLogger;
  const topology = queueTopology(settings.queueName);
  const connection = openRedis(settings.redis, 's321-ingest');
  const partQueue = logQueueErrors(
    new Queue<PartJobData>(topology.aggregate, {
      connection,
      prefix: bullQueuePrefix(settings, topology.aggregate),
    }),
    topology.aggregate,
    logger,
  );
  const deadLetters = new DeadLetterQueue(
    topology.deadLetter,
    connection,
    bullQueuePrefix(settings, topology.deadLetter),
  );
  logQueueErrors(deadLetters.queue, topology.deadLetter, logger);
  const partOptions = { ...retryJobOptions(settings.retry), ...PART_RETENTION };
  const inputOf = options.inputOf ?? ingestInputOf;
  // The store only for acknowledgments: their control numbers and their records as outbound files.
  const store = new RedisDecisionStore({ client: connection, namespace: settings.storeNamespace });
  const emitQueue = logQueueErrors(
    new Queue<EmitJobData>(topology.emit, { connection, prefix: bullQueuePrefix(settings, topology.emit) }),
    topology.emit,
    logger,
  );
  const clock = options.clock ?? systemClock();

  const ingest: IngestOptions = {
    ...options.ingest,
    normalizers: options.ingest.normalizers ?? ingestNormalizers(settings),
  };

  const processor = createIngestProcessor({
    inputOf,
    ingest,
    addParts: async (parts) => {
      await partQueue.addBulk(
        parts.map((data) => ({
          name: 'part',
          data,
          opts: { jobId: jobIds.part(data.seq, data.part), ...partOptions },
        })),
      );
    },
    deadLetter: (entry) => deadLetters.add(entry),
    ...((options.acks ?? true)
      ? {
          acknowledge: (input: IngestInput, outcome: FileOutcome) =>
            recordAcknowledgments(store, input, outcome, clock, options.partners),
          triggerEmit: async (seq: number) => {
            await emitQueue.add(
              'emit',
              { seq },
              { jobId: jobIds.emitAcks(seq), ...retryJobOptions(settings.retry), ...KEEP_FINISHED },
            );
          },
        }
      : {}),
    now: () => new Date(),
    logger,
    ...(options.metrics !== undefined ? { metrics: options.metrics } : {}),
    ...(options.maxPartEvents !== undefined ? { maxPartEvents: options.maxPartEvents } : {}),
  });

  // An input that fails for good goes to the dead-letter queue with its payload, and its sequence
  // is closed with an empty part (same id as a real part 0: if parts were already added, BullMQ
  // ignores it; if they were applied and removed, the gate makes it a no-op).
  const onFinal = async (job: Job<unknown>, reason: string): Promise<void> => {
    const seq = sequenceOf(job.data);
    const name = nameOf(job.data);
    await deadLetters.add(
      deadLetterEntry(
        job,
        {
          kind: 'failed',
          attemptsMade: job.attemptsMade,
          reason,
          ...(seq !== undefined ? { seq } : {}),
          ...(name !== undefined ? { name } : {}),
        },
        new Date(),
      ),
    );
    if (seq === undefined) {
      logger.error(
        { jobId: job.id },
        'input without a readable arrival sequence dead-lettered: it needs `s321 queue skip`',
      );
      return;
    }
    const closing: PartJobData = {
      seq,
      part: 0,
      last: true,
      name: name ?? '',
      interchanges: [],
      reason: `dead-lettered input: ${reason}`,
    };
    await partQueue.add('part', closing, { jobId: jobIds.part(seq, 0), ...partOptions });
  };

  return startBullWorker<unknown, IngestJobResult>(
    topology.ingest,
    withFailurePolicy(processor, logger),
    settings,
    connection,
    logger,
    onFinal,
    async () => {
      await partQueue.close();
      await emitQueue.close();
      await deadLetters.close();
      await store.close();
      await quitQuietly(connection);
    },
  );
}

/** The normalizers an ingest worker runs: the inbound profile with the settings' dialects, their rate table. */
export function ingestNormalizers(settings: WorkerSettings): NormalizerFactories {
  return defaultNormalizers({
    ...(settings.rates !== undefined ? { rates: settings.rates } : {}),
    ...((settings.dialects ?? []).length > 0 || (settings.expressCarriers ?? []).length > 0
      ? { profile: inboundProfileWithDialects(settings.dialects ?? [], settings.expressCarriers ?? []) }
      : {}),
  });
}

function sequenceOf(data: unknown): number | undefined {
  const seq = (data as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

function nameOf(data: unknown): string | undefined {
  const name = (data as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}
