import type { Clock, LocalStamp } from '../../ports/clock.js';

/** The system clock read in an explicit IANA zone (default US Eastern, as CBP's messages use). */
export function systemClock(timeZone = 'America/New_York'): Clock {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return {
    now(): LocalStamp {
      const parts = Object.fromEntries(format.formatToParts(new Date()).map((p) => [p.type, p.value]));
      return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
    },
  };
}

/** A fixed clock for certification replay and golden tests: `--now 2025-06-10T12:00`. */
export function fixedClock(stamp: string): Clock {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(stamp);
  if (m === null) throw new Error(`--now must look like 2025-06-10T12:00, got ${JSON.stringify(stamp)}`);
  const fixed = { date: m[1] as string, time: m[2] as string };
  return { now: () => fixed };
}
