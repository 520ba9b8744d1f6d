/**
 * Rebuilds the hot state from the tables by one sequential scan of each (rowid order): what opening
 * a schema 3 store costs, and its recovery after a crash (SQLite replays its WAL first; the hot
 * state is never persisted, so it can never disagree with the committed rows).
 */
import type Database from 'better-sqlite3';
import { BillHotState, EVER_EXCEEDED, MemberChains, PersonDayHotState } from './hot-state.js';

export interface HotState {
  personDays: PersonDayHotState;
  bills: BillHotState;
  members: MemberChains;
}

export function emptyHotState(expectedPersonDays = 1024, expectedBills = 1024): HotState {
  const personDays = new PersonDayHotState(expectedPersonDays);
  const bills = new BillHotState(expectedBills);
  return { personDays, bills, members: new MemberChains(personDays, bills) };
}

export function loadHotState(db: Database.Database): HotState {
  const count = (table: string): number =>
    (db.prepare(`SELECT max(id) AS n FROM ${table}`).get() as { n: number | null }).n ?? 0;
  const state = emptyHotState(count('person_days'), count('bills'));
  const { personDays, bills, members } = state;
  scan(db, 'SELECT id, h, total, bills, ever_exceeded FROM person_days ORDER BY id', (r) => {
    const row = r[0] as number;
    personDays.index.insert(r[1] as number, row);
    personDays.totalCents.set(row, r[2] as number);
    personDays.bills.set(row, r[3] as number);
    personDays.flags.set(row, r[4] === 1 ? EVER_EXCEEDED : 0);
  });
  scan(db, 'SELECT id, h, pd, cents, ver FROM bills ORDER BY id', (r) => {
    const row = r[0] as number;
    bills.index.insert(r[1] as number, row);
    bills.cents.set(row, r[3] as number);
    bills.versionTag.set(row, r[4] as number);
    const pd = r[2] as number;
    if (pd !== 0) members.link(pd, row);
  });
  return state;
}

/** Rows as arrays (no object per row); rowid order is the table's own order, so no sort runs. */
function scan(db: Database.Database, sql: string, each: (row: unknown[]) => void): void {
  for (const r of db.prepare<[], unknown[]>(sql).raw().iterate()) each(r as unknown[]);
}
