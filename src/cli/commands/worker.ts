/**
 * `s321 worker ingest|aggregate|emit`: one queue-mode worker process, running until SIGTERM/SIGINT
 * (src/cli/signals.ts: it stops taking jobs, finishes the ones in hand and exits 0). Redis is
 * checked first: unreachable, the command fails within seconds with one line.
 * `s321 queue status|skip|dead-letters`: what operators need to watch and unblock queue mode.
 */
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { Argument, type Command, Option } from 'commander';
import type { Redis } from 'ioredis';
import { startAggregateWorker } from '../../../workers/aggregate.js';
import { addPartitionParts } from '../../../workers/aggregate-partitioned.js';
import { startEmitWorker } from '../../../workers/emit.js';
import { startIngestWorker } from '../../../workers/ingest.js';
import type { RunningWorker } from '../../../workers/worker-runtime.js';
import { fixedClock, systemClock } from '../../adapters/clock/system-clock.js';
import { checkRedisReachable, openShortLivedRedis } from '../../adapters/queue/bullmq-connection.js';
import { DeadLetterQueue } from '../../adapters/queue/dead-letter.js';
import { formatPartitionedStatus, readPartitionedStatus } from '../../adapters/queue/partition-status.js';
import { arrivalSequenceKey } from '../../adapters/queue/producer-job.js';
import { bullQueuePrefix, queueTopology } from '../../adapters/queue/queue-topology.js';
import { migrateQueueStores } from '../../adapters/store/redis/layout-migration.js';
import { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import { RedisDecisionStore, STORE_LAYOUT } from '../../adapters/store/redis/redis-store.js';
import {
  pruneRedisPartitions,
  queueRetentionTargets,
  redisPartitionsRetentionTotals,
} from '../../adapters/store/redis/retention.js';
import {
  claimStorePartitions,
  existingPartitions,
  resolveStorePartitions,
} from '../../adapters/store/redis/store-partitions.js';
import { emitOutbound } from '../../app/emit-outbound.js';
import type { PartitionPartData } from '../../app/queue/apply-partition-part.js';
import { skipPartitionPart, skipRoutedInput } from '../../app/queue/partition-admin.js';
import {
  type QueueCliOptions,
  type QueueRuntime,
  resolveQueueRuntime,
} from '../../app/queue/runtime-config.js';
import { createLogger } from '../../config/logger.js';
import { DEFAULT_RETENTION_DAYS } from '../../core/aggregate/retention.js';
import { RulesProfileSchema } from '../../core/model/decision.js';
import type { Clock } from '../../ports/clock.js';
import type { DecisionStore } from '../../ports/decision-store.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import { calendarDay, localStamp, nonNegativeInt, positiveInt } from '../option-parsers.js';
import { watchSignals } from '../signals.js';
import { addHttpOptions, type HttpCliOptions, resolveHttpSettings } from './http-options.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** config.limits.maxQueuePayloadBytes' default, for runs without a config file. */
const DEFAULT_QUEUE_PAYLOAD_BYTES = 50 * 1024 * 1024;

export const WORKER_KINDS = ['ingest', 'aggregate', 'emit'] as const;
export type WorkerKind = (typeof WORKER_KINDS)[number];

export interface WorkerCliOptions extends QueueCliOptions {
  waitMs?: number;
  partEvents?: number;
  out?: string;
  acks?: string;
  now?: string;
  strict?: boolean;
  logLevel?: string;
}

/** Options shared by `worker` and `serve`. */
export function addQueueOptions(cmd: Command): Command {
  return cmd
    .option(
      '--config <file>',
      'service config file (default $S321_CONFIG; without one: flags, S321_* variables, defaults)',
    )
    .option('--redis-url <url>', 'Redis (default: config, $S321_REDIS_URL, redis://127.0.0.1:6379)')
    .option(
      '--redis-cluster <nodes>',
      'a Redis Cluster instead: seed nodes host:port,… or redis://… (default: config redis.cluster.nodes, $S321_REDIS_CLUSTER)',
    )
    .option(
      '--queue <name>',
      'input queue name; the other queues are named after it (default s321-interchanges)',
    )
    .option('--namespace <ns>', 'decision store namespace in Redis (default: the queue name)')
    .option(
      '--partitions <n>',
      'aggregation split by consignee into n partitions, 0 for one gate (default: config redis.partitions, $S321_REDIS_PARTITIONS, else the count the store recorded, or 16 for a new store; a store keeps the count it was created with)',
      nonNegativeInt,
    )
    .option('--concurrency <n>', 'jobs this process runs at once', positiveInt)
    .option(
      '--lock-ms <ms>',
      'job lock; a job not renewed for this long is run again elsewhere (default 60000)',
      positiveInt,
    )
    .option('--stalled-ms <ms>', 'how often stalled jobs are looked for (default 30000)', positiveInt)
    .option('--attempts <n>', 'tries of a job before it is dead-lettered (default 5)', positiveInt)
    .option('--backoff-ms <ms>', 'first retry delay, doubling each try (default 1000)', positiveInt)
    .addOption(
      new Option(
        '--rules <profile>',
        'force a rule profile for every day (all workers of a store must agree)',
      ).choices(RulesProfileSchema.options),
    )
    .option(
      '--wait-ms <ms>',
      'aggregate: how long a part near the gate waits for its predecessor (default 2000)',
      positiveInt,
    )
    .option('--part-events <n>', 'ingest: events per aggregate part (default 5000)', positiveInt)
    .option('--out <dir>', 'emit: outbound folder', 'out/outbound')
    .option('--acks <dir>', "emit: acknowledgment folder (default: 'acks' beside the outbound folder)")
    .option(
      '--now <stamp>',
      'ingest and emit: fixed creation stamp for acknowledgments and outbound files, e.g. 2025-06-10T12:00',
      localStamp,
    )
    .option(
      '--partners <file>',
      'ingest and emit: outbound partner profiles, as replay --partners (default: config outbound.partnersPath, $S321_PARTNERS)',
    )
    .option('--strict', 'ingest: layout tolerance off')
    .addOption(new Option('--log-level <level>', 'log level (default: config or info)').choices(LOG_LEVELS));
}

/** Starts one worker of `kind` with resolved settings. */
export async function startWorker(
  kind: WorkerKind,
  runtime: QueueRuntime,
  opts: WorkerCliOptions,
  /** Counters of this process (serve's, or the worker's own /metrics); default: none. */
  metrics?: PipelineMetrics,
): Promise<RunningWorker> {
  const logger = createLogger({
    name: `s321-${kind}`,
    level: (opts.logLevel ?? runtime.service?.log.level ?? 'info') as 'info',
  });
  const { settings } = runtime;
  const clock: Clock = opts.now !== undefined ? fixedClock(opts.now) : systemClock();
  switch (kind) {
    case 'ingest':
      return startIngestWorker({
        settings,
        logger,
        clock,
        ingest: {
          strict: opts.strict === true,
          maxBytes: runtime.service?.limits.maxQueuePayloadBytes ?? DEFAULT_QUEUE_PAYLOAD_BYTES,
        },
        ...(opts.partEvents !== undefined ? { maxPartEvents: opts.partEvents } : {}),
        ...(runtime.partners !== undefined ? { partners: runtime.partners } : {}),
        ...(metrics !== undefined ? { metrics } : {}),
      });
    case 'aggregate':
      return startAggregateWorker({
        settings,
        logger,
        aggregation: runtime.aggregation,
        ...(metrics !== undefined ? { metrics } : {}),
        ...(opts.waitMs !== undefined ? { waitMs: opts.waitMs } : {}),
      });
    case 'emit': {
      const outDir = opts.out ?? 'out/outbound';
      // Acknowledgments (recorded by the ingest workers) beside the outbound folder, as `s321
      // replay --out X` puts them in X/acks beside X/outbound.
      const dirs = { outbound: outDir, acks: opts.acks ?? join(dirname(outDir), 'acks') };
      return startEmitWorker({
        settings,
        logger,
        emit: async (store: DecisionStore) => ({
          files: (await emitOutbound(store, dirs, clock, runtime.partners)).files.length,
        }),
      });
    }
  }
}

export function registerWorker(program: Command): void {
  addHttpOptions(
    addQueueOptions(
      program
        .command('worker')
        .description(
          'run one queue-mode worker: ingest (raw inputs → parts), aggregate (parts → decisions, in arrival order), emit (decisions → outbound files)',
        )
        .addArgument(new Argument('<kind>', 'which worker').choices(WORKER_KINDS)),
    ),
    '/metrics, /healthz, /readyz',
  ).action(async (kind: WorkerKind, opts: WorkerCliOptions & HttpCliOptions) => {
    const runtime = await reachableRuntime(opts);
    const httpSettings = await resolveHttpSettings(opts, runtime.service);
    const signals = watchSignals((m) => process.stderr.write(`s321 worker ${kind}: ${m}\n`), {
      graceMs: runtime.settings.lockDurationMs,
      redis: runtime.settings.redis,
    });
    const { PrometheusMetrics } = await import('../../adapters/metrics/prometheus.js');
    const metrics = new PrometheusMetrics({ role: `worker-${kind}` });
    const worker = await startWorker(kind, runtime, opts, metrics);
    const logger = createLogger({
      name: `s321-${kind}`,
      level: (opts.logLevel ?? runtime.service?.log.level ?? 'info') as 'info',
    });
    const http =
      httpSettings !== undefined
        ? await (await import('./serve-http.js')).startServeHttp(
            { ...httpSettings, api: false, dashboard: false },
            runtime,
            metrics,
            [worker],
            logger,
          )
        : undefined;
    process.stderr.write(
      `s321 worker ${kind}: queue ${runtime.settings.queueName}, store ${runtime.settings.storeNamespace}, concurrency ${runtime.settings.concurrency}${http !== undefined ? `, http ${http.url}` : ''}\n`,
    );
    process.exitCode = await signals.closeAfterSignal([
      ...(http !== undefined ? [{ close: () => http.close() }] : []),
      worker,
    ]);
  });
  registerQueueAdmin(program);
}

/**
 * The queue runtime once Redis has answered. Its warnings (no password, no TLS) are printed only
 * then: with Redis down the command says one thing, that Redis cannot be reached.
 */
async function reachableRuntime(opts: QueueCliOptions): Promise<QueueRuntime> {
  const warnings: string[] = [];
  const runtime = await resolveQueueRuntime(opts, process.env, (line) => warnings.push(line));
  await checkRedisReachable(runtime.settings.redis);
  for (const w of warnings) process.stderr.write(w);
  return runtime;
}

function formatRetention(r: Awaited<ReturnType<typeof redisPartitionsRetentionTotals>>): string {
  return `retention: watermark ${r.watermark ?? 'none'}, ${r.prunes} prune(s): ${r.personDays} person-day(s), ${r.bills} bill(s), ${r.decisions} decision(s), ${r.outboundFiles} outbound file(s), ${r.ackFiles} acknowledgment file(s) pruned\n`;
}

/** `s321 queue status|skip|dead-letters`. */
function registerQueueAdmin(program: Command): void {
  const queue = program
    .command('queue')
    .description('queue mode: status, skip a lost input, list dead letters');
  const withStore = async <T>(
    opts: QueueCliOptions,
    fn: (store: RedisDecisionStore, runtime: QueueRuntime, client: Redis) => Promise<T>,
  ): Promise<T> => {
    const runtime = await reachableRuntime(opts);
    const client = openShortLivedRedis(runtime.settings.redis, 's321-admin');
    const store = new RedisDecisionStore({ client, namespace: runtime.settings.storeNamespace });
    try {
      return await fn(store, runtime, client);
    } finally {
      await store.close();
      await client.quit().catch(() => client.disconnect());
    }
  };
  const common = (cmd: Command): Command =>
    cmd
      .option('--config <file>', 'service config file')
      .option('--redis-url <url>', 'Redis')
      .option('--redis-cluster <nodes>', 'Redis Cluster seed nodes host:port,…')
      .option('--queue <name>', 'input queue name')
      .option('--namespace <ns>', 'decision store namespace')
      .option(
        '--partitions <n>',
        "the store's partition count, 0 for one gate (default: config redis.partitions, $S321_REDIS_PARTITIONS, else the count the store recorded)",
        nonNegativeInt,
      );

  common(
    queue
      .command('status')
      .description('applied position, decisions, pending, dead letters; --json for machines'),
  )
    .option('--json', 'print JSON')
    .action(async (opts: QueueCliOptions & { json?: boolean }) => {
      await withStore(opts, async (store, runtime, client) => {
        const issuedNow = async (): Promise<number> =>
          Number(
            (await client.get(arrivalSequenceKey(runtime.settings.bullPrefix, runtime.settings.queueName))) ??
              0,
          );
        // The store's count as every process resolves it; a new store given no count has no
        // partitions yet (the first worker records them), so it shows the one-gate form, empty.
        const partitions = existingPartitions(
          await resolveStorePartitions(client, runtime.settings.storeNamespace, runtime.settings.partitions),
        );
        if (partitions > 0) {
          // Partitioned: the router's gate and every partition's (the namespace's own store has no gate).
          const status = await readPartitionedStatus(client, { ...runtime.settings, partitions });
          const issued = await issuedNow();
          const targets = await queueRetentionTargets(client, runtime.settings.storeNamespace, partitions);
          const retention = await redisPartitionsRetentionTotals(client, targets.stores);
          if (opts.json === true)
            process.stdout.write(`${JSON.stringify({ ...status, issued, retention })}\n`);
          else process.stdout.write(formatPartitionedStatus(status, issued) + formatRetention(retention));
          return;
        }
        const dlq = new DeadLetterQueue(
          queueTopology(runtime.settings.queueName).deadLetter,
          client,
          bullQueuePrefix(runtime.settings, queueTopology(runtime.settings.queueName).deadLetter),
        );
        try {
          const stats = await store.stats();
          const issued = Number(
            (await client.get(
              arrivalSequenceKey(
                bullQueuePrefix(runtime.settings, runtime.settings.queueName),
                runtime.settings.queueName,
              ),
            )) ?? 0,
          );
          const targets = await queueRetentionTargets(client, runtime.settings.storeNamespace, 0);
          const retention = await redisPartitionsRetentionTotals(client, targets.stores);
          const status = {
            ...stats,
            issued,
            deadLetters: await dlq.count(),
            skipped: await store.skipped(),
            retention,
          };
          if (opts.json === true) process.stdout.write(`${JSON.stringify(status)}\n`);
          else {
            process.stdout.write(
              `inputs enqueued ${issued}; applied up to input ${stats.gate.seq} part ${stats.gate.part} (${stats.gate.done ? 'complete' : 'more parts to come'})\n` +
                `decisions ${stats.decisions} (${stats.pending} not yet emitted), outbound files unwritten ${stats.unwritten}, bills ${stats.bills}\n` +
                `dead letters ${status.deadLetters}, skipped inputs ${status.skipped.length}\n` +
                formatRetention(retention),
            );
          }
        } finally {
          await dlq.close();
        }
      });
    });

  common(
    queue
      .command('prune')
      .description("prune the Redis store's state older than the retention window now (docs/retention.md)"),
  )
    .option(
      '--retention-days <n>',
      "days kept after a person-day's day (default: the config's retention.days)",
      nonNegativeInt,
    )
    .option('--today <date>', "today's date (default: the clock's, US Eastern)", calendarDay)
    .option('--json', 'print JSON')
    .action(async (opts: QueueCliOptions & { retentionDays?: number; today?: string; json?: boolean }) => {
      await withStore(opts, async (store, runtime, client) => {
        const targets = await queueRetentionTargets(
          client,
          runtime.settings.storeNamespace,
          runtime.settings.partitions,
        );
        const days = opts.retentionDays ?? runtime.service?.retention.days ?? DEFAULT_RETENTION_DAYS;
        const pruned = await pruneRedisPartitions(client, targets.stores, targets.owners, {
          days,
          today: opts.today ?? systemClock().now().date,
        });
        const totals = await redisPartitionsRetentionTotals(client, targets.stores);
        if (opts.json === true)
          process.stdout.write(`${JSON.stringify({ pruned: pruned ?? null, totals })}\n`);
        else
          process.stdout.write(
            pruned === undefined
              ? 'retention: nothing to prune\n'
              : `retention: pruned before ${pruned.watermark}: ${pruned.personDays} person-day(s), ${pruned.bills} bill(s), ${pruned.decisions} decision(s), ${pruned.outboundFiles} outbound file(s), ${pruned.ackFiles} acknowledgment file(s)\n`,
          );
      });
    });

  common(
    queue
      .command('migrate')
      .description(
        'rewrite the Redis store into this version\'s key layout; stop every worker first (docs/queue-mode.md "Memory")',
      ),
  )
    .option('--json', 'print JSON')
    .action(async (opts: QueueCliOptions & { json?: boolean }) => {
      await withStore(opts, async (_store, runtime, client) => {
        const done = await migrateQueueStores(
          client,
          runtime.settings.storeNamespace,
          runtime.settings.partitions,
        );
        if (opts.json === true) process.stdout.write(`${JSON.stringify(done)}\n`);
        else
          for (const m of done)
            process.stdout.write(
              m.from === STORE_LAYOUT
                ? `${m.prefix} already in layout ${STORE_LAYOUT}\n`
                : `${m.prefix} layout ${m.from || '2'} -> ${STORE_LAYOUT}: ${m.personDays} person-day(s) rewritten, ${m.memberSets} member set(s) folded in${m.orphanMemberSets > 0 ? `, ${m.orphanMemberSets} member set(s) without a person-day left in place` : ''}\n`,
            );
      });
    });

  common(
    queue
      .command('skip')
      .description('record that input <seq> will never (fully) arrive, so the inputs after it are applied')
      .argument('<seq>', 'arrival sequence', positiveInt),
  )
    .requiredOption('--reason <text>', "why (kept with the input's outcome)")
    .option(
      '--partition <p>',
      'partitioned: close routing <seq> in partition p only (a partition part whose job was lost); without it <seq> is the input the router waits for',
      nonNegativeInt,
    )
    .action(async (seq: number, opts: QueueCliOptions & { reason: string; partition?: number }) => {
      await withStore(opts, async (store, runtime, client) => {
        // Skipping moves a gate: the count is settled (recorded for a new store) as a worker's is.
        const { partitions } = await claimStorePartitions(
          client,
          runtime.settings.storeNamespace,
          runtime.settings.partitions,
        );
        if (partitions === 0) {
          if (opts.partition !== undefined) throw new Error('--partition needs a partitioned store');
          const at = await store.skipSequence(seq, opts.reason);
          process.stdout.write(`input ${at.seq} closed at part ${at.part}: ${opts.reason}\n`);
          return;
        }
        const partitioned = new PartitionedRedisStore({
          client,
          namespace: runtime.settings.storeNamespace,
          partitions,
        });
        await partitioned.router.claimPartitions();
        if (opts.partition !== undefined) {
          const at = await skipPartitionPart(partitioned, opts.partition, seq, opts.reason);
          process.stdout.write(
            `partition ${opts.partition}: routing ${at.seq} closed at part ${at.part}: ${opts.reason}\n`,
          );
          return;
        }
        const topology = queueTopology(runtime.settings.queueName);
        const queues = Array.from(
          { length: partitions },
          (_, p) =>
            new Queue<PartitionPartData>(topology.partition(p), {
              connection: client,
              prefix: runtime.settings.bullPrefix,
            }),
        );
        try {
          const at = await skipRoutedInput(partitioned, seq, opts.reason, (parts) =>
            addPartitionParts(queues, parts, runtime.settings.retry),
          );
          process.stdout.write(
            `input ${at.seq} closed at part ${at.part} (routing ${at.routing}, every partition): ${opts.reason}\n`,
          );
        } finally {
          await Promise.all(queues.map((q) => q.close()));
        }
      });
    });

  common(
    queue
      .command('dead-letters')
      .description(
        'list dead-lettered and rejected inputs with their reasons (JSON lines, payload omitted unless --payload)',
      ),
  )
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .option('--payload', 'include each payload')
    .action(async (opts: QueueCliOptions & { limit: number; payload?: boolean }) => {
      const runtime = await reachableRuntime(opts);
      const client = openShortLivedRedis(runtime.settings.redis, 's321-admin');
      const dlq = new DeadLetterQueue(
        queueTopology(runtime.settings.queueName).deadLetter,
        client,
        bullQueuePrefix(runtime.settings, queueTopology(runtime.settings.queueName).deadLetter),
      );
      try {
        for (const entry of await dlq.list(0, opts.limit - 1)) {
          const { payload: _payload, ...rest } = entry;
          process.stdout.write(`${JSON.stringify(opts.payload === true ? entry : rest)}\n`);
        }
      } finally {
        await dlq.close();
        await client.quit().catch(() => client.disconnect());
      }
    });
}
