/**
 * Currency rates (configuration): for each ISO 4217 code, the USD value of one unit from a calendar
 * day on. The rate in force for a day is the entry with the latest `from` not after that day
 * (rules.md §1: "the rate table in force for the day").
 */
import { z } from 'zod';
import { type Decimal, parseDecimal } from './decimal.js';

export const RateEntrySchema = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'calendar date YYYY-MM-DD'),
  /** USD per one unit of the currency, as a decimal string (never a float). */
  usdPerUnit: z.string().regex(/^\d+(\.\d+)?$/, 'positive decimal string'),
});
export type RateEntry = z.infer<typeof RateEntrySchema>;

export const RateTableSchema = z.record(
  z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
  z.array(RateEntrySchema),
);
/** currency → rates; USD needs no entry (1 USD = 1 USD). */
export type RateTable = z.infer<typeof RateTableSchema>;

export const BASE_CURRENCY = 'USD';

export type RateLookup =
  | { ok: true; rate: Decimal; from: string }
  | { ok: false; reason: 'unknown-currency' | 'no-rate-for-day'; detail: string };

/** The rate of `currency` in force on `day` (YYYY-MM-DD; ISO strings compare as dates). */
export function rateFor(table: RateTable, currency: string, day: string): RateLookup {
  if (currency === BASE_CURRENCY) return { ok: true, rate: { units: 1n, scale: 0 }, from: '0000-01-01' };
  const entries = Object.hasOwn(table, currency) ? table[currency] : undefined;
  if (entries === undefined || entries.length === 0) {
    return {
      ok: false,
      reason: 'unknown-currency',
      detail: `currency '${currency}' is not in the rate table`,
    };
  }
  let best: RateEntry | undefined;
  for (const entry of entries) {
    if (entry.from <= day && (best === undefined || entry.from > best.from)) best = entry;
  }
  if (best === undefined) {
    return {
      ok: false,
      reason: 'no-rate-for-day',
      detail: `no ${currency} rate in force on ${day} (earliest from ${earliest(entries)})`,
    };
  }
  const parsed = parseDecimal(best.usdPerUnit);
  if (!parsed.ok || parsed.value.units === 0n) {
    return {
      ok: false,
      reason: 'unknown-currency',
      detail: `${currency} rate from ${best.from} is not a positive decimal`,
    };
  }
  return { ok: true, rate: parsed.value, from: best.from };
}

function earliest(entries: readonly RateEntry[]): string {
  return entries.map((e) => e.from).sort()[0] ?? '';
}
