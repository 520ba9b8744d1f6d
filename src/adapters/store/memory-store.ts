/**
 * In-memory DecisionStore: the reference implementation of the port, used by property tests and the
 * store contract suite. It loads nothing ahead and commits ChangeSets into maps; nothing survives
 * the process.
 */
import { interchangeId } from '../../core/aggregate/engine.js';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  personDayKey,
  type StateView,
} from '../../core/aggregate/state.js';
import type { Decision } from '../../core/model/decision.js';
import {
  type BatchCommit,
  type BatchSession,
  checkControlRange,
  type DecisionStore,
  OutboundConflictError,
  type OutboundRecord,
  type PersonDayReport,
  type ReadSession,
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

  /** Reads straight from the maps (no load step); the commit writes them. */
  openBatch(): BatchSession {
    return {
      view: () => this.view,
      appliedFile: (ic) => this.interchanges.get(interchangeId(ic)),
      commit: async (batch: BatchCommit) => {
        for (const ic of batch.fresh) this.interchanges.set(interchangeId(ic), ic.file);
        this.commit(batch.changes);
        return true;
      },
      close: () => {},
    };
  }

  /** The live state: the use case reads a snapshot in one synchronous stretch, so nothing moves under it. */
  openSnapshot(): ReadSession {
    return {
      view: () => this.view,
      appliedFile: (ic) => this.interchanges.get(interchangeId(ic)),
      close: () => {},
    };
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
    const first = await this.peekControlNumbers(partner, kind, count, max);
    this.control.set(`${partner}\u0000${kind}`, first + count);
    return first;
  }

  async peekControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    const first = this.control.get(`${partner}\u0000${kind}`) ?? 1;
    return first + count - 1 > max ? 1 : first;
  }

  async recordOutbound(files: OutboundRecord[]): Promise<void> {
    // Every check before the first write: a refused call records nothing.
    const names = new Set<string>();
    const claimed = new Set<string>();
    const byId = new Map(this.decisions.map((d) => [d.decisionId, d]));
    for (const f of files) {
      if (this.outbound.has(f.name) || names.has(f.name))
        throw new OutboundConflictError('PIPELINE_OUTBOUND_NAME_TAKEN', f.name);
      names.add(f.name);
      for (const id of f.decisionIds) {
        if (byId.get(id)?.emitted !== false || claimed.has(id))
          throw new OutboundConflictError('PIPELINE_DECISION_ALREADY_EMITTED', id);
        claimed.add(id);
      }
    }
    for (const f of files) {
      this.outbound.set(f.name, { ...f, written: false });
      for (const id of f.decisionIds) (byId.get(id) as { emitted: boolean }).emitted = true;
    }
  }

  async unwrittenOutbound(): Promise<OutboundRecord[]> {
    return [...this.outbound.values()]
      .filter((f) => !f.written)
      .sort((a, b) => compareText(a.name, b.name))
      .map(({ written: _w, ...f }) => f);
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
        a.day === b.day ? compareText(a.consigneeKey, b.consigneeKey) : compareText(a.day, b.day),
      )
      .map((pd) => ({ ...pd, billKeys: this.view.billsOf(pd.consigneeKey, pd.day) }));
  }

  allDecisions(): Decision[] {
    return this.decisions.map(({ emitted: _e, ...d }) => d);
  }

  async close(): Promise<void> {}
}

/** Code-unit order, as SQLite's BINARY collation and the Redis store order keys (not the locale's). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
