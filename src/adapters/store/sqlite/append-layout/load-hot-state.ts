/**
 * Rebuilds the hot state from the tables by one sequential scan of each (rowid order): what opening
 * a schema 3 store costs, and its recovery after a crash (SQLite replays its WAL first; the hot
 * state is never persisted, so it can never disagree with the committed rows). Rows a `HeldRule`
 * does not hold (days before meta 'cold_before', rowids below the row cap's bounds 'cold_pd_below'
 * and 'cold_bill_below', bills of no day below 'cold_no_day_below') are not loaded: they are in the
 * cold indexes.
 */
import type Database from 'better-sqlite3';
import { SpareChunks } from './columns.js';
import {
  BillHotState,
  EVER_EXCEEDED,
  type HeldRule,
  HOLD_ALL,
  MemberChains,
  NO_DAY,
  PersonDayHotState,
} from './hot-state.js';

/** SQL for a row's dayOrdinal (hot-state.ts, the same arithmetic) from its `day` text; NO_DAY when it has none. */
const DAY_ORDINAL_SQL = `CASE WHEN length(day) = 10 AND substr(day, 5, 1) = '-' AND substr(day, 8, 1) = '-'
  AND julianday(day) >= 2440587.5 AND julianday(day) < ${2440587.5 + NO_DAY - 1}
  THEN CAST(julianday(day) - 2440587.5 AS INTEGER) + 1 ELSE ${NO_DAY} END`;

export interface HotState {
  personDays: PersonDayHotState;
  bills: BillHotState;
  members: MemberChains;
  /** Column chunks eviction dropped, waiting for new rows. */
  spares: SpareChunks;
}

export function emptyHotState(expectedPersonDays = 1024, expectedBills = 1024): HotState {
  const spares = new SpareChunks();
  const personDays = new PersonDayHotState(expectedPersonDays, spares);
  const bills = new BillHotState(expectedBills, spares);
  return { personDays, bills, members: new MemberChains(personDays, bills), spares };
}

/**
 * Loads the rows `rule` holds (hot-state.ts `personDayHeldBy`, `billHeldBy`; the same predicates
 * in SQL): a bill is held when counted in a held person-day (its person-day's day is its own) or
 * when its own day and rowid say so.
 */
export function loadHotState(db: Database.Database, rule: HeldRule = HOLD_ALL): HotState {
  const coldBefore = Math.trunc(rule.coldBefore);
  const pdFrom = Math.trunc(rule.personDaysFrom);
  const pdHeld = `${DAY_ORDINAL_SQL} >= ${coldBefore}`;
  const held = {
    person_days: pdFrom > 0 ? `${pdHeld} AND id >= ${pdFrom}` : pdHeld,
    bills: `(pd != 0 AND pd >= ${pdFrom} AND ${DAY_ORDINAL_SQL} >= ${coldBefore})
      OR (${DAY_ORDINAL_SQL} >= ${coldBefore} AND ${DAY_ORDINAL_SQL} != ${NO_DAY} AND id >= ${Math.trunc(rule.billsFrom)})
      OR (${DAY_ORDINAL_SQL} = ${NO_DAY} AND id >= ${Math.trunc(rule.noDayFrom)})`,
  };
  const everything = coldBefore === 0 && pdFrom === 0 && rule.billsFrom === 0 && rule.noDayFrom === 0;
  // The index is sized for the rows loaded: by max(id) when all are, by a count when some are cold.
  const count = (table: keyof typeof held): number =>
    (
      db
        .prepare(
          everything
            ? `SELECT max(id) AS n FROM ${table}`
            : `SELECT count(*) AS n FROM ${table} WHERE ${held[table]}`,
        )
        .get() as { n: number | null }
    ).n ?? 0;
  const state = emptyHotState(count('person_days'), count('bills'));
  const { personDays, bills, members } = state;
  // Five columns per scan: the bill count, the exceeded flag and the day travel as one integer
  // ((day × 2^31 + bills) × 2 + flag: day < 2^16, bills < 2^31, within a double's 53 bits).
  const rows = (table: keyof typeof held): string => `${table} WHERE ${everything ? '1' : held[table]}`;
  scan(
    db,
    rows('person_days'),
    `id, h, total, ((${DAY_ORDINAL_SQL} * 2147483648) + bills) * 2 + ever_exceeded, unnotified_from`,
    (id, h, total, packed, unnotifiedFrom) => {
      const billsAndFlag = packed % 4294967296;
      personDays.index.insert(h, id);
      personDays.day.set(id, Math.floor(packed / 4294967296));
      personDays.totalCents.set(id, total);
      personDays.bills.set(id, Math.floor(billsAndFlag / 2));
      personDays.flags.set(id, billsAndFlag % 2 === 1 ? EVER_EXCEEDED : 0);
      personDays.unnotifiedFrom.set(id, unnotifiedFrom);
    },
  );
  scan(db, rows('bills'), `id, h, pd, ${DAY_ORDINAL_SQL}, 0`, (id, h, pd, day) => {
    bills.index.insert(h, id);
    bills.day.set(id, day);
    // A held bill counted in an evicted person-day (moved to an old day since the last eviction) is
    // a member through cold_members; it keeps the row only to be unlinked from it.
    if (pd !== 0 && personDays.isHeld(pd)) members.link(pd, id);
    else bills.personDay.set(id, pd);
  });
  return state;
}

/**
 * Calls `each` with five integer columns of every row, in rowid order, from inside SQLite (a
 * function over the rows): measured 0.8 s per 1M bills against 2.2–2.7 s for better-sqlite3's
 * iterate(), whose per-row cost (a JS array per row and a native call) was 87% of a rebuild.
 */
function scan(
  db: Database.Database,
  from: string,
  columns: string,
  each: (a: number, b: number, c: number, d: number, e: number) => void,
): void {
  const name = `s321_scan_${from.split(' ')[0]}`;
  db.function(name, { deterministic: false }, (a, b, c, d, e) => {
    each(a as number, b as number, c as number, d as number, e as number);
    return null;
  });
  db.prepare(`SELECT count(${name}(${columns})) FROM ${from}`).get();
}
