/**
 * Work bound of re-crossings (issue #13): one person-day whose total goes back and forth across the
 * threshold must not make every crossing visit (and sort) all members of the day. Measured as the
 * reads the core makes through its StateView — member keys handed to it and bill records it reads —
 * which is what each stored member costs a store (an SQLite row, a Redis hash field), not wall time.
 */
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../src/core/aggregate/aggregator.js';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  type StateView,
  personDayKey,
} from '../../src/core/aggregate/state.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { ev } from './event-builder.js';

const config = aggregationConfig();

/** Committed state as a store holds it, counting what the core reads. */
class CountingState {
  private readonly bills = new Map<string, BillRecord>();
  private readonly personDays = new Map<string, PersonDayRecord>();
  private decisionSeq = 0;
  private acceptSeq = 0;
  reads = 0;
  decisions = 0;

  readonly view: StateView = {
    bill: (key) => {
      this.reads += 1;
      const b = this.bills.get(key);
      return b === undefined ? undefined : structuredClone(b);
    },
    personDay: (ck, day) => {
      const pd = this.personDays.get(personDayKey(ck, day));
      return pd === undefined ? undefined : { ...pd };
    },
    billsOf: (ck, day, fromSeq = 0) => {
      const keys = [...this.bills.values()]
        .filter((b) => b.counted && b.consigneeKey === ck && b.day === day && b.acceptedSeq >= fromSeq)
        .sort((a, b) => a.acceptedSeq - b.acceptedSeq)
        .map((b) => b.key);
      this.reads += keys.length;
      return keys;
    },
    nextDecisionSeq: () => this.decisionSeq,
    nextAcceptSeq: () => this.acceptSeq,
  };

  apply(events: ShipmentEvent[]): ChangeSet {
    const changes = applyEvents(events, this.view, config);
    for (const b of changes.bills.values()) this.bills.set(b.key, structuredClone(b));
    for (const pd of changes.personDays.values())
      this.personDays.set(personDayKey(pd.consigneeKey, pd.day), { ...pd });
    this.decisionSeq = changes.nextDecisionSeq;
    this.acceptSeq = changes.nextAcceptSeq;
    this.decisions += changes.decisions.length;
    return changes;
  }
}

/**
 * A day of `members` one-cent bills and bill A filling it to exactly $800.00, then `flips` amendments
 * of A alternately one cent above (a crossing) and back (a real drop), in batches of `batch` events.
 */
function recrossings(members: number, flips: number, batch: number): CountingState {
  const state = new CountingState();
  const day = '2025-06-10';
  const declared = [ev({ bill: 'A', cents: 80000 - members, day })];
  for (let i = 0; i < members; i++) declared.push(ev({ bill: `M${i}`, cents: 1, day }));
  state.apply(declared);
  const amendments: ShipmentEvent[] = [];
  for (let i = 0; i < flips; i++)
    amendments.push(ev({ bill: 'A', cents: 80000 - members + (i % 2 === 0 ? 1 : 0), day, kind: 'amended' }));
  state.reads = 0;
  for (let i = 0; i < amendments.length; i += batch) state.apply(amendments.slice(i, i + batch));
  return state;
}

describe('re-crossing work', () => {
  for (const batch of [1, 50, 100_000]) {
    it(`grows linearly with members and crossings (batches of ${batch})`, () => {
      const small = recrossings(500, 500, batch);
      const large = recrossings(2000, 2000, batch);
      // Every member is notified once (the first crossing); A once, as the crossing shipment.
      expect(small.decisions).toBe(501);
      expect(large.decisions).toBe(2001);
      // Linear: 4× the members and 4× the crossings read about 4× as much (quadratic would be 16×).
      expect(large.reads / small.reads).toBeLessThan(5);
      // And about one read per member and per amendment: the first crossing reads the members once.
      expect(large.reads).toBeLessThanOrEqual(3 * (2000 + 2000));
    });
  }

  it('amending every bill of a just-exceeded day reads each bill about once (the reported 8k × 8k case, smaller)', () => {
    const state = new CountingState();
    const day = '2025-06-10';
    const n = 2000;
    // 2000 bills of $0.40 and one cent more: $800.01. Each amendment adds a cent to one bill; taken
    // out and put back, every one of them looked like a drop and a new crossing of the whole day.
    const cents = (i: number): number => 40 + (i === 0 ? 1 : 0);
    state.apply(Array.from({ length: n }, (_, i) => ev({ bill: `B${i}`, cents: cents(i), day })));
    state.reads = 0;
    const before = state.decisions;
    const changes = state.apply(
      Array.from({ length: n }, (_, i) => ev({ bill: `B${i}`, cents: cents(i) + 1, day, kind: 'amended' })),
    );
    expect(state.decisions).toBe(before); // amendments that keep the day exceeded notify nothing
    expect(changes.audit).toEqual([]);
    expect(state.reads).toBeLessThanOrEqual(2 * n);
  });
});
