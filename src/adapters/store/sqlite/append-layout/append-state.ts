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
 *
 * Eviction (docs/replay-memory.md): only days from `hotDays` before the newest day committed are
 * held. When the newest day moves on, `commit` evicts the older days' person-days and bills into the
 * cold indexes (schema.ts COLD_INDEX_SQL) in the same transaction and records the first held day as
 * meta 'cold_before'. A lookup the hot index misses then asks the cold index before answering "never
 * stored", and a person-day of an evicted day is looked up there directly; so a late amendment or
 * status for an evicted bill is found and decided as before. Bills of no day (a status before any
 * declaration) are evicted below the bills' rowid at the last eviction (meta 'cold_no_day_below').
 * Every row of a day before 'cold_before', and every bill of no day below that rowid, is in the
 * cold indexes (eviction puts the held ones there, and `commit` each such row it writes), so a
 * reopen loads only the other rows.
 */
import type Database from 'better-sqlite3';
import type { BillRecord, ChangeSet, PersonDayRecord, StateView } from '../../../../core/aggregate/state.js';
import { keyHash52, keyHash52Joined } from '../key-hash.js';
import {
  billHeldBy,
  dayOrdinal,
  EVER_EXCEEDED,
  type EvictionSink,
  evictRows,
  type HeldRule,
  HOLD_ALL,
  NO_DAY,
  rowidAtRank,
} from './hot-state.js';
import { emptyHotState, type HotState, loadHotState } from './load-hot-state.js';
import { TagFilter } from './tag-filter.js';

/**
 * Days held behind the newest day committed, by default: none, only the newest day. Aggregation is
 * per day, so an older day changes only through late records (amendments, status, moves), which are
 * read through the cold indexes: on 200k generated shipments 31k cold hits against 3k holding one
 * more day, next to ~350k cold misses (new bills) either way, and half the hot state
 * (docs/replay-memory.md, "Eviction").
 */
export const DEFAULT_HOT_DAYS = 0;

/**
 * Rows (person-days + bills) the hot state holds at most, by default: past it the oldest held rows
 * are evicted, down to MAX_HELD_AFTER_EVICTION of it, whatever their day (docs/replay-memory.md,
 * "The row cap"). 1.5M rows are ~45 MB of hot state (~30 bytes a row with the hash tables), which
 * keeps a replay's peak RSS near 270 MB with the ~200 MB that does not grow; the generated bench's
 * largest day held (4M shipments over 3 days) is 1.96M rows, the 1M bench's 0.48M (not capped).
 */
export const DEFAULT_MAX_HELD_ROWS = 1_500_000;

/** The share of the cap held after a cap eviction: each eviction evicts the oldest quarter. */
export const MAX_HELD_AFTER_EVICTION = 0.75;

export interface AppendStateOptions {
  /** Days held behind the newest day committed (0: only the newest). */
  hotDays?: number;
  /** Held rows (person-days + bills) past which the oldest are evicted (DEFAULT_MAX_HELD_ROWS; Infinity: no cap). */
  maxHeldRows?: number;
}

/**
 * Person-days a day after the newest must hold before it becomes the newest day: 64, or one in 64
 * of the held person-days when fewer are held (a small store moves on with its first person-day).
 */
export function establishedAt(heldPersonDays: number): number {
  return Math.max(1, Math.min(64, Math.floor(heldPersonDays / 64)));
}

/** How often the cold indexes were asked, and what eviction moved there (for tests and the bench). */
export interface ColdStats {
  /** Lookups asked of the cold indexes: a bill the hot index and the tag filter could not rule out, or a person-day of an evicted day. */
  lookups: number;
  /** Of those, found in the cold indexes. */
  hits: number;
  evictions: number;
  /** Of the evictions, those of the row cap (the oldest rows of held days). */
  capEvictions: number;
  evictedPersonDays: number;
  evictedBills: number;
}

import { BILL_ROW_SELECT, type BillRow, billRowValues, decodeBill } from './rows.js';

