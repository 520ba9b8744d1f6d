/**
 * The common case of decimal.ts without BigInt: amounts of at most 15 digits (units below 2^53),
 * so every step is exact in a double. Why: parsing, summing and converting each value with BigInt
 * (and the regexes of parseDecimal) cost ~1 µs per shipment; nearly every amount sent is a few
 * digits with two decimals. Anything outside this domain (signs, spaces, malformed text, more
 * digits, a product past 2^53) returns undefined and the caller takes the BigInt path of
 * decimal.ts / convert.ts, which also reports the problems. Same results where both apply
 * (test/money/small-decimal.test.ts compares them).
 */
import type { Decimal } from './decimal.js';

/** Value = units / 10^scale, units a non-negative safe integer. */
export interface SmallDecimal {
  units: number;
  scale: number;
}

const MAX_DIGITS = 15;

/**
 * Digits with at most one single-character decimal mark and at least one digit ('12', '12.50',
 * '.5', '12.'), as parseDecimal reads them; undefined for anything else.
 */
export function parseSmallDecimal(raw: string, decimalMark: string): SmallDecimal | undefined {
  if (decimalMark.length !== 1) return undefined;
  const mark = decimalMark.charCodeAt(0);
  const n = raw.length;
  if (n === 0 || n > MAX_DIGITS + 1) return undefined;
  let units = 0;
  let markAt = -1;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) units = units * 10 + (c - 48);
    else if (c === mark && markAt === -1) markAt = i;
    else return undefined;
  }
  const digits = markAt === -1 ? n : n - 1;
  if (digits === 0 || digits > MAX_DIGITS) return undefined;
  return { units, scale: markAt === -1 ? 0 : n - 1 - markAt };
}

const POW10: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** a + b, undefined when the aligned sum leaves the safe integers. */
export function addSmallDecimal(a: SmallDecimal, b: SmallDecimal): SmallDecimal | undefined {
  const scale = Math.max(a.scale, b.scale);
  const units = a.units * (POW10[scale - a.scale] as number) + b.units * (POW10[scale - b.scale] as number);
  return Number.isSafeInteger(units) ? { units, scale } : undefined;
}

/** The rate as a SmallDecimal when its units are a safe integer. */
export function smallRate(rate: Decimal): SmallDecimal | undefined {
  // A rate of zero is declined like convert.ts declines it (rate-table.ts: "not a positive
  // decimal"), so this path never answers what the exact path refuses (fast-check found "0.0").
  if (rate.units > BigInt(Number.MAX_SAFE_INTEGER) || rate.units <= 0n || rate.scale > 22) return undefined;
  return { units: Number(rate.units), scale: rate.scale };
}

/**
 * amount × rate rounded half up to cents (convert.ts's rule), undefined when the exact product
 * would leave the safe integers.
 */
export function smallToCents(amount: SmallDecimal, rate: SmallDecimal): number | undefined {
  const product = amount.units * rate.units;
  // A true product past 2^53 - 1 rounds to 2^53 or more, so this also proves the product exact.
  if (!Number.isSafeInteger(product)) return undefined;
  const scale = amount.scale + rate.scale;
  if (scale <= 2) {
    const cents = product * (POW10[2 - scale] as number);
    return Number.isSafeInteger(cents) ? cents : undefined;
  }
  if (scale - 2 > 22) return undefined;
  const divisor = POW10[scale - 2] as number;
  const remainder = product % divisor; // exact for doubles
  const quotient = (product - remainder) / divisor; // an exact multiple: exact division
  return remainder * 2 >= divisor ? quotient + 1 : quotient;
}

/**
 * true when `raw` (a text parseSmallDecimal accepted with '.' as mark) is already what
 * formatSmallDecimal makes of it: no leading zero before another integer digit, no mark at either
 * end ('12.50', '0.5', '7'; not '012.5', '.5', '12.').
 */
export function isCanonicalDecimalText(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || raw.charCodeAt(0) === 46 || raw.charCodeAt(n - 1) === 46) return false;
  return !(n > 1 && raw.charCodeAt(0) === 48 && raw.charCodeAt(1) !== 46);
}

/** formatDecimal of a SmallDecimal. */
export function formatSmallDecimal(value: SmallDecimal): string {
  const digits = String(value.units).padStart(value.scale + 1, '0');
  if (value.scale === 0) return digits;
  const cut = digits.length - value.scale;
  return `${digits.slice(0, cut)}.${digits.slice(cut)}`;
}
