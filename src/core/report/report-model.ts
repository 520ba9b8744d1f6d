/**
 * What `s321 report` shows, as data: exceeded person-days with their consignee, bills and codes, the
 * split-shipment suspects, and totals per day and per mode. The renderers (text, CSV, HTML) only
 * format it; the app fills it from the store.
 */
import type { SplitSuspectGroup } from '../consignee/split-suspects.js';
import type { Channel, RulesProfile } from '../model/decision.js';
import type { Mode } from '../model/shipment-event.js';
import type { ConsigneeLabel } from './consignee-label.js';

export interface ReportCode {
  channel: Channel;
  code: string;
  recipient: string;
  role: 'crossing' | 'earlier' | 'ineligible';
  /** Put into an outbound file (sent) or waiting for the next emit (pending). */
  status: 'sent' | 'pending';
}

export interface ReportBill {
  bill: string;
  mode: Mode;
  cents: number;
  codes: ReportCode[];
}

export interface ExceededPersonDay {
  day: string;
  consigneeKey: string;
  consignee: ConsigneeLabel;
  totalCents: number;
  thresholdCents: number;
  /** The rule profile the person-day's bills were decided under. */
  profile: RulesProfile;
  bills: ReportBill[];
}

export interface SuspectView {
  group: SplitSuspectGroup;
  /** Consignee labels by consignee key. */
  labels: Record<string, ConsigneeLabel>;
  thresholdCents: number;
  /** Together the members would exceed the day's threshold, while kept apart they may not. */
  combinedExceeds: boolean;
}

export interface DaySummary {
  day: string;
  personDays: number;
  totalCents: number;
  exceeded: number;
}

export interface ModeTotal {
  day: string;
  mode: string;
  bills: number;
  cents: number;
}

export interface ReportData {
  /** The day asked for, or undefined for every day in the store. */
  day?: string;
  days: DaySummary[];
  exceeded: ExceededPersonDay[];
  suspects: SuspectView[];
  modeTotals: ModeTotal[];
}

/** Integer cents as a dollar amount with two decimals (no float arithmetic on the value). */
export function usd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
