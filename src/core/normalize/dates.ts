/**
 * Calendar dates and clock times as sent (X12 DT/TM, EDIFACT DTM 2379 formats), validated, and the
 * conversion of a zoned instant to the US Eastern calendar (rules.md §1: days are America/New_York).
 * Nothing here reads the machine's clock or time zone.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** CCYYMMDD → 'YYYY-MM-DD' (a real calendar day, year 1900–2999). */
export function parseCcyymmdd(raw: string): Parsed<string> {
  const text = raw.trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m === null) return { ok: false, detail: `'${raw}' is not a date CCYYMMDD` };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, detail: `'${raw}' is not a calendar date` };
  }
  return { ok: true, value: `${m[1]}-${m[2]}-${m[3]}` };
}

/** HHMM, HHMMSS or HHMMSSd..d (X12 TM) → 'HH:MM'; seconds are dropped. */
export function parseHhmm(raw: string): Parsed<string> {
  const text = raw.trim();
  const m = /^(\d{2})(\d{2})(\d{2}(\d{1,2})?)?$/.exec(text);
  if (m === null) return { ok: false, detail: `'${raw}' is not a time HHMM` };
  const [hour, minute, second] = [
    Number(m[1]),
    Number(m[2]),
    m[3] === undefined ? 0 : Number(m[3].slice(0, 2)),
  ];
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, detail: `'${raw}' is not a clock time` };
  return { ok: true, value: `${m[1]}:${m[2]}` };
}

export interface DtmValue {
  date: string;
  time?: string;
  /** Offset from UTC in minutes, only for format 303. */
  offsetMinutes?: number;
}

/**
 * DTM C507 value by format (2379): 102 CCYYMMDD, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS, 303
 * CCYYMMDDHHMMZZZ (ZZZ: a designator from `zones`, or ±HH, ±HHMM, ±HH:MM). No format: by length.
 */
export type DtmParse = { ok: true; value: DtmValue } | { ok: false; detail: string; unknownZone?: true };

export function parseDtm(raw: string, format: string, zones: Readonly<Record<string, number>>): DtmParse {
  const text = raw.trim();
  const fmt =
    format.trim() === ''
      ? (({ 8: '102', 12: '203', 14: '204' } as Record<number, string>)[text.length] ?? '')
      : format.trim();
  const date = parseCcyymmdd(text.slice(0, 8));
  switch (fmt) {
    case '102':
      if (text.length === 8 && !date.ok) return date;
      if (text.length !== 8 || !date.ok)
        return { ok: false, detail: `'${raw}' is not DTM format 102 (CCYYMMDD)` };
      return { ok: true, value: { date: date.value } };
    case '203':
    case '204': {
      const time = parseHhmm(text.slice(8));
      const len = fmt === '203' ? 12 : 14;
      if (text.length !== len || !date.ok || !time.ok)
        return { ok: false, detail: `'${raw}' is not DTM format ${fmt}` };
      return { ok: true, value: { date: date.value, time: time.value } };
    }
    case '303': {
      const time = parseHhmm(text.slice(8, 12));
      if (text.length < 13 || !date.ok || !time.ok)
        return { ok: false, detail: `'${raw}' is not DTM format 303 (CCYYMMDDHHMMZZZ)` };
      const offset = zoneOffset(text.slice(12), zones);
      if (offset === undefined)
        return {
          ok: false,
          detail: `time zone '${text.slice(12)}' in '${raw}' is not known`,
          unknownZone: true,
        };
      return { ok: true, value: { date: date.value, time: time.value, offsetMinutes: offset } };
    }
    default:
      return {
        ok: false,
        detail: `DTM format '${format}' is not supported for '${raw}' (102, 203, 204, 303)`,
      };
  }
}

function zoneOffset(designator: string, zones: Readonly<Record<string, number>>): number | undefined {
  const z = designator.trim().toUpperCase();
  if (Object.hasOwn(zones, z)) return zones[z];
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  if (minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** true when the runtime knows the IANA zone (profile validation). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A wall-clock date/time at a UTC offset, seen in `timeZone` (e.g. America/New_York). */
export function convertToZone(
  date: string,
  time: string,
  offsetMinutes: number,
  timeZone: string,
): { date: string; time: string } {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const instant = Date.UTC(y, mo - 1, d, h, mi) - offsetMinutes * 60_000;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}
