/**
 * A batch-local overlay over a StateView: reads fall through to the store, writes stay here until
 * the batch's ChangeSet is committed. Bills that join a person-day in this batch are kept per
 * person-day in the order they joined, which is acceptedSeq order (every join takes the next
 * sequence number), so the members a crossing must notify come out ordered without a sort.
 */

import type { Decision } from '../model/decision.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { AuditRecord, PersonDayOpener } from './state.js';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  personDayKey,
  type StateView,
} from './state.js';

interface Joined {
  key: string;
  seq: number;
}

export class WorkingSet {
  private readonly bills = new Map<string, BillRecord>();
  private readonly personDays = new Map<string, PersonDayRecord>();
  /**
   * Bills that joined each person-day in this batch and may not be notified yet, in join order; by
   * the batch's own record of the person-day (`personDay` hands out one per person-day), so no
   * person-day key is built again for a join or a crossing.
   */
  private readonly joined = new Map<PersonDayRecord, Joined[]>();
  /** The event that first counted a bill in each person-day during this batch. */
  private readonly openers = new Map<PersonDayRecord, PersonDayOpener>();
  readonly decisions: Decision[] = [];
  readonly audit: AuditRecord[] = [];
  private decisionSeq: number | undefined;
  private acceptSeq: number | undefined;
  /** The first acceptedSeq this batch hands out: every stored member was accepted before it. */
  private batchFirstSeq: number | undefined;

  constructor(private readonly base: StateView) {}

  bill(key: string): BillRecord | undefined {
    return this.bills.get(key) ?? this.base.bill(key);
  }

  putBill(record: BillRecord): void {
    this.bills.set(record.key, record);
  }

  personDay(consigneeKey: string, day: string): PersonDayRecord {
    const key = personDayKey(consigneeKey, day);
    const local = this.personDays.get(key);
    if (local !== undefined) return local;
    const stored = this.base.personDay(consigneeKey, day);
    const copy: PersonDayRecord = stored
      ? { ...stored }
      : { consigneeKey, day, totalCents: 0, bills: 0, everExceeded: false };
    this.personDays.set(key, copy);
    return copy;
  }

  /** The person-day as the batch has it now, without adding it to the batch's changes. */
  peekPersonDay(consigneeKey: string, day: string): PersonDayRecord | undefined {
    return this.personDays.get(personDayKey(consigneeKey, day)) ?? this.base.personDay(consigneeKey, day);
  }

  /**
   * Records that `bill` joined the person-day with acceptedSeq `seq` (taken just before) on `event`,
   * having left `left` on it (when it was counted elsewhere before); `pd` is the record `personDay`
   * returned.
   */
  joinMember(
    pd: PersonDayRecord,
    bill: string,
    seq: number,
    event: ShipmentEvent,
    left: PersonDayOpener['left'],
  ): void {
    if (!this.openers.has(pd)) this.openers.set(pd, left === undefined ? { event } : { event, left });
    const list = this.joined.get(pd);
    if (list === undefined) this.joined.set(pd, [{ key: bill, seq }]);
    else list.push({ key: bill, seq });
  }

  /**
   * Bills counted in the person-day now, accepted at or after `fromSeq`, in acceptance order: the
   * stored ones that are still members as stored, then this batch's joins that still hold. A bill
   * that left (amended away, deleted, moved) is skipped by checking its current record, so leaving
   * costs nothing here.
   */
  membersFrom(pd: PersonDayRecord, fromSeq: number): BillRecord[] {
    const { consigneeKey, day } = pd;
    const out: BillRecord[] = [];
    const firstBatchSeq = this.firstBatchSeq();
    if (fromSeq < firstBatchSeq) {
      for (const key of this.base.billsOf(consigneeKey, day, fromSeq)) {
        const bill = this.bill(key);
        if (bill !== undefined && isMember(bill, consigneeKey, day) && bill.acceptedSeq < firstBatchSeq)
          out.push(bill);
      }
    }
    for (const j of this.joined.get(pd) ?? []) {
      if (j.seq < fromSeq) continue;
      const bill = this.bill(j.key);
      if (bill !== undefined && isMember(bill, consigneeKey, day) && bill.acceptedSeq === j.seq)
        out.push(bill);
    }
    return out;
  }

  /**
   * Every member of the person-day has now been notified: later crossings start after them (the
   * person-day's unnotifiedFrom), and this batch forgets its joins there.
   */
  settleMembers(pd: PersonDayRecord): void {
    pd.unnotifiedFrom = this.acceptSeqMark();
    this.joined.delete(pd);
  }

  takeDecisionSeq(): number {
    if (this.decisionSeq === undefined) this.decisionSeq = this.base.nextDecisionSeq();
    return this.decisionSeq++;
  }

  takeAcceptSeq(): number {
    if (this.acceptSeq === undefined) this.acceptSeq = this.firstBatchSeq();
    return this.acceptSeq++;
  }

  /** The acceptedSeq the next joining bill will get (nothing taken). */
  private acceptSeqMark(): number {
    return this.acceptSeq ?? this.firstBatchSeq();
  }

  private firstBatchSeq(): number {
    if (this.batchFirstSeq === undefined) this.batchFirstSeq = this.base.nextAcceptSeq();
    return this.batchFirstSeq;
  }

  changes(): ChangeSet {
    return {
      bills: this.bills,
      personDays: this.personDays,
      decisions: this.decisions,
      audit: this.audit,
      nextDecisionSeq: this.decisionSeq ?? this.base.nextDecisionSeq(),
      nextAcceptSeq: this.acceptSeq ?? this.base.nextAcceptSeq(),
      openers: this.openers,
    };
  }
}

function isMember(bill: BillRecord, consigneeKey: string, day: string): boolean {
  return bill.counted && bill.consigneeKey === consigneeKey && bill.day === day;
}