export class AppendLayoutState implements StateView {
  private hot: HotState;
  /** The hot state was freed (releaseHotState); rebuilt at the next use. */
  private released = false;
  private readonly stmt;
  /** Rowids this batch found or wrote, by bill key and person-day (saves re-verifying reads). */
  private readonly billRows = new Map<string, number>();
  private readonly personDayRows = new PersonDayRows();
  /** dayOrdinal by day text, for the days seen lately (a few per batch). */
  private readonly ordinals = new Map<string, number>();
  private readonly hotDays: number;
  /**
   * Which rows are held, as a reopen loads them (meta 'cold_before', 'cold_no_day_below', and the row
   * cap's 'cold_pd_below', 'cold_bill_below'; all 0 while nothing was evicted). Replaced whole by
   * each eviction, never changed in place.
   */
  private rule: Readonly<HeldRule> = HOLD_ALL;
  private readonly maxHeldRows: number;
  /**
   * Tags of the person-days the row cap evicted, so a person-day of a held day that the hot index
   * misses (nearly always a new one) needs no SQLite read; built at the first cap eviction.
   */
  private coldPersonDayTags: TagFilter | undefined;
  /** Tags of the evicted bills (cold_bills), so a new bill's miss needs no SQLite read; built at the first eviction. */
  private coldTags: TagFilter | undefined;
  /** dayOrdinal of the newest and of the oldest day of a held person-day (0: none held). */
  private newest = 0;
  private oldest = 0;
  /** Held person-days with a day (what the newest day's share is measured against). */
  private heldPersonDays = 0;
  /** Held person-days of each day after `newest` that is not yet established (newestDay). */
  private readonly ahead = new Map<number, number>();
  readonly cold: ColdStats = {
    lookups: 0,
    hits: 0,
    evictions: 0,
    capEvictions: 0,
    evictedPersonDays: 0,
    evictedBills: 0,
  };

  constructor(
    private readonly db: Database.Database,
    options: AppendStateOptions = {},
  ) {
    this.hotDays = Math.max(0, Math.trunc(options.hotDays ?? DEFAULT_HOT_DAYS));
    this.maxHeldRows = Math.max(1, options.maxHeldRows ?? DEFAULT_MAX_HELD_ROWS);
    this.stmt = {
      // The verifying reads compare the key in SQL and return 1 or 0 (pluck): no row object and
      // no key text is built for a hash hit, once or more per event (docs/main-alloc.md).
      personDayIs: db
        .prepare<[string, string, number], number>('SELECT day = ? AND ck = ? FROM person_days WHERE id = ?')
        .pluck(),
      insertPersonDay: db.prepare<[number, string, string, number, number, number, number]>(
        'INSERT INTO person_days (h, day, ck, total, bills, ever_exceeded, unnotified_from) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updatePersonDay: db.prepare<[number, number, number, number, number]>(
        'UPDATE person_days SET total = ?, bills = ?, ever_exceeded = ?, unnotified_from = ? WHERE id = ?',
      ),
      bill: db.prepare<[number], BillRow>(
        `SELECT ${BILL_ROW_SELECT} FROM bills b LEFT JOIN person_days p ON p.id = b.pd WHERE b.id = ?`,
      ),
      billIs: db.prepare<[string, number], number>('SELECT key = ? FROM bills WHERE id = ?').pluck(),
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
      coldBill: db.prepare<[number], BillRow & { id: number }>(
        `SELECT b.id, ${BILL_ROW_SELECT}
           FROM cold_bills c JOIN bills b ON b.id = c.id LEFT JOIN person_days p ON p.id = b.pd WHERE c.tag = ?`,
      ),
      coldBillRow: db.prepare<[number, string], { id: number }>(
        'SELECT b.id FROM cold_bills c JOIN bills b ON b.id = c.id WHERE c.tag = ? AND b.key = ?',
      ),
      personDayValues: db.prepare<[number], PersonDaySums>(
        'SELECT total, bills, ever_exceeded, unnotified_from FROM person_days WHERE id = ?',
      ),
      coldPersonDayRow: db.prepare<[number, string, string], { id: number }>(
        `SELECT p.id FROM cold_person_days c JOIN person_days p ON p.id = c.id
          WHERE c.tag = ? AND p.day = ? AND p.ck = ?`,
      ),
      coldPersonDayTags: db.prepare<[], { tag: number }>('SELECT tag FROM cold_person_days'),
      coldPersonDay: db.prepare<
        [number, string, string],
        { id: number; total: number; bills: number; ever_exceeded: number; unnotified_from: number }
      >(
        `SELECT p.id, p.total, p.bills, p.ever_exceeded, p.unnotified_from
           FROM cold_person_days c JOIN person_days p ON p.id = c.id WHERE c.tag = ? AND p.day = ? AND p.ck = ?`,
      ),
      // A stale entry (the bill moved on) fails b.pd = m.pd; the core re-checks membership too.
      coldMembers: db.prepare<[number, number], { key: string; accepted_seq: number }>(
        `SELECT b.key, b.accepted_seq FROM cold_members m JOIN bills b ON b.id = m.id
          WHERE m.pd = ? AND b.pd = m.pd AND b.counted = 1 AND b.accepted_seq >= ? ORDER BY b.accepted_seq`,
      ),
      coldTags: db.prepare<[], { tag: number }>('SELECT tag FROM cold_bills'),
      maxBill: db.prepare<[], { n: number | null }>('SELECT max(id) + 1 AS n FROM bills'),
      putColdBill: db.prepare<[number, number]>('INSERT OR IGNORE INTO cold_bills (tag, id) VALUES (?, ?)'),
      putColdPersonDay: db.prepare<[number, number]>(
        'INSERT OR IGNORE INTO cold_person_days (tag, id) VALUES (?, ?)',
      ),
      putColdMember: db.prepare<[number, number]>(
        'INSERT OR IGNORE INTO cold_members (pd, id) VALUES (?, ?)',
      ),
    };
    this.hot = this.load();
  }

