/**
 * The API's reads of the SQLite store (ports/api.ts ApiReads), each inside one read transaction so
 * a page or a bill is one snapshot even while a replay commits beside it. Person-days are scanned
 * in (day, consignee key) order from the cursor; their members and a bill's record come from the
 * append layout's hot state (the bills table has no index on the key or the person-day).
 */
import type Database from 'better-sqlite3';
import type { PersonDayRecord } from '../../../core/aggregate/state.js';
import type { Decision } from '../../../core/model/decision.js';
import type { ApiReads, ListedPersonDay, PersonDayScan } from '../../../ports/api.js';
import type { AppendLayoutState } from './append-layout/append-state.js';
import { DECISIONS_WITH_EMITTED } from './append-layout/migrate-decisions-outbound.js';
import { type JoinedPartyColumns, partyOfJoinedRow } from './party-row.js';

type ScanRow = {
  day: string;
  ck: string;
  total: number;
  bills: number;
  ever_exceeded: number;
  unnotified_from: number;
} & JoinedPartyColumns;

export class SqliteApiReads implements ApiReads {
  constructor(
    private readonly db: Database.Database,
    /** Runs `read` in one read transaction with the snapshot's hot state. */
    private readonly inSnapshot: <T>(read: (state: AppendLayoutState) => T) => T,
  ) {}

  async scanPersonDays(scan: PersonDayScan): Promise<ListedPersonDay[]> {
    const hasParties =
      this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_day_parties'")
        .get() !== undefined;
    const parties = hasParties
      ? `LEFT JOIN person_day_parties q ON q.pd = p.id`
      : `LEFT JOIN (SELECT NULL AS pd, NULL AS name, NULL AS street, NULL AS city, NULL AS state,
           NULL AS postal, NULL AS country, NULL AS id_qualifier, NULL AS id WHERE 0) q ON q.pd = p.id`;
    const statement = this.db.prepare<[string | null, string | null, string, string], ScanRow>(
      `SELECT p.day, p.ck, p.total, p.bills, p.ever_exceeded, p.unnotified_from, q.name, q.street, q.city,
         q.state, q.postal, q.country, q.id_qualifier, q.id AS id_value
       FROM person_days p ${parties}
       WHERE (? IS NULL OR p.day = ?) AND (p.day, p.ck) > (?, ?)
       ORDER BY p.day, p.ck`,
    );
    return this.inSnapshot((state) => {
      const taken: Array<{ record: PersonDayRecord; row: ScanRow }> = [];
      // Rows are collected first: better-sqlite3 runs no other statement while one iterates.
      for (const row of statement.iterate(
        scan.day ?? null,
        scan.day ?? null,
        scan.after?.day ?? '',
        scan.after?.consigneeKey ?? '',
      )) {
        const record: PersonDayRecord = {
          consigneeKey: row.ck,
          day: row.day,
          totalCents: row.total,
          bills: row.bills,
          everExceeded: row.ever_exceeded === 1,
          unnotifiedFrom: row.unnotified_from,
        };
        if (!scan.accept(record)) continue;
        taken.push({ record, row });
        if (taken.length >= scan.limit) break;
      }
      return taken.map(({ record, row }) => {
        const listed: ListedPersonDay = {
          ...record,
          billKeys: state.billsOf(record.consigneeKey, record.day),
        };
        const party = partyOfJoinedRow(row);
        if (party !== undefined) listed.party = party;
        return listed;
      });
    });
  }

  async billOnRecord(key: string): ReturnType<ApiReads['billOnRecord']> {
    return this.inSnapshot((state) => {
      const bill = state.bill(key);
      if (bill === undefined) return undefined;
      const personDay =
        bill.consigneeKey !== undefined && bill.day !== undefined
          ? state.personDay(bill.consigneeKey, bill.day)
          : undefined;
      return personDay === undefined ? { bill } : { bill, personDay };
    });
  }

  async decisionsWithStatus(
    ids: readonly string[],
  ): Promise<Array<{ decision: Decision; emitted: boolean }>> {
    if (ids.length === 0) return [];
    // Emitted: no longer listed as pending (schema 7).
    return this.db
      .prepare<[string], { json: string; emitted: number }>(
        `SELECT d.json, ${DECISIONS_WITH_EMITTED}
         WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.seq`,
      )
      .all(JSON.stringify(ids))
      .map((r) => ({ decision: JSON.parse(r.json) as Decision, emitted: r.emitted === 1 }));
  }
}
