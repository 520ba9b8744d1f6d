import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toUsdCents } from '../../src/core/money/convert.js';
import { addDecimal, formatDecimal, parseDecimal, roundHalfUp } from '../../src/core/money/decimal.js';
import { RateTableSchema, rateFor } from '../../src/core/money/rate-table.js';

function dec(text: string, mark = '.') {
  const r = parseDecimal(text, mark);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe('parseDecimal', () => {
  it.each([
    ['12', 12n, 0],
    ['12.5', 125n, 1],
    ['.5', 5n, 1],
    ['12.', 12n, 0],
    ['007.10', 710n, 2],
    ['+3', 3n, 0],
    ['-0', 0n, 0],
    ['  42.00 ', 4200n, 2],
  ])('%s → %s / 10^%s', (text, units, scale) => {
    expect(parseDecimal(text)).toEqual({ ok: true, value: { units, scale } });
  });

  it('uses the given decimal mark only', () => {
    expect(parseDecimal('12,50', ',')).toEqual({ ok: true, value: { units: 1250n, scale: 2 } });
    expect(parseDecimal('12.50', ',')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseDecimal('1,000.00', '.')).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each(['', '   '])('empty %j', (text) =>
    expect(parseDecimal(text)).toMatchObject({ ok: false, reason: 'empty' }),
  );
  it.each(['-1', '-0.01', '-.5'])('negative %s', (text) =>
    expect(parseDecimal(text)).toMatchObject({ ok: false, reason: 'negative' }),
  );
  it.each(['1e3', '12a', '1 000', '.', '--1', '1.2.3', 'USD12', '9'.repeat(31)])('malformed %s', (text) =>
    expect(parseDecimal(text)).toMatchObject({ ok: false, reason: 'malformed' }),
  );

  it('sums exactly where floats do not (0.1 + 0.2)', () => {
    expect(formatDecimal(addDecimal(dec('0.1'), dec('0.2')))).toBe('0.3');
    expect(formatDecimal(addDecimal(dec('99999999999999999.99'), dec('0.01')))).toBe('100000000000000000.00');
  });

  it('formats canonically', () => {
    expect(formatDecimal(dec('007.10'))).toBe('7.10');
    expect(formatDecimal(dec('.5'))).toBe('0.5');
    expect(formatDecimal(dec('0'))).toBe('0');
  });
});

describe('roundHalfUp', () => {
  it.each([
    ['0.004', '0.00'],
    ['0.005', '0.01'],
    ['1.995', '2.00'],
    ['2.344999', '2.34'],
    ['7', '7.00'],
  ])('%s → %s', (input, expected) => expect(formatDecimal(roundHalfUp(dec(input), 2))).toBe(expected));

  it('agrees with integer arithmetic on random values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        const r = roundHalfUp({ units, scale: scale + 2 }, 2).units;
        const d = 10n ** BigInt(scale);
        const expected = (units * 2n + d) / (2n * d); // floor(x + 1/2)
        expect(r).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rate table', () => {
  const rates = RateTableSchema.parse({
    EUR: [
      { from: '2025-01-01', usdPerUnit: '1.0837' },
      { from: '2025-03-01', usdPerUnit: '1.0500' },
    ],
    JPY: [{ from: '2025-01-01', usdPerUnit: '0.0066' }],
  });

  it('picks the rate in force on the day', () => {
    expect(rateFor(rates, 'EUR', '2025-01-01')).toMatchObject({ ok: true, from: '2025-01-01' });
    expect(rateFor(rates, 'EUR', '2025-02-28')).toMatchObject({ ok: true, from: '2025-01-01' });
    expect(rateFor(rates, 'EUR', '2025-03-01')).toMatchObject({ ok: true, from: '2025-03-01' });
    expect(rateFor(rates, 'EUR', '2030-01-01')).toMatchObject({ ok: true, from: '2025-03-01' });
  });

  it('USD needs no entry; unknown currencies and days before the first rate are refused', () => {
    expect(rateFor(rates, 'USD', '1999-01-01')).toMatchObject({ ok: true });
    expect(rateFor(rates, 'XXX', '2025-01-01')).toMatchObject({ ok: false, reason: 'unknown-currency' });
    expect(rateFor(rates, 'EUR', '2024-12-31')).toMatchObject({ ok: false, reason: 'no-rate-for-day' });
  });

  it('converts exactly and rounds half up to cents', () => {
    expect(toUsdCents(dec('100'), 'EUR', '2025-01-15', rates)).toEqual({
      ok: true,
      usdCents: 10837,
      rateFrom: '2025-01-01',
    });
    // 0.05 EUR × 1.0500 = 0.0525 → 0.05 ; 0.15 × 1.05 = 0.1575 → 0.16
    expect(toUsdCents(dec('0.05'), 'EUR', '2025-03-02', rates)).toMatchObject({ usdCents: 5 });
    expect(toUsdCents(dec('0.15'), 'EUR', '2025-03-02', rates)).toMatchObject({ usdCents: 16 });
    // 75758 JPY × 0.0066 = 500.0028 USD
    expect(toUsdCents(dec('75758'), 'JPY', '2025-06-01', rates)).toMatchObject({ usdCents: 50000 });
    expect(toUsdCents(dec('800.00'), 'USD', '2025-06-01', rates)).toMatchObject({ usdCents: 80000 });
  });

  it('refuses malformed tables', () => {
    expect(RateTableSchema.safeParse({ EUR: [{ from: '2025-1-1', usdPerUnit: '1.0' }] }).success).toBe(false);
    expect(RateTableSchema.safeParse({ EUR: [{ from: '2025-01-01', usdPerUnit: 1.08 }] }).success).toBe(
      false,
    );
    expect(RateTableSchema.safeParse({ eur: [] }).success).toBe(false);
  });
});
