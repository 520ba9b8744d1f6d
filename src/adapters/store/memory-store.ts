/**
 * In-memory DecisionStore: the reference implementation of the port, used by property tests and the
 * store contract suite. Same core, same ChangeSet commit; nothing survives the process.
 */
import { type AggregationConfig, applyEvents } from '../../core/aggregate/aggregator.js';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  type StateView,
  personDayKey,
} from '../../core/aggregate/state.js';
import type { Decision } from '../../core/model/decision.js';
import type {
  BatchOutcome,
  DecisionStore,
  InterchangeEvents,
  OutboundRecord,
  PersonDayReport,
} from '../../ports/decision-store.js';

export class MemoryDecisionStore implements DecisionStore {
  private readonly bills = new Map<string, BillRecord>();
  private readonly personDayMap = new Map<string, PersonDayRecord>();
  private readonly interchanges = new Map<string, string>();
  private readonly decisions: Array<Decision & { emitted: boolean }> = [];
  private readonly control = new Map<string, number>();
  private readonly outbound = new Map<string, OutboundRecord & { written: boolean }>();
  private decisionSeq = 0;
  private acceptSeq = 0;

  private readonly view: StateView = {
    bill: (key) => {
      const b = this.bills.get(key);
      return b === undefined ? undefined : structuredClone(b);
    },
    personDay: (ck, day) => {
      const pd = this.personDayMap.get(personDayKey(ck, day));
      return pd === undefined ? undefined : { ...pd };
    },
    billsOf: (ck, day, fromSeq = 0) =>
      [...this.bills.values()]
        .filter((b) => b.counted && b.consigneeKey === ck && b.day === day && b.acceptedSeq >= fromSeq)
        .sort((a, b) => a.acceptedSeq - b.acceptedSeq)
        .map((b) => b.key),
    nextDecisionSeq: () => this.decisionSeq,
    nextAcceptSeq: () => this.acceptSeq,
  };

  async applyBatch(interchanges: InterchangeEvents[], config: AggregationConfig): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { decisions: [], audit: [], duplicates: [], eventsApplied: 0 };
    const events = [];
    for (const ic of interchanges) {
      const id = `${ic.sender}\u0000${ic.controlNumber}\u0000${ic.fingerprint}`;
      const first = this.interchanges.get(id);
      if (first !== undefined) {
        outcome.duplicates.push({
          sender: ic.sender,
          controlNumber: ic.controlNumber,
          file: ic.file,
          firstFile: first,
        });
        continue;
      }
      this.interchanges.set(id, ic.file);
      events.push(...ic.events);
    }
    const changes = applyEvents(events, this.view, config);
    this.commit(changes);
    outcome.decisions = changes.decisions;
    outcome.audit = changes.audit;
    outcome.eventsApplied = events.length;
    return outcome;
  }

  private commit(changes: ChangeSet): void {
    for (const b of changes.bills.values()) this.bills.set(b.key, structuredClone(b));
    for (const pd of changes.personDays.values())
      this.personDayMap.set(personDayKey(pd.consigneeKey, pd.day), { ...pd });
    for (const d of changes.decisions) this.decisions.push({ ...d, emitted: false });
    this.decisionSeq = changes.nextDecisionSeq;
    this.acceptSeq = changes.nextAcceptSeq;
  }

  async pendingDecisions(fromSeq = 0, limit = Number.POSITIVE_INFINITY): Promise<Decision[]> {
    return this.decisions
      .filter((d) => !d.emitted && d.seq >= fromSeq)
      .slice(0, limit)
      .map(({ emitted: _e, ...d }) => d);
  }

  async reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    const key = `${partner}\u0000${kind}`;
    let first = this.control.get(key) ?? 1;
    if (first + count - 1 > max) first = 1;
    this.control.set(key, first + count);
    return first;
  }

  async recordOutbound(files: OutboundRecord[]): Promise<void> {
    for (const f of files) {
      this.outbound.set(f.name, { ...f, written: false });
      for (const d of this.decisions) if (f.decisionIds.includes(d.decisionId)) d.emitted = true;
    }
  }

  async unwrittenOutbound(): Promise<OutboundRecord[]> {
    return [...this.outbound.values()].filter((f) => !f.written).map(({ written: _w, ...f }) => f);
  }

  async markWritten(names: string[]): Promise<void> {
    for (const n of names) {
      const f = this.outbound.get(n);
      if (f !== undefined) f.written = true;
    }
  }

  async personDays(day?: string): Promise<PersonDayReport[]> {
    return [...this.personDayMap.values()]
      .filter((pd) => day === undefined || pd.day === day)
      .sort((a, b) =>
        a.day === b.day ? a.consigneeKey.localeCompare(b.consigneeKey) : a.day.localeCompare(b.day),
      )
      .map((pd) => ({ ...pd, billKeys: this.view.billsOf(pd.consigneeKey, pd.day) }));
  }

  allDecisions(): Decision[] {
    return this.decisions.map(({ emitted: _e, ...d }) => d);
  }

  async close(): Promise<void> {}
}
