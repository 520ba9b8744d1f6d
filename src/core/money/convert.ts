/** Conversion of an exact amount to integer USD cents (rules.md §1: value held as integer cents). */
import { type Decimal, multiplyDecimal, roundHalfUp } from './decimal.js';
import { type RateTable, rateFor } from './rate-table.js';

export type UsdConversion =
  | { ok: true; usdCents: number; rateFrom: string }
  | { ok: false; reason: 'unknown-currency' | 'no-rate-for-day' | 'too-large'; detail: string };

/** Converts with the rate in force on `day`; amount × rate is exact, then rounded half up to cents once. */
export function toUsdCents(amount: Decimal, currency: string, day: string, rates: RateTable): UsdConversion {
  const rate = rateFor(rates, currency, day);
  if (!rate.ok) return rate;
  const cents = roundHalfUp(multiplyDecimal(amount, rate.rate), 2).units;
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) {
    return {
      ok: false,
      reason: 'too-large',
      detail: 'amount exceeds the largest representable number of cents',
    };
  }
  return { ok: true, usdCents: Number(cents), rateFrom: rate.from };
}
