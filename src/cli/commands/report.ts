import type { Command } from 'commander';
import { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import type { Decision } from '../../core/model/decision.js';
import { aggregationConfig } from '../../core/rules/defaults.js';
import { calendarDay } from '../option-parsers.js';
import { printSuspects, readSuspects, writeReportFiles } from './report-outputs.js';

/**
 * One line per shipment reported ineligible. Its text is the decision's, which for a suspended or
 * repealed day says that ACE rejects the claim (CSMS 66065494); a decision recorded before that
 * wording gets it from the day's era here, so the report never reads as if a claim could pass.
 */
export function ineligibleLine(d: Decision, rules = aggregationConfig().rules): string {
  const era = rules.eraFor(d.day);
  const said = era.suspended && era.ineligible?.code === d.code ? era.ineligible.text : d.text;
  return `${d.day}  INELIGIBLE  ${d.code}  ${d.bill}  ${said}  (not counted)\n`;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('per person-day totals, exceeded days and their bills, then shipments reported ineligible')
    .requiredOption('--db <file>', 'SQLite state file a replay wrote (opened read-only; never created)')
    .option('--day <date>', 'only this day (YYYY-MM-DD)', calendarDay)
    .option('--exceeded', 'only exceeded person-days')
    .option('--json', 'one JSON object per person-day')
    .option(
      '--html <file>',
      'also write a self-contained HTML report (exceeded days, bills, codes, suspects, charts)',
    )
    .option('--csv <file>', 'also write a CSV: one row per bill of each exceeded person-day')
    .action(
      async (opts: {
        db: string;
        day?: string;
        exceeded?: boolean;
        json?: boolean;
        html?: string;
        csv?: string;
      }) => {
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
          // Ineligible shipments are not in any person-day: listed after them (text output only).
          if (opts.json !== true && opts.exceeded !== true)
            for (const d of store.ineligibleReports(opts.day)) process.stdout.write(ineligibleLine(d, rules));
          // A pruned store holds no day before its watermark (docs/retention.md): say so, so a missing
          // day is not read as a day without shipments.
          const watermark = store.retentionTotals().watermark;
          if (opts.json !== true && watermark !== undefined)
            process.stdout.write(`retention: days before ${watermark} were pruned from this store\n`);
          // Split-shipment suspects (near-identical consignees of a day), then the broker's files.
          const suspects = readSuspects(store, opts.day);
          printSuspects(suspects, opts);
          await writeReportFiles(store, suspects, opts);
        } finally {
          await store.close();
        }
      },
    );
}
