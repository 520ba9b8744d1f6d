/**
 * The hot state of the append layout, in typed arrays by rowid: what the decisions need per
 * shipment without reading SQLite. A person-day: its key hash, total cents, number of counted bills,
 * flags and the head of its member chain. A bill: its key hash, the rowid of the person-day it
 * counts in (0 when not counted) and the next bill in its person-day's member chain (~16–20 bytes
 * with the hash table; a person-day ~25 (whole-number columns of 4 bytes); `bytes`, measured in bench/sqlite-floor.ts), no object per row.
 *
 * Only rows of recent days are held (docs/replay-memory.md, "Eviction"), and no more of them than a
 * budget (the row cap): each hot row carries its day as an ordinal (`dayOrdinal`), 0 for a row that
 * is not held, and `evictRows` drops the rows a `HeldRule` no longer holds (older days, the oldest
 * rowids), handing them to the caller, which indexes them in SQLite (append-state.ts).
 */
import { chunkOf, SpareChunks, U8Column, U16Column, U32Column, WholeNumberColumn } from './columns.js';
import { RowHashIndex } from './hash-index.js';

export const EVER_EXCEEDED = 1;

/** The day column of a held bill that has no day (never evicted by day). */
export const NO_DAY = 0xffff;

const MS_PER_DAY = 86_400_000;

/**
 * A calendar day 'YYYY-MM-DD' as 1 + days since 1970-01-01 (UTC arithmetic, no time zone): 1 …
 * 0xfffe, ordered as the days are. NO_DAY for no day or one outside that range (such a row is never
 * evicted, which is always correct, only not smaller).
 */
export function dayOrdinal(day: string | undefined | null): number {
  if (day === undefined || day === null || day.length !== 10 || day[4] !== '-' || day[7] !== '-')
    return NO_DAY;
  const ms = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  const ordinal = ms / MS_PER_DAY + 1;
  return Number.isInteger(ordinal) && ordinal >= 1 && ordinal < NO_DAY ? ordinal : NO_DAY;
}

export class PersonDayHotState {
  readonly index: RowHashIndex;
  /** dayOrdinal of a held person-day; 0 for one not held (evicted, or of a day already cold). */
  readonly day: U16Column;
  readonly totalCents: WholeNumberColumn;
  readonly bills: U32Column;
  readonly flags: U8Column;
  /** PersonDayRecord.unnotifiedFrom: members accepted before it have all been notified. */
  readonly unnotifiedFrom: WholeNumberColumn;
  /** Rowid of the most recently linked member bill (the chain runs through BillHotState.next). */
  readonly firstBill: U32Column;

  /**
   * `expectedRows`: the rows a rebuild will load (columns sized once, not grown by steps).
   * `spares`: where dropped chunks wait for new rows (shared with the bills' columns).
   */
  constructor(expectedRows = 1024, spares = new SpareChunks()) {
    this.index = new RowHashIndex(expectedRows, new U32Column(expectedRows + 1, spares));
    this.day = new U16Column(expectedRows + 1, spares);
    this.totalCents = new WholeNumberColumn(expectedRows + 1, spares);
    this.bills = new U32Column(expectedRows + 1, spares);
    this.flags = new U8Column(expectedRows + 1, spares);
    this.unnotifiedFrom = new WholeNumberColumn(expectedRows + 1, spares);
    this.firstBill = new U32Column(expectedRows + 1, spares);
  }

  get bytes(): number {
    return (
      this.index.bytes +
      this.day.bytes +
      this.totalCents.bytes +
      this.bills.bytes +
      this.flags.bytes +
      this.unnotifiedFrom.bytes +
      this.firstBill.bytes
    );
  }

  /** Whether the person-day of this rowid is held (its members chained here, its sums in the columns). */
  isHeld(row: number): boolean {
    return this.day.get(row) !== 0;
  }

  dropChunks(keep: (chunk: number) => boolean): void {
    this.index.rowTag.dropChunks(keep);
    this.day.dropChunks(keep);
    this.totalCents.dropChunks(keep);
    this.bills.dropChunks(keep);
    this.flags.dropChunks(keep);
    this.unnotifiedFrom.dropChunks(keep);
    this.firstBill.dropChunks(keep);
  }
}

export class BillHotState {
  readonly index: RowHashIndex;
  /** dayOrdinal of a held bill's day (NO_DAY: it has none); 0 for a bill not held. */
  readonly day: U16Column;
  /** Rowid of the person-day the bill counts in; 0 when it is not counted. */
  readonly personDay: U32Column;
  // No cents or version tag in memory: nothing on the hot path reads them (12 bytes a bill); the
  // rows keep them as columns (`cents`, `ver`) for when a redelivery check wants them.
  /** Next member of the same person-day (0 ends the chain). */
  readonly next: U32Column;

