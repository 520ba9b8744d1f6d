import type { Command } from 'commander';
import { systemClock } from '../../adapters/clock/system-clock.js';
import { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { lockStore } from '../../adapters/store/sqlite/store-lock.js';
import { DEFAULT_RETENTION_DAYS } from '../../core/aggregate/retention.js';
import { calendarDay, nonNegativeInt } from '../option-parsers.js';
import { prunedLine } from './replay.js';

/**
 * `s321 prune`: applies the retention window to a SQLite store now (a replay does the same when it
 * opens the store), under the store's lock, and prints what was pruned and the totals so far.
 */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description(
      "prune a SQLite store's state older than the retention window (docs/retention.md); prints what was pruned",
    )
    .requiredOption('--db <file>', 'SQLite state file')
    .option(
      '--retention-days <n>',
      "days kept after a person-day's day (0 keeps everything)",
      nonNegativeInt,
      DEFAULT_RETENTION_DAYS,
    )
    .option('--today <date>', "today's date (default: the clock's, US Eastern)", calendarDay)
    .option('--json', 'print the result as JSON')
    .action(async (opts: { db: string; retentionDays: number; today?: string; json?: boolean }) => {
      const lock = lockStore(opts.db);
      try {
        const store = new SqliteDecisionStore(opts.db, {
          retention: { days: opts.retentionDays, today: opts.today ?? systemClock().now().date },
        });
        try {
          const totals = store.retentionTotals();
          if (opts.json === true)
            process.stdout.write(`${JSON.stringify({ pruned: store.pruned ?? null, totals })}\n`);
          else {
            process.stdout.write(
              store.pruned !== undefined ? `${prunedLine(store.pruned)}\n` : 'retention: nothing to prune\n',
            );
            process.stdout.write(
              `retention totals: watermark ${totals.watermark ?? 'none'}, ${totals.prunes} prune(s), ${totals.personDays} person-day(s), ${totals.bills} bill(s), ${totals.decisions} decision(s), ${totals.outboundFiles} outbound file(s), ${totals.ackFiles} acknowledgment file(s), ${totals.acknowledged} acknowledged key(s)\n`,
            );
          }
        } finally {
          await store.close();
        }
      } finally {
        lock.release();
      }
    });
}
