/**
 * The report as CSV (RFC 4180, via csv-stringify): one row per bill of each exceeded person-day,
 * with the consignee's name and address, the person-day's total and the codes sent and pending.
 * Values are dollars with two decimals, as a spreadsheet user reads them.
 */
import { stringify } from 'csv-stringify/sync';
import { type ReportCode, type ReportData, usd } from './report-model.js';

export const CSV_COLUMNS = [
  'day',
  'consignee_name',
  'consignee_id_qualifier',
  'consignee_id',
  'consignee_address',
  'consignee_key',
  'person_day_total_usd',
  'threshold_usd',
  'profile',
  'bill',
  'mode',
  'value_usd',
  'codes_sent',
  'codes_pending',
] as const;

const plain = (cents: number): string => usd(cents).replace(/,/g, '');

const codes = (list: readonly ReportCode[], status: ReportCode['status']): string =>
  list
    .filter((c) => c.status === status)
    .map((c) => `${c.code} ${c.channel} to ${c.recipient}`)
    .join('; ');

export function renderReportCsv(data: ReportData): string {
  const rows: string[][] = [];
  for (const pd of data.exceeded) {
    for (const b of pd.bills) {
      rows.push([
        pd.day,
        pd.consignee.name,
        pd.consignee.idQualifier ?? '',
        pd.consignee.id ?? '',
        pd.consignee.address,
        pd.consigneeKey,
        plain(pd.totalCents),
        plain(pd.thresholdCents),
        pd.profile,
        b.bill,
        b.mode,
        plain(b.cents),
        codes(b.codes, 'sent'),
        codes(b.codes, 'pending'),
      ]);
    }
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: '\r\n' });
}
