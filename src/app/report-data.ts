/**
 * Fills the report (core/report/report-model.ts) from the SQLite store: exceeded person-days judged
 * under the profile their bills were decided under, each bill with its codes sent or pending, the
 * split-shipment suspects of the day(s) and the totals per day and mode. Reads only.
 */
import type { SqliteReportQueries } from '../adapters/store/sqlite/report-queries.js';
import { type SplitSuspectGroup, splitSuspects } from '../core/consignee/split-suspects.js';
import { consigneeLabel } from '../core/report/consignee-label.js';
import { eraDecidedUnder, lowestThresholdCents } from '../core/report/era.js';
import type { PersonDayRow } from '../core/report/render-text.js';
import type {
  DaySummary,
  ExceededPersonDay,
  ReportBill,
  ReportData,
  SuspectView,
} from '../core/report/report-model.js';
import type { RuleCalendar } from '../core/rules/calendar.js';

/** The split-shipment suspect groups of one day, or of every day. */
export function findSplitSuspects(queries: SqliteReportQueries, day?: string): SplitSuspectGroup[] {
  return splitSuspects(queries.splitCandidateBlocks(day));
}

/** The suspect groups with the consignees' labels and whether they together exceed the day's threshold. */
export function loadSuspects(
  queries: SqliteReportQueries,
  calendar: RuleCalendar,
  day?: string,
): SuspectView[] {
  return findSplitSuspects(queries, day).map((group): SuspectView => {
    const threshold = eraDecidedUnder(calendar, group.day, undefined).thresholdCents;
    return {
      group,
      labels: Object.fromEntries(
        group.members.map((m) => [m.consigneeKey, consigneeLabel(m.consigneeKey, m.party)]),
      ),
      thresholdCents: threshold,
      combinedExceeds: group.combinedCents > threshold,
    };
  });
}

export function loadReport(
  queries: SqliteReportQueries,
  calendar: RuleCalendar,
  day?: string,
  suspects: SuspectView[] = loadSuspects(queries, calendar, day),
): ReportData {
  const exceeded: ExceededPersonDay[] = [];
  const above = queries.personDaysAbove(lowestThresholdCents(calendar), day);
  const billsOf = queries.billsOfMany(above.map((pd) => pd.rowId));
  for (const pd of above) {
    const bills = billsOf.get(pd.rowId) ?? [];
    const era = eraDecidedUnder(calendar, pd.day, bills.at(-1)?.profile);
    if (pd.totalCents <= era.thresholdCents) continue;
    exceeded.push({
      day: pd.day,
      consigneeKey: pd.consigneeKey,
      consignee: consigneeLabel(pd.consigneeKey, pd.party),
      totalCents: pd.totalCents,
      thresholdCents: era.thresholdCents,
      profile: era.profile,
      bills: bills.map(
        (b): ReportBill => ({
          bill: b.key,
          mode: b.mode,
          cents: b.cents,
          codes: queries.decisionsOf(b.key).map(({ decision: d, emitted }) => ({
            channel: d.channel,
            code: d.code,
            recipient: d.recipient,
            role: d.role,
            status: emitted ? 'sent' : 'pending',
          })),
        }),
      ),
    });
  }
  const exceededPerDay = new Map<string, number>();
  for (const pd of exceeded) exceededPerDay.set(pd.day, (exceededPerDay.get(pd.day) ?? 0) + 1);
  const days: DaySummary[] = queries
    .dayTotals(day)
    .map((d) => ({ ...d, exceeded: exceededPerDay.get(d.day) ?? 0 }));
  const data: ReportData = { days, exceeded, suspects, modeTotals: queries.modeTotals(day) };
  if (day !== undefined) data.day = day;
  return data;
}

/**
 * Every person-day of the day (or all days), one at a time in (day, consignee key) order, with its
 * consignee's label; exceeded is judged as in `data` (under the profile its bills were decided
 * under), and an exceeded one carries its bills with their values and codes. A person-day that is
 * not exceeded shows the calendar's threshold for its day.
 */
export function* personDayRows(
  queries: SqliteReportQueries,
  calendar: RuleCalendar,
  data: ReportData,
  day?: string,
): Generator<PersonDayRow> {
  const exceeded = new Map(data.exceeded.map((pd) => [`${pd.day}|${pd.consigneeKey}`, pd]));
  for (const pd of queries.personDaysWithParties(day)) {
    const detail = exceeded.get(`${pd.day}|${pd.consigneeKey}`);
    const row: PersonDayRow = {
      day: pd.day,
      consigneeKey: pd.consigneeKey,
      consignee: detail?.consignee ?? consigneeLabel(pd.consigneeKey, pd.party),
      totalCents: pd.totalCents,
      bills: pd.bills,
      exceeded: detail !== undefined,
      thresholdCents: detail?.thresholdCents ?? eraDecidedUnder(calendar, pd.day, undefined).thresholdCents,
    };
    if (detail !== undefined) row.detail = detail;
    yield row;
  }
}