  private load(): HotState {
    const meta = (k: string): number => this.stmt.getMeta.get(k)?.v ?? 0;
    const rule: HeldRule = {
      coldBefore: meta('cold_before'),
      personDaysFrom: meta('cold_pd_below'),
      billsFrom: meta('cold_bill_below'),
      noDayFrom: meta('cold_no_day_below'),
    };
    this.rule = rule;
    const hot = loadHotState(this.db, rule);
    this.coldTags =
      rule.coldBefore !== 0 || rule.noDayFrom !== 0 || rule.billsFrom !== 0
        ? tagFilterOf(this.stmt.coldTags.iterate())
        : undefined;
    // Every evicted person-day's tag (those of cold days too, which are looked up without it: a
    // few more false "maybe"s, no wrong answer).
    this.coldPersonDayTags =
      rule.personDaysFrom !== 0 ? tagFilterOf(this.stmt.coldPersonDayTags.iterate()) : undefined;
    let oldest = 0;
    const perDay = new Map<number, number>();
    hot.personDays.index.forEachRow((row) => {
      const d = hot.personDays.day.get(row);
      if (d === NO_DAY) return;
      perDay.set(d, (perDay.get(d) ?? 0) + 1);
      if (oldest === 0 || d < oldest) oldest = d;
    });
    this.heldPersonDays = 0;
    for (const n of perDay.values()) this.heldPersonDays += n;
    // The newest established day, as commit() would have moved to it; later days wait in `ahead`.
    const need = establishedAt(this.heldPersonDays);
    let newest = 0;
    for (const [d, n] of perDay) if (n >= need && d > newest) newest = d;
    if (newest === 0) newest = oldest;
    this.ahead.clear();
    for (const [d, n] of perDay) if (d > newest) this.ahead.set(d, n);
    this.newest = newest;
    this.oldest = oldest;
    return hot;
  }

  /** Bytes of the hot state (typed arrays of the held rows, and the dropped chunks kept for new ones). */
  get hotBytes(): number {
    return this.hot.personDays.bytes + this.hot.bills.bytes + this.hot.spares.bytes;
  }

  /** Bytes of the evicted bills' tag filter (fixed; 0 before the first eviction). */
  get coldFilterBytes(): number {
    return (this.coldTags?.bytes ?? 0) + (this.coldPersonDayTags?.bytes ?? 0);
  }

  /** Held rows: person-days and bills (what the row cap bounds). */
  get heldRows(): number {
    return this.hot.personDays.index.size + this.hot.bills.index.size;
  }

