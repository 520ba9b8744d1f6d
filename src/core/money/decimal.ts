/**
 * Exact decimal amounts as sent in EDI (X12 type R, EDIFACT n..): parsed into a BigInt of units and a
 * scale, never into a float (0.1 + 0.2 must stay 0.3 and large values must not lose cents).
 * Written by hand because the job is tiny and a decimal library would bring rounding modes and
 * exponent forms we must refuse anyway.
 */

export interface Decimal {
  /** Value = units / 10^scale. */
  units: bigint;
  scale: number;
}

export type DecimalParse =
  | { ok: true; value: Decimal }
  | { ok: false; reason: 'empty' | 'negative' | 'malformed'; detail: string };

/** Longest digit string accepted; protects BigInt arithmetic from absurd input. */
const MAX_DIGITS = 30;

/**
 * Parses a non-negative decimal written with `decimalMark` ('.' for X12, the UNA mark for EDIFACT).
 * Accepts `12`, `12.5`, `.5`, `12.`, leading zeros and a leading '+'; refuses a minus sign (negative
 * value), exponents, thousands separators, spaces inside and the other decimal mark (guessing whether
 * `1,000` is one thousand or one would be a guess).
 */
export function parseDecimal(raw: string, decimalMark = '.'): DecimalParse {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty', detail: 'no amount' };
  let body = text;
  if (body.startsWith('-')) {
    if (/^[-+]/.test(body.slice(1)))
      return { ok: false, reason: 'malformed', detail: `'${raw}' is not a decimal number` };
    const rest = parseDecimal(body.slice(1), decimalMark);
    if (rest.ok && rest.value.units === 0n) return rest; // '-0' is zero
    return rest.ok ? { ok: false, reason: 'negative', detail: `negative amount '${raw}'` } : rest;
  }
  if (body.startsWith('+')) body = body.slice(1);
  const markAt = body.indexOf(decimalMark);
  const intPart = markAt === -1 ? body : body.slice(0, markAt);
  const fracPart = markAt === -1 ? '' : body.slice(markAt + decimalMark.length);
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart) || intPart.length + fracPart.length === 0) {
    return {
      ok: false,
      reason: 'malformed',
      detail: `'${raw}' is not a decimal number with decimal mark '${decimalMark}'`,
    };
  }
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS)
    return { ok: false, reason: 'malformed', detail: `'${raw}' has more than ${MAX_DIGITS} digits` };
  return { ok: true, value: { units: BigInt(intPart + fracPart), scale: fracPart.length } };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * pow10(scale - a.scale) + b.units * pow10(scale - b.scale), scale };
}

export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Rounds a non-negative decimal to `scale` places, half up (0.005 → 0.01). */
export function roundHalfUp(value: Decimal, scale: number): Decimal {
  if (value.units < 0n) throw new RangeError('roundHalfUp expects a non-negative value');
  if (value.scale <= scale) return { units: value.units * pow10(scale - value.scale), scale };
  const divisor = pow10(value.scale - scale);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  return { units: remainder * 2n >= divisor ? quotient + 1n : quotient, scale };
}

/** Canonical text with '.' as decimal mark and no trailing zeros beyond the sent scale ('012.50' → '12.50'). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const intPart = digits.slice(0, digits.length - value.scale);
  const frac = value.scale > 0 ? `.${digits.slice(digits.length - value.scale)}` : '';
  return `${negative ? '-' : ''}${intPart}${frac}`;
}
