import type { Command } from 'commander';
import { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { personDayRows } from '../../app/report-data.js';
import type { Decision } from '../../core/model/decision.js';
import { dayTotalText, personDayJsonFields, personDayText } from '../../core/report/render-text.js';
import { aggregationConfig, DEFAULT_RULE_CALENDAR } from '../../core/rules/defaults.js';
import { calendarDay } from '../option-parsers.js';
import { printSuspects, readReport, readSuspects, writeReportFiles } from './report-outputs.js';

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
    .description(
      'per person-day totals with the consignee by name and address, exceeded days with their bills, values and codes; day totals; shipments reported ineligible; split-shipment suspects',
    )
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
          const suspects = readSuspects(store, opts.day);
          const data = readReport(store, suspects, opts.day);
          const rows = personDayRows(store.reportQueries(), DEFAULT_RULE_CALENDAR, data, opts.day);
          if (opts.json === true) {
            // The stored person-days (bill keys, everExceeded) and the report's rows come in the
            // same (day, consignee key) order: walked in step, one of each at a time.
            const stored = await store.personDays(opts.day);
            let i = 0;
            for (const row of rows) {
              const pd = stored[i++];
              if (pd === undefined || pd.consigneeKey !== row.consigneeKey || pd.day !== row.day)
                throw new Error(`report: person-days out of step at ${row.day} ${row.consigneeKey}`);
              if (opts.exceeded === true && !row.exceeded) continue;
              const profile = row.detail?.profile ?? rules.eraFor(pd.day).profile;
              const out = {
                ...pd,
                exceeded: row.exceeded,
                thresholdCents: row.thresholdCents,
                profile,
                ...personDayJsonFields(row),
              };
              process.stdout.write(`${JSON.stringify(out)}\n`);
            }
          } else {
            for (const row of rows) {
              if (opts.exceeded === true && !row.exceeded) continue;
              process.stdout.write(personDayText(row));
            }
            if (opts.exceeded !== true) for (const d of data.days) process.stdout.write(dayTotalText(d));
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
          printSuspects(suspects, opts);
          await writeReportFiles(data, opts);
        } finally {
          await store.close();
        }
      },
    );
}