  /**
   * Frees the hot state (typed arrays, hash tables, tag filters) until the state is used again,
   * which rebuilds it from the rows first. A replay calls it after its last commit: the end-of-run
   * passes (split suspects, the final emit) read SQLite, not the hot state, and their memory came
   * on top of the held rows' (docs/replay-memory.md, "The row cap").
   */
  releaseHotState(): void {
    this.hot = emptyHotState(1, 1);
    this.coldTags = undefined;
    this.coldPersonDayTags = undefined;
    this.released = true;
  }

  /** Rebuilds the hot state if `releaseHotState` freed it. */
  private held(): HotState {
    if (this.released) this.reload();
    return this.hot;
  }

  /** Rebuilds the hot state from the committed rows (after a rolled-back transaction). */
  reload(): void {
    this.released = false;
    this.billRows.clear();
    this.personDayRows.clear();
    this.hot = this.load();
  }

  /** Forgets the batch's rowid caches; call at the start of each transaction. */
  beginBatch(): void {
    this.held();
    this.billRows.clear();
    this.personDayRows.clear();
  }

  // --- hash-hit verifiers: made once, handed the key by the index (no closure per lookup) ----------

  /** The row `isBill` last accepted: `bill()` reads it once, to verify the key and to decode it. */
  private foundBill: BillRow | undefined;

  private readonly isBill = (id: number, key: string): boolean => {
    const r = this.stmt.bill.get(id);
    if (r?.key !== key) return false;
    this.foundBill = r;
    return true;
  };

  private readonly isBillKey = (id: number, key: string): boolean => this.stmt.billIs.get(key, id) === 1;

  private readonly isPersonDay = (id: number, day: string, consigneeKey: string): boolean =>
    this.stmt.personDayIs.get(day, consigneeKey, id) === 1;

  // --- StateView ---------------------------------------------------------------------------------

  bill(key: string): BillRecord | undefined {
    this.held();
    const h = keyHash52(key);
    this.foundBill = undefined;
    const row = this.hot.bills.index.find(h, this.isBill, key);
    const found = this.foundBill as BillRow | undefined;
    this.foundBill = undefined;
    if (row !== 0 && found !== undefined) {
      this.billRows.set(key, row);
      return decodeBill(found);
    }
    // Not held: an evicted bill, or never stored.
    const tag = tagOf(h);
    if (this.coldTags?.mayHold(tag) !== true) return undefined;
    this.cold.lookups++;
    for (const r of this.stmt.coldBill.all(tag)) {
      if (r.key !== key) continue;
      this.cold.hits++;
      this.billRows.set(key, r.id);
      return decodeBill(r);
    }
    this.billRows.set(key, 0); // never stored: commit's billRow need not ask again this batch
    return undefined;
  }

