/**
 * `s321 report`'s text output, the terminal reader's version of the HTML and CSV reports: one line
 * per person-day with the consignee by name and address (an id-keyed consignee with its qualifier
 * and id), and under each exceeded person-day one line per bill with its mode, value and the codes
 * sent and pending; then each day's totals. The app fills the rows (src/app/report-data.ts).
 */
import type { ConsigneeLabel } from './consignee-label.js';
import type { DaySummary, ExceededPersonDay, ReportCode } from './report-model.js';
import { usd } from './report-model.js';

/** One person-day as the text and JSON-lines report show it. */
export interface PersonDayRow {
  day: string;
  consigneeKey: string;
  consignee: ConsigneeLabel;
  totalCents: number;
  bills: number;
  /** Judged under the rule profile its bills were decided under (core/report/era.ts). */
  exceeded: boolean;
  thresholdCents: number;
  /** The exceeded person-day's bills with their values and codes (exceeded rows only). */
  detail?: ExceededPersonDay;
}

const INDENT = ' '.repeat(12);

const codeList = (codes: readonly ReportCode[], status: ReportCode['status']): string =>
  codes
    .filter((c) => c.status === status)
    .map((c) => `${c.code} ${c.channel} to ${c.recipient}`)
    .join('; ');

export function personDayText(row: PersonDayRow): string {
  const who = row.consignee.text !== '' ? row.consignee.text : row.consigneeKey;
  const lines = [
    `${row.day}  ${usd(row.totalCents).padStart(12)} USD  ${String(row.bills).padStart(4)} bill(s)  ${row.exceeded ? 'EXCEEDED' : '        '}  ${who}`,
  ];
  if (row.detail !== undefined) {
    lines.push(`${INDENT}threshold ${usd(row.thresholdCents)} USD (${row.detail.profile})`);
    for (const b of row.detail.bills) {
      const sent = codeList(b.codes, 'sent');
      const pending = codeList(b.codes, 'pending');
      const codes = [sent !== '' ? `sent ${sent}` : '', pending !== '' ? `pending ${pending}` : '']
        .filter((c) => c !== '')
        .join('  ');
      lines.push(
        `${INDENT}${usd(b.cents).padStart(12)} USD  ${b.mode.padEnd(5)}  ${b.bill}${codes !== '' ? `  ${codes}` : '  no code'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function dayTotalText(d: DaySummary): string {
  return `${d.day}  TOTAL  ${d.personDays} person-day(s), ${usd(d.totalCents)} USD, ${d.exceeded} exceeded\n`;
}

/** What the JSON-lines report adds to a stored person-day: the consignee's label, an exceeded day's bills. */
export function personDayJsonFields(row: PersonDayRow): object {
  const c = row.consignee;
  return {
    consignee: {
      name: c.name,
      address: c.address,
      ...(c.idQualifier !== undefined ? { idQualifier: c.idQualifier } : {}),
      ...(c.id !== undefined ? { id: c.id } : {}),
    },
    ...(row.detail !== undefined
      ? {
          billDetails: row.detail.bills.map((b) => ({
            bill: b.bill,
            mode: b.mode,
            cents: b.cents,
            codes: b.codes,
          })),
        }
      : {}),
  };
}
