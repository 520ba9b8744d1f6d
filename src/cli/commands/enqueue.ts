/**
 * `s321 enqueue <files...> --partner ID`: the trading-partner gateway's way onto the queue. Each file
 * becomes one job (stable id from partner + content; a repeat is reported as a duplicate and adds
 * nothing); files above the size limit are refused with a clear error before Redis is touched.
 */
import type { Command } from 'commander';
import { createProducer, EnqueueRefusedError, enqueueFile } from '../../adapters/queue/producer-index.js';
import { listInputs } from '../../app/list-inputs.js';
import { resolveQueueRuntime } from '../../app/queue/runtime-config.js';
import { partnerId } from '../option-parsers.js';

const DEFAULT_QUEUE_PAYLOAD_BYTES = 50 * 1024 * 1024;

export function registerEnqueue(program: Command): void {
  program
    .command('enqueue')
    .description('put interchange files on the queue for the queue-mode workers')
    .argument('<inputs...>', 'files or folders (sorted order = arrival order)')
    .requiredOption('--partner <id>', 'trading partner id the files come from', partnerId)
    .option('--config <file>', 'service config file (default $S321_CONFIG)')
    .option('--redis-url <url>', 'Redis (default: config, $S321_REDIS_URL, redis://127.0.0.1:6379)')
    .option(
      '--redis-cluster <nodes>',
      'a Redis Cluster instead: seed nodes host:port,… (default: config, $S321_REDIS_CLUSTER)',
    )
    .option('--queue <name>', 'queue name (default: config, $S321_QUEUE_NAME, s321-interchanges)')
    .option('--json', 'one JSON result per file')
    .action(
      async (
        inputs: string[],
        opts: {
          partner: string;
          config?: string;
          redisUrl?: string;
          redisCluster?: string;
          queue?: string;
          json?: boolean;
        },
      ) => {
        const runtime = await resolveQueueRuntime({
          ...(opts.config !== undefined ? { config: opts.config } : {}),
          ...(opts.redisUrl !== undefined ? { redisUrl: opts.redisUrl } : {}),
          ...(opts.redisCluster !== undefined ? { redisCluster: opts.redisCluster } : {}),
          ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
        });
        const { settings } = runtime;
        const producer = await createProducer({
          connection: settings.redis.url,
          ...(settings.redis.cluster !== undefined ? { cluster: settings.redis.cluster } : {}),
          queueName: settings.queueName,
          prefix: settings.bullPrefix,
          maxBytes: runtime.service?.limits.maxQueuePayloadBytes ?? DEFAULT_QUEUE_PAYLOAD_BYTES,
          ...(settings.redis.password !== undefined ? { password: settings.redis.password } : {}),
        });
        let refused = 0;
        try {
          const listing = await listInputs(inputs);
          for (const input of listing.files) {
            try {
              const r = await enqueueFile(producer, {
                partnerId: opts.partner,
                path: input.path,
                fileName: input.name.replace(/\//g, '__'),
              });
              const line = {
                file: input.name,
                sequence: r.sequence,
                jobId: r.jobId,
                duplicate: r.duplicate,
                bytes: r.size,
              };
              process.stdout.write(
                opts.json === true
                  ? `${JSON.stringify(line)}\n`
                  : `${r.duplicate ? 'duplicate' : 'enqueued '} #${r.sequence} ${input.name}\n`,
              );
            } catch (err) {
              if (!(err instanceof EnqueueRefusedError)) throw err;
              refused += 1;
              process.stderr.write(`refused ${input.name}: ${err.code} ${err.message}\n`);
            }
          }
        } finally {
          await producer.close();
        }
        process.exitCode = refused > 0 ? 2 : 0;
      },
    );
}