  personDay(consigneeKey: string, day: string): PersonDayRecord | undefined {
    this.held();
    if (this.isColdDay(day)) {
      const r = this.coldPersonDay(consigneeKey, day);
      return r === undefined ? undefined : personDayFromRow(consigneeKey, day, r);
    }
    const row = this.personDayRow(consigneeKey, day);
    if (row === 0) return undefined;
    const pds = this.hot.personDays;
    if (!pds.isHeld(row)) {
      // Of a held day, evicted by the row cap: its sums are in its row.
      const r = this.stmt.personDayValues.get(row);
      if (r === undefined) throw new Error(`person-day row ${row} is missing`);
      return personDayFromRow(consigneeKey, day, r);
    }
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
    this.held();
    const row = this.personDayRow(consigneeKey, day);
    if (row === 0) return [];
    if (!this.hot.personDays.isHeld(row)) return this.stmt.coldMembers.all(row, fromSeq).map((m) => m.key);
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
    this.held();
    const inserted = new Map<string, number>();
    const pds = this.hot.personDays;
    // Person-days first: a counted bill's row points at its person-day's rowid.
    let newest = this.newest;
    let oldest = this.oldest;
    for (const [key, pd] of changes.personDays) {
      const exceeded = pd.everExceeded ? 1 : 0;
      let row = this.personDayRow(pd.consigneeKey, pd.day);
      // A new row is held unless of a cold day (its rowid is above any cap bound); one that exists
      // is held as it was (an evicted one stays evicted, found through its cold index entry).
      const held = row === 0 ? !this.isColdDay(pd.day) : pds.isHeld(row);
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
        this.personDayRows.set(pd.consigneeKey, pd.day, row);
        inserted.set(key, row);
        if (held) {
          pds.index.insert(h, row);
          const d = this.dayOrdinal(pd.day);
          pds.day.set(row, d);
          if (d !== NO_DAY) {
            this.heldPersonDays++;
            if (newest === 0) newest = d;
            else if (d > newest) newest = this.newestDay(newest, d);
          }
        } else this.stmt.putColdPersonDay.run(tagOf(h), row);
      } else this.stmt.updatePersonDay.run(pd.totalCents, pd.bills, exceeded, pd.unnotifiedFrom ?? 0, row);
      if (!held) continue;
      const d = pds.day.get(row);
      if (d !== NO_DAY && (oldest === 0 || d < oldest)) oldest = d;
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
      let held = row !== 0 && bills.day.get(row) !== 0;
      if (row === 0) {
        // The values array is bound as it is (better-sqlite3 binds an array's items in order),
        // not spread into a second one.
        row = Number(this.stmt.insertBill.run(values).lastInsertRowid);
        this.billRows.set(bill.key, row);
      } else this.stmt.updateBill.run(values, row);
      const day = bill.day === undefined ? NO_DAY : this.dayOrdinal(bill.day);
      const pdHeld = pdRow !== 0 && this.hot.personDays.isHeld(pdRow);
      // Held as a reopen would load it (load-hot-state.ts): counted in a held person-day, or by its
      // own day and rowid. Any other is in the cold index, whether held now or not.
      const reloadHeld = pdHeld || billHeldBy(this.rule, day, row);
      if (!reloadHeld) this.putColdBill(tagOf(h), row);
      if (!held && reloadHeld) {
        bills.index.insert(h, row);
        bills.personDay.set(row, 0);
        bills.next.set(row, 0);
        held = true;
      }
      if (pdRow !== 0 && !pdHeld) this.stmt.putColdMember.run(pdRow, row);
      if (!held) continue;
      bills.day.set(row, day);
      const before = bills.personDay.get(row);
      if (before !== pdRow) {
        if (before !== 0 && this.hot.personDays.isHeld(before)) this.hot.members.unlink(before, row);
        else bills.personDay.set(row, 0);
        if (pdHeld) this.hot.members.link(pdRow, row);
        else bills.personDay.set(row, pdRow);
      }
    }
    this.newest = newest;
    this.oldest = oldest;
    // Only once a held day falls out of the window: until then nothing is cold and a miss is certain.
    if (oldest !== 0 && oldest < newest - this.hotDays) this.evictBefore(newest - this.hotDays);
    if (this.heldRows > this.maxHeldRows) this.evictOldestRows();
    this.stmt.putMeta.run('decision_seq', changes.nextDecisionSeq);
    this.stmt.putMeta.run('accept_seq', changes.nextAcceptSeq);
    return inserted;
  }

  /**
   * The newest day after a person-day of day `d` (after `newest`) was inserted: `d` once it holds
   * establishedAt() person-days, else still `newest`. Why: eviction follows the newest day, and one
   * shipment with a mistyped far-future estimated arrival would otherwise make every real day old —
   * still decided right, through the cold indexes, but read from SQLite for the rest of the run.
   */
  private newestDay(newest: number, d: number): number {
    const n = (this.ahead.get(d) ?? 0) + 1;
    this.ahead.set(d, n);
    if (n < establishedAt(this.heldPersonDays)) return newest;
    for (const day of [...this.ahead.keys()]) if (day <= d) this.ahead.delete(day);
    return d;
  }

  /** The person-day's rowid, 0 when it has none (the key of its consignee row). */
  personDayRowId(consigneeKey: string, day: string): number {
    this.held();
    return this.personDayRow(consigneeKey, day);
  }

  // --- lookups -----------------------------------------------------------------------------------

  private isColdDay(day: string): boolean {
    return this.rule.coldBefore !== 0 && this.dayOrdinal(day) < this.rule.coldBefore;
  }

  /**
   * dayOrdinal(day), remembered per day text: it is asked ~5 times per event, for the few days a
   * batch holds, and each answer sliced the text three times and called Date.UTC.
   */
  private dayOrdinal(day: string): number {
    let d = this.ordinals.get(day);
    if (d === undefined) {
      if (this.ordinals.size >= 4096) this.ordinals.clear();
      d = dayOrdinal(day);
      this.ordinals.set(day, d);
    }
    return d;
  }

  private coldPersonDay(consigneeKey: string, day: string) {
    this.cold.lookups++;
    const r = this.stmt.coldPersonDay.get(tagOf(personDayHash(consigneeKey, day)), day, consigneeKey);
    if (r !== undefined) this.cold.hits++;
    return r;
  }

  private personDayRow(consigneeKey: string, day: string): number {
    const cached = this.personDayRows.get(consigneeKey, day);
    if (cached !== undefined) return cached;
    if (this.isColdDay(day)) {
      const id = this.coldPersonDay(consigneeKey, day)?.id ?? 0;
      if (id !== 0) this.personDayRows.set(consigneeKey, day, id);
      return id;
    }
    const h = personDayHash(consigneeKey, day);
    let row = this.hot.personDays.index.find(h, this.isPersonDay, day, consigneeKey);
    if (row === 0 && this.coldPersonDayTags?.mayHold(tagOf(h)) === true) {
      // Of a held day but not held: evicted by the row cap, or never stored.
      this.cold.lookups++;
      row = this.stmt.coldPersonDayRow.get(tagOf(h), day, consigneeKey)?.id ?? 0;
      if (row !== 0) this.cold.hits++;
    }
    if (row !== 0) this.personDayRows.set(consigneeKey, day, row);
    return row;
  }

  private billRow(key: string, h: number): number {
    const cached = this.billRows.get(key);
    if (cached !== undefined) return cached;
    const row = this.hot.bills.index.find(h, this.isBillKey, key);
    if (row !== 0 || this.coldTags?.mayHold(tagOf(h)) !== true) return row;
    this.cold.lookups++;
    const id = this.stmt.coldBillRow.get(tagOf(h), key)?.id ?? 0;
    if (id !== 0) this.cold.hits++;
    return id;
  }

  // --- eviction ----------------------------------------------------------------------------------

  /**
   * Evicts the held days before `before` (a dayOrdinal) into the cold indexes and records it as
   * meta 'cold_before', inside the caller's transaction: a rollback undoes both, and `reload` then
   * rebuilds the hot state as it was.
   */
  private evictBefore(before: number): void {
    const noDayBelow = this.stmt.maxBill.get()?.n ?? 0;
    this.evict({ ...this.rule, coldBefore: before, noDayFrom: noDayBelow }, false);
    this.oldest = before;
  }

  /**
   * The row cap: evicts the oldest held rows, of any day, until MAX_HELD_AFTER_EVICTION of the cap
   * is held: person-days below a rowid with their members, and bills below a rowid not counted in a
   * held person-day (and bills of no day below it). The bounds are the rowids at the same rank in
   * the held person-days and bills, so both lose their oldest share. Why rowids: a reopen loads
   * by them (meta 'cold_pd_below', 'cold_bill_below'), and a row's rowid is its age. A person-day of
   * a held day that the hot index misses is then looked up in cold_person_days (behind a tag filter).
   */
  private evictOldestRows(): void {
    const target = Math.floor(this.maxHeldRows * MAX_HELD_AFTER_EVICTION);
    // Bills kept as members of held person-days can keep it above the target: a second pass (at
    // most a few) moves both bounds on.
    for (let pass = 0; pass < 4 && this.heldRows > target; pass++) {
      const share = 1 - target / this.heldRows;
      const pdIndex = this.hot.personDays.index;
      const billIndex = this.hot.bills.index;
      const pdFrom = rowidAtRank(pdIndex, Math.floor(pdIndex.size * share));
      const billFrom = rowidAtRank(billIndex, Math.floor(billIndex.size * share));
      const rule: HeldRule = {
        ...this.rule,
        personDaysFrom: Math.max(this.rule.personDaysFrom, pdFrom),
        billsFrom: Math.max(this.rule.billsFrom, billFrom),
        noDayFrom: Math.max(this.rule.noDayFrom, billFrom),
      };
      this.evict(rule, true);
    }
  }

  /**
   * Evicts the held rows `rule` does not hold into the cold indexes and records the rule in meta,
   * inside the caller's transaction: a rollback undoes both, and `reload` then rebuilds the hot
   * state as it was.
   */
  private evict(rule: HeldRule, byCap: boolean): void {
    if (byCap) this.coldPersonDayTags ??= new TagFilter();
    const personDayTags = byCap ? this.coldPersonDayTags : undefined;
    // Written to the cold indexes as eviction finds them, person-days and bills in key order (each
    // B-tree page written once).
    const sink: EvictionSink = {
      member: (pd, bill) => this.stmt.putColdMember.run(pd, bill),
      personDay: (tag, row) => {
        this.stmt.putColdPersonDay.run(tag, row);
        personDayTags?.add(tag);
      },
      bill: (tag, row) => this.putColdBill(tag, row),
    };
    const evicted = evictRows(this.hot.personDays, this.hot.bills, rule, sink);
    this.rule = rule;
    this.stmt.putMeta.run('cold_before', rule.coldBefore);
    this.stmt.putMeta.run('cold_no_day_below', rule.noDayFrom);
    if (rule.personDaysFrom !== 0) this.stmt.putMeta.run('cold_pd_below', rule.personDaysFrom);
    if (rule.billsFrom !== 0) this.stmt.putMeta.run('cold_bill_below', rule.billsFrom);
    // The batch's caches may name rows now evicted; they stay valid (rowids do not change).
    this.cold.evictions++;
    if (byCap) this.cold.capEvictions++;
    this.heldPersonDays -= evicted.datedPersonDays;
    this.cold.evictedPersonDays += evicted.personDays;
    this.cold.evictedBills += evicted.bills;
  }

  private putColdBill(tag: number, row: number): void {
    this.stmt.putColdBill.run(tag, row);
    this.coldTags ??= new TagFilter();
    this.coldTags.add(tag);
  }
}

