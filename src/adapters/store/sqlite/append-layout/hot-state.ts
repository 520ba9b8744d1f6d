/**
 * The hot state of the append layout, in typed arrays by rowid: what the decisions need per
 * shipment without reading SQLite. A person-day: its key hash, total cents, number of counted bills,
 * flags and the head of its member chain. A bill: its key hash, the rowid of the person-day it
 * counts in (0 when not counted) and the next bill in its person-day's member chain (~16–20 bytes
 * with the hash table; a person-day ~25 (whole-number columns of 4 bytes); `bytes`, measured in bench/sqlite-floor.ts), no object per row.
 */
import { U8Column, U32Column, WholeNumberColumn } from './columns.js';
import { RowHashIndex } from './hash-index.js';

export const EVER_EXCEEDED = 1;

export class PersonDayHotState {
  readonly index: RowHashIndex;
  readonly totalCents: WholeNumberColumn;
  readonly bills: U32Column;
  readonly flags: U8Column;
  /** PersonDayRecord.unnotifiedFrom: members accepted before it have all been notified. */
  readonly unnotifiedFrom: WholeNumberColumn;
  /** Rowid of the most recently linked member bill (the chain runs through BillHotState.next). */
  readonly firstBill: U32Column;

  /** `expectedRows`: the rows a rebuild will load (columns sized once, not grown by steps). */
  constructor(expectedRows = 1024) {
    this.index = new RowHashIndex(expectedRows);
    this.totalCents = new WholeNumberColumn(expectedRows + 1);
    this.bills = new U32Column(expectedRows + 1);
    this.flags = new U8Column(expectedRows + 1);
    this.unnotifiedFrom = new WholeNumberColumn(expectedRows + 1);
    this.firstBill = new U32Column(expectedRows + 1);
  }

  get bytes(): number {
    return (
      this.index.bytes +
      this.totalCents.bytes +
      this.bills.bytes +
      this.flags.bytes +
      this.unnotifiedFrom.bytes +
      this.firstBill.bytes
    );
  }
}

export class BillHotState {
  readonly index: RowHashIndex;
  /** Rowid of the person-day the bill counts in; 0 when it is not counted. */
  readonly personDay: U32Column;
  // No cents or version tag in memory: nothing on the hot path reads them (12 bytes a bill); the
  // rows keep them as columns (`cents`, `ver`) for when a redelivery check wants them.
  /** Next member of the same person-day (0 ends the chain). */
  readonly next: U32Column;

  constructor(expectedRows = 1024) {
    this.index = new RowHashIndex(expectedRows);
    this.personDay = new U32Column(expectedRows + 1);
    this.next = new U32Column(expectedRows + 1);
  }

  get bytes(): number {
    return this.index.bytes + this.personDay.bytes + this.next.bytes;
  }
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
