/**
 * Read-only queries behind `s321 report`: exceeded person-days with their consignee, bills and
 * decisions; totals per day and per mode; and split-shipment candidates in blocks. Every query reads
 * what a report shows (or a block of candidates), never the whole store into memory.
 */
import type Database from 'better-sqlite3';
import type { BillRecord } from '../../../core/aggregate/state.js';
import type { ConsigneeIdentity, PartyDay } from '../../../core/consignee/index.js';
import type { Decision } from '../../../core/model/decision.js';
import { DECISIONS_WITH_EMITTED } from './append-layout/migrate-decisions-outbound.js';
import { BILL_ROW_SELECT } from './append-layout/rows.js';
import { type BillRowColumns, decodeBillRow } from './bill-row.js';
import { type PartyRow, partyOfJoinedRow } from './party-row.js';
import { splitCandidates } from './split-candidates.js';

export interface StoredPersonDay {
  day: string;
  consigneeKey: string;
  totalCents: number;
  bills: number;
  /** Absent for person-days written before schema 4. */
  party?: ConsigneeIdentity;
  /** Row id, for billsOf. */
  rowId: number;
}

export interface StoredDecision {
  decision: Decision;
  /** Put into an outbound file (sent) or still pending. */
  emitted: boolean;
}

type JoinedRow = { id: number; day: string; ck: string; total: number; bills: number } & Partial<
  Omit<PartyRow, 'pd'>
>;

const COLUMNS = `SELECT p.id, p.day, p.ck, p.total, p.bills, q.name, q.street, q.city, q.state, q.postal,
  q.country, q.id_qualifier, q.id AS id_value, q.name_key, q.address_key`;

/** A database opened read-only before its upgrade to schema 4 has no parties: an empty stand-in. */
const NO_PARTIES = `(SELECT NULL AS pd, NULL AS name, NULL AS street, NULL AS city, NULL AS state, NULL AS postal,
  NULL AS country, NULL AS id_qualifier, NULL AS id, NULL AS name_key, NULL AS address_key WHERE 0)`;

export class SqliteReportQueries {
  private readonly joined: string;
  private readonly parties: string;

  constructor(private readonly db: Database.Database) {
    const hasParties =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_day_parties'").get() !==
      undefined;
    const parties = hasParties ? 'person_day_parties' : NO_PARTIES;
    this.parties = parties;
    this.joined = `${COLUMNS} FROM person_days p LEFT JOIN ${parties} q ON q.pd = p.id`;
  }

  /** Person-days whose total is above `minCents` (the lowest threshold of any era), by day and key. */
  personDaysAbove(minCents: number, day?: string): StoredPersonDay[] {
    return this.db
      .prepare<[number, string | null, string | null], JoinedRow & { id_value: string | null }>(
        `${this.joined} WHERE p.total > ? AND (? IS NULL OR p.day = ?) ORDER BY p.day, p.ck`,
      )
      .all(minCents, day ?? null, day ?? null)
      .map(toStored);
  }

  /**
   * Every person-day (or one day's) with its consignee as sent, one row at a time, ordered by day
   * and consignee key — the order of the store's `personDays`, so a caller may walk both in step.
   */
  *personDaysWithParties(day?: string): Generator<StoredPersonDay> {
    const rows = this.db
      .prepare<[string | null, string | null], JoinedRow & { id_value: string | null }>(
        `${this.joined} WHERE (? IS NULL OR p.day = ?) ORDER BY p.day, p.ck`,
      )
      .iterate(day ?? null, day ?? null);
    for (const row of rows) yield toStored(row);
  }

  /** The counted bills of a person-day, in acceptance order. */
  billsOf(rowId: number): BillRecord[] {
    return this.billsOfMany([rowId]).get(rowId) ?? [];
  }

  /**
   * The counted bills of each of these person-days, in acceptance order, from one scan of bills: the
   * append layout has no index on a bill's person-day (its members are chains in the writer's memory).
   */
  billsOfMany(rowIds: readonly number[]): Map<number, BillRecord[]> {
    const out = new Map<number, BillRecord[]>();
    if (rowIds.length === 0) return out;
    const rows = this.db
      .prepare<[string], BillRowColumns & { pd: number; data: string }>(
        `SELECT b.pd, ${BILL_ROW_SELECT} FROM bills b LEFT JOIN person_days p ON p.id = b.pd
         WHERE b.counted = 1 AND b.pd IN (SELECT value FROM json_each(?)) ORDER BY b.pd, b.accepted_seq`,
      )
      .iterate(JSON.stringify(rowIds));
    for (const row of rows) {
      const bill = decodeBillRow(row, row.data);
      const bills = out.get(row.pd);
      if (bills === undefined) out.set(row.pd, [bill]);
      else bills.push(bill);
    }
    return out;
  }

  /**
   * A bill's decisions, sent or pending: a range of the unique decision id (`${bill}|${channel}|${code}`);
   * emitted: no longer listed as pending (schema 7).
   */
  decisionsOf(bill: string): StoredDecision[] {
    return this.db
      .prepare<[string, string], { json: string; emitted: number }>(
        `SELECT d.json, ${DECISIONS_WITH_EMITTED}
         WHERE d.id > ? AND d.id < ? ORDER BY d.seq`,
      )
      .all(`${bill}|`, `${bill}|\uffff`)
      .map((r) => ({ decision: JSON.parse(r.json) as Decision, emitted: r.emitted === 1 }))
      .filter((d) => d.decision.bill === bill);
  }

