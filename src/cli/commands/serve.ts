/**
 * `s321 serve`: queue mode in one process, for a small site. The drop folder's complete uploads are
 * enqueued by the producer (each gets its arrival sequence) and archived; the ingest, aggregate and
 * emit workers run in the same process on the same Redis. The same Redis can take more worker
 * processes on other machines at any time (`s321 worker …`); decisions stay those of arrival order.
 * Partners on SFTP (config `sftp.partners`) are polled into their own inboxes and enqueued under
 * their ids (src/app/queue/sftp-intake.ts).
 * SIGTERM/SIGINT: intake stops claiming, the workers finish their jobs in hand, the process exits 0.
 */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { RunningWorker } from '../../../workers/worker-runtime.js';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { DropFolder } from '../../adapters/inbox/drop-folder.js';
import { redisClient } from '../../adapters/queue/bullmq-connection.js';
import { createProducer } from '../../adapters/queue/producer.js';
import { producerOptionsFromConfig } from '../../adapters/queue/producer-file.js';
import { redisStoreClientOptions } from '../../adapters/store/redis/redis-store.js';
import { queueRetentionTargets } from '../../adapters/store/redis/retention.js';
import { runIntake } from '../../app/queue/intake.js';
import { startRetentionPruner } from '../../app/queue/retention-pruner.js';
import { resolveQueueRuntime } from '../../app/queue/runtime-config.js';
import { runSftpIntake } from '../../app/queue/sftp-intake.js';
import { createLogger } from '../../config/logger.js';
import { nonNegativeInt, partnerId } from '../option-parsers.js';
import { watchSignals } from '../signals.js';
import { addHttpOptions, type HttpCliOptions, resolveHttpSettings } from './http-options.js';
import { addQueueOptions, startWorker, type WorkerCliOptions } from './worker.js';

export interface ServeCliOptions extends WorkerCliOptions, HttpCliOptions {
  partner: string;
  /** Stale claims (a crash left them in processing/) older than this go back to the inbox at start. */
  requeueAfterMs: number;
  /** Retention window in days (default: the config's retention.days). */
  retentionDays?: number;
}

