/** A rate table for fuzzing: the currencies the fixtures use, from a day before any fixture date. */
import { type RateTable, RateTableSchema } from '../../core/money/rate-table.js';

export const FUZZ_RATES: RateTable = RateTableSchema.parse({
  EUR: [
    { from: '2000-01-01', usdPerUnit: '1.0837' },
    { from: '2025-09-01', usdPerUnit: '1.1650' },
  ],
  CAD: [{ from: '2000-01-01', usdPerUnit: '0.7312' }],
  CNY: [{ from: '2000-01-01', usdPerUnit: '0.1392' }],
  GBP: [{ from: '2000-01-01', usdPerUnit: '1.2710' }],
  JPY: [{ from: '2000-01-01', usdPerUnit: '0.0066' }],
});
