import type { Command } from 'commander';
import { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { aggregationConfig } from '../../core/rules/defaults.js';
import { calendarDay } from '../option-parsers.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('per person-day totals, exceeded days and their bills')
    .requiredOption('--db <file>', 'SQLite state file a replay wrote (opened read-only; never created)')
    .option('--day <date>', 'only this day (YYYY-MM-DD)', calendarDay)
    .option('--exceeded', 'only exceeded person-days')
    .option('--json', 'one JSON object per person-day')
    .action(async (opts: { db: string; day?: string; exceeded?: boolean; json?: boolean }) => {
      const store = new SqliteDecisionStore(opts.db, { readOnly: true });
      try {
        const rules = aggregationConfig().rules;
        const days = await store.personDays(opts.day);
        for (const pd of days) {
          const era = rules.eraFor(pd.day);
          const exceeded = pd.totalCents > era.thresholdCents;
          if (opts.exceeded === true && !exceeded) continue;
          const row = { ...pd, exceeded, thresholdCents: era.thresholdCents, profile: era.profile };
          if (opts.json === true) process.stdout.write(`${JSON.stringify(row)}\n`);
          else {
            process.stdout.write(
              `${pd.day}  ${(pd.totalCents / 100).toFixed(2).padStart(12)} USD  ${String(pd.bills).padStart(4)} bill(s)  ${exceeded ? 'EXCEEDED' : '        '}  ${pd.consigneeKey}\n`,
            );
            if (exceeded) process.stdout.write(`            bills: ${pd.billKeys.join(' ')}\n`);
          }
        }
      } finally {
        await store.close();
      }
    });
}