export function registerServe(program: Command): void {
  addHttpOptions(
    addQueueOptions(
      program
        .command('serve')
        .description(
          'queue mode in one process: drop-folder intake + ingest, aggregate and emit workers (more workers may join from other machines)',
        ),
    ),
    'API, /metrics, /healthz, /readyz, /admin/queues',
  )
    .option('--partner <id>', 'partner id recorded for drop-folder inputs', partnerId, 'drop-folder')
    .option(
      '--requeue-after-ms <ms>',
      'claims left in processing/ longer than this go back to the inbox at start',
      nonNegativeInt,
      600_000,
    )
    .option(
      '--retention-days <n>',
      "days kept after a person-day's day; older state is pruned from Redis at start and every retention.pruneEveryMinutes (0 keeps everything; docs/retention.md)",
      nonNegativeInt,
    )
    .action(async (opts: ServeCliOptions) => {
      const runtime = await resolveQueueRuntime(opts);
      const service = runtime.service;
      if (service === undefined)
        throw new Error('serve needs a config file (--config or $S321_CONFIG) naming the drop-folder paths');
      // The HTTP listener's settings are checked before anything starts: a non-loopback host without
      // a token stops here (exit 2), not after the workers took jobs.
      const httpSettings = await resolveHttpSettings(opts, service);
      const logger = createLogger({
        name: 's321-serve',
        level: (opts.logLevel ?? service.log.level) as 'info',
      });
      const outDir =
        opts.out !== undefined && opts.out !== 'out/outbound'
          ? opts.out
          : join(dirname(service.paths.archive), 'outbound');
      const signals = watchSignals((m) => process.stderr.write(`s321 serve: ${m}\n`), {
        graceMs: runtime.settings.lockDurationMs,
        redis: runtime.settings.redis,
      });
      const drop = await DropFolder.open({
        dirs: {
          inbox: service.paths.inbox,
          processing: service.paths.processing,
          archive: service.paths.archive,
          quarantine: service.paths.quarantine,
        },
        ledgerPath: service.paths.ledger,
        maxFileBytes: Math.min(service.limits.maxFileBytes, service.limits.maxQueuePayloadBytes),
        maxFileNameBytes: service.limits.maxFileNameBytes,
        pollIntervalMs: service.inbox.pollIntervalMs,
        stablePolls: service.inbox.stablePolls,
        timeZone: service.inbox.timeZone,
        logger,
      });
      const requeued = await drop.requeueStale(opts.requeueAfterMs);
      if (requeued.length > 0) logger.warn({ files: requeued }, 'serve: stale claims returned to the inbox');
      // Where the workers connect (flags over the config): one Redis or the cluster's nodes.
      const { cluster: _fromConfig, ...producerOptions } = producerOptionsFromConfig(service, logger);
      const producer = await createProducer({
        ...producerOptions,
        connection: runtime.settings.redis.url,
        ...(runtime.settings.redis.cluster !== undefined ? { cluster: runtime.settings.redis.cluster } : {}),
        queueName: runtime.settings.queueName,
      });

      const acksDir = opts.acks ?? join(dirname(outDir), 'acks');

      // One registry for the process: the workers count into it, /metrics shows it.
      const { PrometheusMetrics } = await import('../../adapters/metrics/prometheus.js');
      const metrics = new PrometheusMetrics({ role: 'serve' });
      const workers: RunningWorker[] = [];
      for (const kind of ['ingest', 'aggregate', 'emit'] as const)
        workers.push(await startWorker(kind, runtime, { ...opts, out: outDir }, metrics));
      const http =
        httpSettings !== undefined
          ? await (await import('./serve-http.js')).startServeHttp(
              httpSettings,
              runtime,
              metrics,
              workers,
              logger,
            )
          : undefined;
      // Retention: its own connection, which waits through a Redis restart like the store's.
      const retentionClient = redisClient(runtime.settings.redis, {
        ...redisStoreClientOptions(),
        ...(runtime.settings.redis.password !== undefined
          ? { password: runtime.settings.redis.password }
          : {}),
        connectionName: 's321-retention',
      });
      retentionClient.on('error', () => {}); // a failed prune is logged by the pruner
      const pruner = startRetentionPruner({
        client: retentionClient,
        targets: () =>
          queueRetentionTargets(
            retentionClient,
            runtime.settings.storeNamespace,
            runtime.settings.partitions,
          ),
        days: opts.retentionDays ?? service.retention.days,
        everyMs: service.retention.pruneEveryMinutes * 60_000,
        clock: systemClock(),
        logger,
      });
      const intakeStop = new AbortController();
      const intake = runIntake(drop, producer, opts.partner, intakeStop.signal, logger);
      // Each configured SFTP partner: its poller and its own intake, stopped with the drop folder's.
      const sftpIntake = runSftpIntake(service, producer, intakeStop.signal, logger);
      const sftp = service.sftp.partners.map((p) => `${p.id}@${p.host}:${p.port}`).join(', ');
      process.stderr.write(
        `s321 serve: inbox ${service.paths.inbox}, queue ${runtime.settings.queueName}, outbound ${outDir}, acknowledgments ${acksDir}${sftp !== '' ? `, sftp ${sftp}` : ''}${http !== undefined ? `, http ${http.url}` : ''}\n`,
      );

      process.exitCode = await signals.closeAfterSignal([
        {
          close: async () => {
            intakeStop.abort();
            await intake;
            await sftpIntake;
            await producer.close();
            await pruner.close();
            await retentionClient.quit().catch(() => retentionClient.disconnect());
          },
        },
        // The listener closes first (requests in flight are answered), then the workers.
        ...(http !== undefined ? [{ close: () => http.close() }] : []),
        ...workers,
      ]);
    });
}