  /** Person-days and their summed totals per day. */
  dayTotals(day?: string): Array<{ day: string; personDays: number; totalCents: number }> {
    return this.db
      .prepare<[string | null, string | null], { day: string; n: number; total: number }>(
        'SELECT day, count(*) AS n, sum(total) AS total FROM person_days WHERE (? IS NULL OR day = ?) GROUP BY day ORDER BY day',
      )
      .all(day ?? null, day ?? null)
      .map((r) => ({ day: r.day, personDays: r.n, totalCents: r.total }));
  }

  /** Counted bills and their value per day and mode (the mode a field of the packed bill, the cents a column). */
  modeTotals(day?: string): Array<{ day: string; mode: string; bills: number; cents: number }> {
    return this.db
      .prepare<[string | null, string | null], { day: string; mode: string; n: number; cents: number }>(
        `SELECT day, coalesce(json_extract(data, '$[2]'), json_extract(data, '$.mode')) AS mode,
           count(*) AS n, sum(cents) AS cents
         FROM bills WHERE counted = 1 AND (? IS NULL OR day = ?) GROUP BY day, mode ORDER BY day, mode`,
      )
      .all(day ?? null, day ?? null)
      .map((r) => ({ day: r.day, mode: r.mode, bills: r.n, cents: r.cents }));
  }

  /**
   * Split-shipment candidates: the person-days of a day that share their folded address, or their
   * folded name and street or city and postal code, with another person-day of that day; one block
   * per (day, address) and, per (day, name), the sub-blocks sameNameBlocks cuts. One scan finds the
   * rows that share a key hash (split-candidates.ts); only those are read and sorted here.
   */
  *splitCandidateBlocks(day?: string): Generator<PartyDay[]> {
    const candidates = splitCandidates(this.db, this.parties, day);
    // The sort below holds only the candidates; it may still spill to a temp file rather than
    // grow the store's temp_store = MEMORY.
    const tempStore = this.db.pragma('temp_store', { simple: true });
    this.db.pragma('temp_store = FILE');
    try {
      yield* this.splitBlocks('address_key', candidates.address);
      yield* this.splitBlocks('name_key', candidates.name);
    } finally {
      this.db.pragma(`temp_store = ${Number(tempStore)}`);
    }
  }

  private *splitBlocks(column: 'address_key' | 'name_key', rowIds: readonly number[]): Generator<PartyDay[]> {
    if (rowIds.length === 0) return;
    const rows = this.db
      .prepare<[string], JoinedRow & { id_value: string | null; block: string }>(
        `${COLUMNS}, q.${column} AS block FROM person_days p JOIN ${this.parties} q ON q.pd = p.id
         WHERE p.id IN (SELECT value FROM json_each(?)) AND q.${column} <> ''
         ORDER BY p.day, q.${column}, p.ck`,
      )
      .iterate(JSON.stringify(rowIds));
    // A name block is cut further by address before anything is compared (sameNameBlocks).
    const emit = column === 'name_key' ? sameNameBlocks : (block: SplitMember[]) => [block];
    // A candidate whose key hash collided with another row's ends alone in its block: dropped.
    const flush = (block: SplitMember[]): PartyDay[][] => (block.length > 1 ? emit(block).map(members) : []);
    let block: SplitMember[] = [];
    let at = '';
    for (const row of rows) {
      const id = `${row.day}\u0000${row.block}`;
      if (id !== at && block.length > 0) {
        yield* flush(block);
        block = [];
      }
      at = id;
      const s = toStored(row);
      if (s.party !== undefined)
        block.push({
          day: s.day,
          consigneeKey: s.consigneeKey,
          totalCents: s.totalCents,
          bills: s.bills,
          party: s.party,
          addressKey: row.address_key ?? '',
        });
    }
    if (block.length > 0) yield* flush(block);
  }
}

type SplitMember = PartyDay & { addressKey: string };

function members(block: SplitMember[]): PartyDay[] {
  return block.map(({ addressKey: _, ...m }) => m);
}

/**
 * The sub-blocks of one folded name in which near-identical.ts can find an address variant: the
 * same street (with the postal code or the city), or the same city and postal code. In real and
 * generated traffic a common name recurs at many addresses of one day (117k of 118k person-days of
 * the bench's traffic share a name), and comparing every pair of such a block found nothing the
 * sub-blocks do not: same groups, a tenth of the comparisons (200k shipments: 280k → 1.8k pairs).
 */
function sameNameBlocks(block: SplitMember[]): SplitMember[][] {
  if (block.length === 2) return [block];
  const byStreet = new Map<string, SplitMember[]>();
  const byPlace = new Map<string, SplitMember[]>();
  for (const m of block) {
    // addressKey: STREET|CITY|STATE|POSTAL|COUNTRY (consignee-key.ts); folded text holds no '|'.
    const [street = '', city = '', , postal = ''] = m.addressKey.split('|');
    if (street !== '') push(byStreet, street, m);
    if (postal !== '') push(byPlace, `${city}|${postal}`, m);
  }
  return [...byStreet.values(), ...byPlace.values()].filter((b) => b.length > 1);
}

function push(map: Map<string, SplitMember[]>, key: string, m: SplitMember): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [m]);
  else list.push(m);
}

function toStored(row: JoinedRow & { id_value: string | null }): StoredPersonDay {
  const out: StoredPersonDay = {
    day: row.day,
    consigneeKey: row.ck,
    totalCents: row.total,
    bills: row.bills,
    rowId: row.id,
  };
  const party = partyOfJoinedRow(row);
  if (party !== undefined) out.party = party;
  return out;
}