  constructor(expectedRows = 1024, spares = new SpareChunks()) {
    this.index = new RowHashIndex(expectedRows, new U32Column(expectedRows + 1, spares));
    this.day = new U16Column(expectedRows + 1, spares);
    this.personDay = new U32Column(expectedRows + 1, spares);
    this.next = new U32Column(expectedRows + 1, spares);
  }

  get bytes(): number {
    return this.index.bytes + this.day.bytes + this.personDay.bytes + this.next.bytes;
  }

  dropChunks(keep: (chunk: number) => boolean): void {
    this.index.rowTag.dropChunks(keep);
    this.day.dropChunks(keep);
    this.personDay.dropChunks(keep);
    this.next.dropChunks(keep);
  }
}

/**
 * Where evicted rows go, handed over one at a time as eviction finds them: the caller indexes them in
 * SQLite (by key-hash tag, and members by person-day). One at a time, because the lists of a day's
 * rows held at once made the peak RSS of a 4M replay: 64 MB above the hot state for a day of 738k
 * person-days and 1.2M bills (JS arrays of numbers, their typed copies and a comparator sort's work
 * arrays); now two Uint32Arrays of the larger of the two counts (docs/replay-memory.md).
 */
export interface EvictionSink {
  /** Each member bill of an evicted person-day, by ascending person-day rowid (the chain's order within one). */
  member(personDay: number, bill: number): void;
  /** Each evicted person-day, in ascending tag order (rowid order among equal tags). */
  personDay(tag: number, row: number): void;
  /** Each evicted bill, in ascending tag order (rowid order among equal tags). */
  bill(tag: number, row: number): void;
}

/**
 * Which rows stay held: the rows a reopen loads (load-hot-state.ts says the same in SQL), so an
 * eviction leaves the hot state as a rebuild would make it. Days evict by `coldBefore`; the row cap
 * (append-state.ts, `maxHeldRows`) by the rowid bounds: the oldest rows of any day go.
 */
export interface HeldRule {
  /** dayOrdinal of the first held day: person-days and bills of days before it go (0: none). */
  coldBefore: number;
  /** Person-days below this rowid go, whatever their day (meta 'cold_pd_below'). */
  personDaysFrom: number;
  /** A bill of a day below this rowid goes unless counted in a held person-day (meta 'cold_bill_below'). */
  billsFrom: number;
  /** A bill of no day below this rowid goes unless counted in a held person-day (meta 'cold_no_day_below'). */
  noDayFrom: number;
}

/** Everything held: nothing evicted. */
export const HOLD_ALL: Readonly<HeldRule> = { coldBefore: 0, personDaysFrom: 0, billsFrom: 0, noDayFrom: 0 };

/** Whether a person-day of day `d` (dayOrdinal, NO_DAY) and this rowid is held under `rule`. */
export function personDayHeldBy(rule: HeldRule, d: number, row: number): boolean {
  return d !== 0 && (d === NO_DAY || d >= rule.coldBefore) && row >= rule.personDaysFrom;
}

/**
 * Whether a bill of day `d` (dayOrdinal, NO_DAY) and this rowid is held under `rule` when it is not
 * counted in a held person-day (one counted there is held with it: a held person-day's members are
 * all held, chained to it).
 */
export function billHeldBy(rule: HeldRule, d: number, row: number): boolean {
  return d === NO_DAY ? row >= rule.noDayFrom : d >= rule.coldBefore && row >= rule.billsFrom;
}

/**
 * Evicts the held rows `rule` no longer holds: hands them to `sink` for the caller to index in
 * SQLite, rebuilds both hash indexes with the rows kept, marks the evicted rows not held, and drops
 * the column chunks left with no held row into the spares (SpareChunks), where the next rows find
 * them. An evicted person-day's members go with it (handed over as members, then as bills), so no
 * held bill is chained to an evicted person-day; a bill counted in a held person-day stays, whatever
 * its rowid. Returns how many person-days (and of them, with a day) and bills it evicted.
 */
export function evictRows(
  personDays: PersonDayHotState,
  bills: BillHotState,
  rule: HeldRule,
  sink: EvictionSink,
): { personDays: number; datedPersonDays: number; bills: number } {
  const pdRows = personDays.index
    .rowsWhere((row) => !personDayHeldBy(rule, personDays.day.get(row), row))
    .sort();
  let dated = 0;
  for (const pd of pdRows) {
    if (personDays.day.get(pd) !== NO_DAY) dated++;
    // Unchained as handed over: a member kept held (a bill above `billsFrom`) is then a bill of a
    // cold person-day, as a reopen loads it.
    for (let at = personDays.firstBill.get(pd); at !== 0; ) {
      const next = bills.next.get(at);
      sink.member(pd, at);
      bills.next.set(at, 0);
      at = next;
    }
  }
  sortByTag(pdRows, personDays.index.rowTag);
  const pdTag = personDays.index.rowTag;
  for (const pd of pdRows) {
    sink.personDay(pdTag.get(pd), pd);
    personDays.day.set(pd, 0);
    personDays.firstBill.set(pd, 0);
  }
  // After the person-days: a bill counted in one just evicted goes too. Bills of no day (a status
  // before any declaration) spread over every chunk: those below `noDayFrom` go, or no chunk could
  // ever be freed.
  const billRows = bills.index
    .rowsWhere((row) => {
      const pd = bills.personDay.get(row);
      return !(pd !== 0 && personDays.isHeld(pd)) && !billHeldBy(rule, bills.day.get(row), row);
    })
    .sort();
  sortByTag(billRows, bills.index.rowTag);
  const billTag = bills.index.rowTag;
  for (const b of billRows) {
    sink.bill(billTag.get(b), b);
    bills.day.set(b, 0);
    bills.personDay.set(b, 0);
    bills.next.set(b, 0);
  }
  personDays.index.retain((row) => personDays.day.get(row) !== 0);
  bills.index.retain((row) => bills.day.get(row) !== 0);
  personDays.dropChunks(chunksHolding(personDays.index));
  bills.dropChunks(chunksHolding(bills.index));
  return { personDays: pdRows.length, datedPersonDays: dated, bills: billRows.length };
}