/** keyHash52(personDayKey(consigneeKey, day)) without building the key. */
export function personDayHash(consigneeKey: string, day: string): number {
  return keyHash52Joined(day, 0, consigneeKey);
}

/**
 * Person-day rowids by day, then consignee key: looked up by the parts the callers hold, so no
 * person-day key string is built (and hashed) for each of the several lookups per event.
 */
class PersonDayRows {
  private readonly byDay = new Map<string, Map<string, number>>();

  get(consigneeKey: string, day: string): number | undefined {
    return this.byDay.get(day)?.get(consigneeKey);
  }

  set(consigneeKey: string, day: string, row: number): void {
    let rows = this.byDay.get(day);
    if (rows === undefined) {
      rows = new Map();
      this.byDay.set(day, rows);
    }
    rows.set(consigneeKey, row);
  }

  clear(): void {
    this.byDay.clear();
  }
}

/** A tag filter over the tags a cold index statement lists. */
function tagFilterOf(rows: Iterable<{ tag: number }>): TagFilter {
  const tags = new TagFilter();
  for (const { tag } of rows) tags.add(tag);
  return tags;
}

/** The 32-bit tag of a 52-bit key hash, as hash-index.ts keeps it (the cold indexes' key). */
function tagOf(hash: number): number {
  return hash % 0x100000000;
}

/** A person-day's sums as its row holds them (read for a person-day not in the hot state). */
interface PersonDaySums {
  total: number;
  bills: number;
  ever_exceeded: number;
  unnotified_from: number;
}

function personDayFromRow(consigneeKey: string, day: string, r: PersonDaySums): PersonDayRecord {
  return {
    consigneeKey,
    day,
    totalCents: r.total,
    bills: r.bills,
    everExceeded: r.ever_exceeded !== 0,
    unnotifiedFrom: r.unnotified_from,
  };
}
