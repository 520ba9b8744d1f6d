/**
 * Calendar formatting for outbound messages. Dates are calendar strings ('YYYY-MM-DD') and times
 * 'HH:MM' given by the caller; nothing here reads a clock or depends on a time zone.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses 'YYYY-MM-DD' (also accepts 'YYYYMMDD'); null when not a real calendar date. */
export function parseCalendarDate(value: string): CalendarDate | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** Parses 'HH:MM' (also 'HHMM'); null when out of range. */
export function parseClockTime(value: string): { hour: number; minute: number } | null {
  const m = /^(\d{2}):?(\d{2})$/.exec(value);
  if (m === null) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

const p2 = (n: number): string => String(n).padStart(2, '0');
const p4 = (n: number): string => String(n).padStart(4, '0');

export const ccyymmdd = (d: CalendarDate): string => `${p4(d.year)}${p2(d.month)}${p2(d.day)}`;
export const yymmdd = (d: CalendarDate): string => `${p2(d.year % 100)}${p2(d.month)}${p2(d.day)}`;
export const mmddyy = (d: CalendarDate): string => `${p2(d.month)}${p2(d.day)}${p2(d.year % 100)}`;
/** Cargo-IMP day and month, e.g. '12AUG'. */
export const ddmmm = (d: CalendarDate): string => `${p2(d.day)}${MONTHS[d.month - 1] ?? '???'}`;
export const hhmm = (t: { hour: number; minute: number }): string => `${p2(t.hour)}${p2(t.minute)}`;
