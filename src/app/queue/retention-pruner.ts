/**
 * Queue mode's retention (docs/retention.md): `s321 serve` prunes the Redis store when it starts and
 * then every `everyMs`, logging what each prune removed. One prune at a time per process; several
 * processes pruning the same store are safe (each deletion is re-checked by the script), and their
 * counters add up only what was really deleted.
 */
import type { Redis } from 'ioredis';
import { pruneRedisPartitions, type RetentionKeys } from '../../adapters/store/redis/retention.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { Clock } from '../../ports/clock.js';

export interface RetentionPrunerOptions {
  client: Redis;
  /**
   * What to prune, resolved at each prune (a partitioned store's partition count is recorded by its
   * router when the first input is routed): queueRetentionTargets.
   */
  targets: () => Promise<{ stores: RetentionKeys[]; owners: string | undefined }>;
  days: number;
  everyMs: number;
  clock: Clock;
  logger: AdapterLogger;
}

export function startRetentionPruner(options: RetentionPrunerOptions): { close(): Promise<void> } {
  let running: Promise<void> | undefined;
  const prune = (): void => {
    if (running !== undefined || options.days <= 0) return;
    running = options
      .targets()
      .then(({ stores, owners }) =>
        pruneRedisPartitions(options.client, stores, owners, {
          days: options.days,
          today: options.clock.now().date,
        }),
      )
      .then((counts) => {
        if (counts !== undefined) options.logger.info({ ...counts }, 'retention: pruned');
      })
      .catch((err: unknown) =>
        options.logger.error({ err }, 'retention: prune failed; retried at the next interval'),
      )
      .finally(() => {
        running = undefined;
      });
  };
  prune();
  const timer = setInterval(prune, options.everyMs);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
