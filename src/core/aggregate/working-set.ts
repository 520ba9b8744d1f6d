/**
 * A batch-local overlay over a StateView: reads fall through to the store, writes stay here until
 * the batch's ChangeSet is committed. Person-day membership changes are indexed per person-day so
 * `billsOf` stays cheap for heavy importers.
 */
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  type StateView,
  personDayKey,
} from './state.js';
import type { AuditRecord } from './state.js';
import type { Decision } from '../model/decision.js';

interface MembershipDelta {
  added: string[];
  removed: Set<string>;
}

export class WorkingSet {
  private readonly bills = new Map<string, BillRecord>();
  private readonly personDays = new Map<string, PersonDayRecord>();
  private readonly membership = new Map<string, MembershipDelta>();
  readonly decisions: Decision[] = [];
  readonly audit: AuditRecord[] = [];
  private decisionSeq: number | undefined;
  private acceptSeq: number | undefined;

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

  addMember(consigneeKey: string, day: string, bill: string): void {
    const delta = this.delta(consigneeKey, day);
    delta.removed.delete(bill);
    delta.added.push(bill);
  }

  removeMember(consigneeKey: string, day: string, bill: string): void {
    const delta = this.delta(consigneeKey, day);
    const at = delta.added.indexOf(bill);
    if (at >= 0) delta.added.splice(at, 1);
    else delta.removed.add(bill);
  }

  /** Counted bills of a person-day in acceptance order (stored members first, then this batch's). */
  billsOf(consigneeKey: string, day: string): string[] {
    const stored = this.base.billsOf(consigneeKey, day);
    const delta = this.membership.get(personDayKey(consigneeKey, day));
    if (delta === undefined) return stored;
    const members = new Set(stored.filter((key) => !delta.removed.has(key)));
    for (const key of delta.added) members.add(key);
    // Acceptance order, whatever order this batch touched them in: batch boundaries must not change
    // which bill is notified first (queue mode and embedded mode cut batches differently).
    const seqOf = (key: string): number => this.bill(key)?.acceptedSeq ?? 0;
    return [...members].sort((a, b) => seqOf(a) - seqOf(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  takeDecisionSeq(): number {
    if (this.decisionSeq === undefined) this.decisionSeq = this.base.nextDecisionSeq();
    return this.decisionSeq++;
  }

  takeAcceptSeq(): number {
    if (this.acceptSeq === undefined) this.acceptSeq = this.base.nextAcceptSeq();
    return this.acceptSeq++;
  }

  changes(): ChangeSet {
    return {
      bills: this.bills,
      personDays: this.personDays,
      decisions: this.decisions,
      audit: this.audit,
      nextDecisionSeq: this.decisionSeq ?? this.base.nextDecisionSeq(),
      nextAcceptSeq: this.acceptSeq ?? this.base.nextAcceptSeq(),
    };
  }

  private delta(consigneeKey: string, day: string): MembershipDelta {
    const key = personDayKey(consigneeKey, day);
    let delta = this.membership.get(key);
    if (delta === undefined) {
      delta = { added: [], removed: new Set() };
      this.membership.set(key, delta);
    }
    return delta;
  }
}