/**
 * The indexed rowid of this rank in ascending order (0: the smallest; past the last: the largest + 1):
 * the row cap's bound, below which `rank` rows lie. Counted per column chunk first, then only the
 * chunk holding the rank is listed and sorted, so no array of every held row is made.
 */
export function rowidAtRank(index: RowHashIndex, rank: number): number {
  let last = 0;
  index.forEachRow((row) => {
    if (row > last) last = row;
  });
  if (rank >= index.size) return last + 1;
  const perChunk = new Uint32Array(chunkOf(last) + 1);
  index.forEachRow((row) => {
    const c = chunkOf(row);
    perChunk[c] = (perChunk[c] as number) + 1;
  });
  let chunk = 0;
  let below = 0;
  while (below + (perChunk[chunk] as number) <= rank) below += perChunk[chunk++] as number;
  const inChunk = index.rowsWhere((row) => chunkOf(row) === chunk).sort();
  return inChunk[rank - below] as number;
}

/**
 * Sorts rowids by their tag, keeping the order of rows with equal tags: a least-significant-digit
 * radix sort, two passes of 16 bits, with one work array. What eviction writes to the cold indexes
 * in key order (each B-tree page written once) without a comparator sort, whose work arrays took
 * 16 bytes a row.
 */
export function sortByTag(rows: Uint32Array, tag: U32Column): void {
  const work = new Uint32Array(rows.length);
  radixPass(rows, work, (row) => tag.get(row) & 0xffff);
  radixPass(work, rows, (row) => tag.get(row) >>> 16);
}

function radixPass(from: Uint32Array, to: Uint32Array, digit: (row: number) => number): void {
  // starts[d]: where the next row of digit d goes (counts first, then their running sums).
  const starts = new Uint32Array(0x10001);
  for (const row of from) {
    const d = digit(row) + 1;
    starts[d] = (starts[d] as number) + 1;
  }
  for (let d = 1; d <= 0x10000; d++) starts[d] = (starts[d] as number) + (starts[d - 1] as number);
  for (const row of from) {
    const d = digit(row);
    const at = starts[d] as number;
    to[at] = row;
    starts[d] = at + 1;
  }
}

/** A test "does this column chunk hold an indexed row?" over the index's rows. */
function chunksHolding(index: RowHashIndex): (chunk: number) => boolean {
  const held = new Set<number>();
  index.forEachRow((row) => {
    held.add(chunkOf(row));
  });
  return (chunk) => held.has(chunk);
}

/**
 * Person-day membership as a chain of bill rowids per person-day (newest first). Order is not kept
 * here: `billsOf` sorts by the members' accepted seq, which is in their rows.
 */
export class MemberChains {
  constructor(
    private readonly personDays: PersonDayHotState,
    private readonly bills: BillHotState,
  ) {}

  link(personDayRow: number, billRow: number): void {
    this.bills.next.set(billRow, this.personDays.firstBill.get(personDayRow));
    this.personDays.firstBill.set(personDayRow, billRow);
    this.bills.personDay.set(billRow, personDayRow);
  }

  unlink(personDayRow: number, billRow: number): void {
    const after = this.bills.next.get(billRow);
    let at = this.personDays.firstBill.get(personDayRow);
    if (at === billRow) this.personDays.firstBill.set(personDayRow, after);
    else {
      while (at !== 0) {
        const next = this.bills.next.get(at);
        if (next === billRow) {
          this.bills.next.set(at, after);
          break;
        }
        at = next;
      }
      if (at === 0) throw new Error(`bill row ${billRow} is not a member of person-day row ${personDayRow}`);
    }
    this.bills.next.set(billRow, 0);
    this.bills.personDay.set(billRow, 0);
  }

  members(personDayRow: number): number[] {
    const out: number[] = [];
    for (let at = this.personDays.firstBill.get(personDayRow); at !== 0; at = this.bills.next.get(at))
      out.push(at);
    return out;
  }
}
