/**
 * The aggregation state of a schema 3 database as the core needs it: a StateView answered from the
 * hot state (typed arrays, hot-state.ts) with a row read only for what the arrays do not hold (a
 * bill's full record; a person-day's real key, to rule out a hash collision), and `commit`, which
 * writes a ChangeSet as appended rows (updates by rowid for rows that exist) and keeps the hot
 * state in step.
 *
 * This is the "load state view / commit change set" half a store keeps once the application drives
 * the core itself (issue 14, one engine): the caller owns the transaction — it calls `commit` inside
 * one and `reload` if that transaction rolls back, because the hot state is changed as rows are
 * written.
 */
import type Database from 'better-sqlite3';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  personDayKey,
  type StateView,
} from '../../../../core/aggregate/state.js';
import { keyHash52 } from '../key-hash.js';
import { EVER_EXCEEDED } from './hot-state.js';
import { type HotState, loadHotState } from './load-hot-state.js';
import { type BillRow, billRowValues, decodeBill } from './rows.js';

export class AppendLayoutState implements StateView {
  private hot: HotState;
  private readonly stmt;
  /** Rowids this batch found or wrote, by bill key and person-day key (saves re-verifying reads). */
  private readonly billRows = new Map<string, number>();
  private readonly personDayRows = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      personDayKey: db.prepare<[number], { day: string; ck: string }>(
        'SELECT day, ck FROM person_days WHERE id = ?',
      ),
      insertPersonDay: db.prepare<[number, string, string, number, number, number, number]>(
        'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded, unnotified_from) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updatePersonDay: db.prepare<[number, number, number, number, number]>(
        'UPDATE person_days SET total = ?, bills = ?, ever_exceeded = ?, unnotified_from = ? WHERE id = ?',
      ),
      bill: db.prepare<[number], BillRow>(
        'SELECT key, ck, day, counted, accepted_seq, data FROM bills WHERE id = ?',
      ),
      billKey: db.prepare<[number], { key: string }>('SELECT key FROM bills WHERE id = ?'),
      member: db.prepare<[number], { key: string; accepted_seq: number }>(
        'SELECT key, accepted_seq FROM bills WHERE id = ?',
      ),
      insertBill: db.prepare(
        'INSERT INTO bills (h, key, ck, day, counted, accepted_seq, pd, cents, ver, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateBill: db.prepare(
        `UPDATE bills SET h = ?, key = ?, ck = ?, day = ?, counted = ?, accepted_seq = ?, pd = ?, cents = ?,
           ver = ?, data = ? WHERE id = ?`,
      ),
      getMeta: db.prepare<[string], { v: number }>('SELECT v FROM meta WHERE k = ?'),
      putMeta: db.prepare(
        'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
      ),
    };
    this.hot = loadHotState(db);
  }

  /** Bytes of the hot state (typed arrays). */
  get hotBytes(): number {
    return this.hot.personDays.bytes + this.hot.bills.bytes;
  }

  /** Rebuilds the hot state from the committed rows (after a rolled-back transaction). */
  reload(): void {
    this.billRows.clear();
    this.personDayRows.clear();
    this.hot = loadHotState(this.db);
  }

  /** Forgets the batch's rowid caches; call at the start of each transaction. */
  beginBatch(): void {
    this.billRows.clear();
    this.personDayRows.clear();
  }

  // --- StateView ---------------------------------------------------------------------------------

  bill(key: string): BillRecord | undefined {
    let found: BillRow | undefined;
    const row = this.hot.bills.index.find(keyHash52(key), (id) => {
      const r = this.stmt.bill.get(id);
      if (r?.key !== key) return false;
      found = r;
      return true;
    });
    if (row === 0 || found === undefined) return undefined;
    this.billRows.set(key, row);
    return decodeBill(found);
  }

  personDay(consigneeKey: string, day: string): PersonDayRecord | undefined {
    const row = this.personDayRow(consigneeKey, day);
    if (row === 0) return undefined;
    const pds = this.hot.personDays;
    return {
      consigneeKey,
      day,
      totalCents: pds.totalCents.get(row),
      bills: pds.bills.get(row),
      everExceeded: (pds.flags.get(row) & EVER_EXCEEDED) !== 0,
      unnotifiedFrom: pds.unnotifiedFrom.get(row),
    };
  }

  billsOf(consigneeKey: string, day: string, fromSeq = 0): string[] {
    const row = this.personDayRow(consigneeKey, day);
    if (row === 0) return [];
    const members: Array<{ key: string; accepted_seq: number }> = [];
    for (const id of this.hot.members.members(row)) {
      const m = this.stmt.member.get(id);
      if (m === undefined) throw new Error(`member bill row ${id} of person-day row ${row} is missing`);
      if (m.accepted_seq >= fromSeq) members.push(m);
    }
    members.sort((a, b) => a.accepted_seq - b.accepted_seq);
    return members.map((m) => m.key);
  }

  nextDecisionSeq(): number {
    return this.stmt.getMeta.get('decision_seq')?.v ?? 0;
  }

  nextAcceptSeq(): number {
    return this.stmt.getMeta.get('accept_seq')?.v ?? 0;
  }

  // --- commit ------------------------------------------------------------------------------------

  /**
   * Writes a ChangeSet's bills, person-days and sequence counters (decisions and audit are the
   * caller's). Returns the rowids of the person-days it inserted, by person-day key (the store keys
   * the consignee rows of new person-days by them).
   */
  commit(changes: ChangeSet): Map<string, number> {
    const inserted = new Map<string, number>();
    const pds = this.hot.personDays;
    // Person-days first: a counted bill's row points at its person-day's rowid.
    for (const [key, pd] of changes.personDays) {
      const exceeded = pd.everExceeded ? 1 : 0;
      let row = this.personDayRow(pd.consigneeKey, pd.day);
      if (row === 0) {
        const h = keyHash52(key);
        row = Number(
          this.stmt.insertPersonDay.run(
            h,
            pd.day,
            pd.consigneeKey,
            pd.totalCents,
            pd.bills,
            exceeded,
            pd.unnotifiedFrom ?? 0,
          ).lastInsertRowid,
        );
        pds.index.insert(h, row);
        this.personDayRows.set(key, row);
        inserted.set(key, row);
      } else this.stmt.updatePersonDay.run(pd.totalCents, pd.bills, exceeded, pd.unnotifiedFrom ?? 0, row);
      pds.totalCents.set(row, pd.totalCents);
      pds.unnotifiedFrom.set(row, pd.unnotifiedFrom ?? 0);
      pds.bills.set(row, pd.bills);
      pds.flags.set(row, exceeded === 1 ? EVER_EXCEEDED : 0);
    }
    const bills = this.hot.bills;
    for (const bill of changes.bills.values()) {
      const counted = bill.counted && bill.consigneeKey !== undefined && bill.day !== undefined;
      const pdRow = counted ? this.personDayRow(bill.consigneeKey as string, bill.day as string) : 0;
      if (counted && pdRow === 0) throw new Error(`counted bill ${bill.key} has no person-day row`);
      const h = keyHash52(bill.key);
      let row = this.billRow(bill.key, h);
      const values = billRowValues(bill, h, pdRow);
      if (row === 0) {
        row = Number(this.stmt.insertBill.run(...values).lastInsertRowid);
        bills.index.insert(h, row);
        this.billRows.set(bill.key, row);
      } else this.stmt.updateBill.run(...values, row);
      const before = bills.personDay.get(row);
      if (before !== pdRow) {
        if (before !== 0) this.hot.members.unlink(before, row);
        if (pdRow !== 0) this.hot.members.link(pdRow, row);
      }
    }
    this.stmt.putMeta.run('decision_seq', changes.nextDecisionSeq);
    this.stmt.putMeta.run('accept_seq', changes.nextAcceptSeq);
    return inserted;
  }

  /** The person-day's rowid, 0 when it has none (the key of its consignee row). */
  personDayRowId(consigneeKey: string, day: string): number {
    return this.personDayRow(consigneeKey, day);
  }

  // --- lookups -----------------------------------------------------------------------------------

  private personDayRow(consigneeKey: string, day: string): number {
    const key = personDayKey(consigneeKey, day);
    const cached = this.personDayRows.get(key);
    if (cached !== undefined) return cached;
    const row = this.hot.personDays.index.find(keyHash52(key), (id) => {
      const r = this.stmt.personDayKey.get(id);
      return r?.day === day && r.ck === consigneeKey;
    });
    if (row !== 0) this.personDayRows.set(key, row);
    return row;
  }

  private billRow(key: string, h: number): number {
    const cached = this.billRows.get(key);
    if (cached !== undefined) return cached;
    return this.hot.bills.index.find(h, (id) => this.stmt.billKey.get(id)?.key === key);
  }
}
