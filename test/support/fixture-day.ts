/**
 * The certification fixtures as scripts/main-job.sh replays them: the Release 2 day, with the
 * creation stamp fixed, the example rate table, and QUICKAIR's air manifest (kept in the companion
 * layout) read with its dialect.
 */
export const FIXTURE_DAY = 'fixtures/replay/release2-day';

export const FIXTURE_REPLAY_OPTIONS: readonly string[] = [
  '--now',
  '2025-06-10T18:00',
  '--rates',
  'config/currency-rates.json',
  '--dialect',
  'QUICKAIR=s321-companion',
];
