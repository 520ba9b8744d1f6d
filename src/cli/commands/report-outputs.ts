/**
 * The parts of `s321 report` beyond the per-person-day lines: split-shipment suspects (text or JSON
 * lines on stdout) and the broker's files, `--html FILE` and `--csv FILE`.
 */
import { writeFile } from 'node:fs/promises';
import type { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { loadReport, loadSuspects } from '../../app/report-data.js';
import { renderReportCsv } from '../../core/report/render-csv.js';
import { renderReportHtml } from '../../core/report/render-html.js';
import { suspectJson, suspectText } from '../../core/report/render-suspects.js';
import type { ReportData, SuspectView } from '../../core/report/report-model.js';
import { DEFAULT_RULE_CALENDAR } from '../../core/rules/defaults.js';

export interface ReportOutputOptions {
  day?: string;
  exceeded?: boolean;
  json?: boolean;
  html?: string;
  csv?: string;
}

/** The split-shipment suspects of the day (or all days). */
export function readSuspects(store: SqliteDecisionStore, day?: string): SuspectView[] {
  return loadSuspects(store.reportQueries(), DEFAULT_RULE_CALENDAR, day);
}

/** Suspect groups after the person-day lines; with --exceeded only groups that together exceed. */
export function printSuspects(suspects: readonly SuspectView[], opts: ReportOutputOptions): void {
  for (const s of suspects) {
    if (opts.exceeded === true && !s.combinedExceeds) continue;
    process.stdout.write(opts.json === true ? `${JSON.stringify(suspectJson(s))}\n` : suspectText(s));
  }
}

/** The exceeded person-days in detail, the suspects and the totals per day and mode. */
export function readReport(store: SqliteDecisionStore, suspects: SuspectView[], day?: string): ReportData {
  return loadReport(store.reportQueries(), DEFAULT_RULE_CALENDAR, day, suspects);
}

/** --html and --csv. */
export async function writeReportFiles(data: ReportData, opts: ReportOutputOptions): Promise<void> {
  if (opts.html !== undefined) await writeFile(opts.html, renderReportHtml(data));
  if (opts.csv !== undefined) await writeFile(opts.csv, renderReportCsv(data));
}
