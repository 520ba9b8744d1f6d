/**
 * Commander argument parsers: each option value is checked where it is read, and a bad one is a
 * usage error (commander prints `error: option '--day <date>' argument '2025-13-45' is invalid. …`,
 * main.ts exits 2) before anything runs.
 */
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { PartnerIdSchema } from '../config/schema.js';

const CalendarDay = z.iso.date();
/** Minutes, no seconds, no zone: the local stamp written into outbound envelopes. */
const LocalStamp = z.iso.datetime({ local: true, precision: -1 });

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number, 0 or more.');
  return n;
}

/** A real calendar day, YYYY-MM-DD (2025-02-30 and 2025-13-45 are refused). */
export function calendarDay(value: string): string {
  if (!CalendarDay.safeParse(value).success)
    throw new InvalidArgumentError('expected a calendar date YYYY-MM-DD, e.g. 2025-06-10.');
  return value;
}

/** A real local date and time to the minute, YYYY-MM-DDTHH:MM (2025-02-30T10:00 is refused). */
export function localStamp(value: string): string {
  if (!LocalStamp.safeParse(value).success)
    throw new InvalidArgumentError('expected a real date and time YYYY-MM-DDTHH:MM, e.g. 2025-06-10T12:00.');
  return value;
}

/** A parsing thread's heap budget in MB: a whole number from 16 (V8 cannot run below it) to 65536. */
export function heapMb(value: string): number {
  const n = positiveInt(value);
  if (n < 16 || n > 65_536) throw new InvalidArgumentError('expected a whole number of MB from 16 to 65536.');
  return n;
}

/** A partner id as the queue and drop folder record it (letters, digits, . _ -). */
export function partnerId(value: string): string {
  const parsed = PartnerIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}
