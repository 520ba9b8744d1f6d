/**
 * Contract suite of the DecisionStore port (bullmq-style: one suite, every backend). Each scenario is
 * a rules.md §6 edge case; the Redis store runs the same suite in its *.redis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { applyBatch, computeDiscarded } from '../../src/app/apply-batch.js';
import type { AggregationConfig } from '../../src/core/aggregate/aggregator.js';
import type { Decision } from '../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { DecisionStore, InterchangeEvents, OutboundRecord } from '../../src/ports/decision-store.js';
import { ev } from './event-builder.js';

let icn = 0;
function ic(events: ShipmentEvent[], fingerprint?: string): InterchangeEvents {
  icn += 1;
  return {
    sender: 'SENDER',
    controlNumber: String(icn).padStart(9, '0'),
    fingerprint: fingerprint ?? `fp${icn}`,
    file: `f${icn}.edi`,
    events,
  };
}

function codes(decisions: Decision[]): string[] {
  return decisions.map((d) => `${d.bill} ${d.channel} ${d.code} ${d.role}`);
}

export function storeContract(name: string, open: () => Promise<DecisionStore>): void {
  const release2: AggregationConfig = aggregationConfig();
  const apply = async (store: DecisionStore, events: ShipmentEvent[], config = release2) =>
    applyBatch(store, [ic(events)], config);

  describe(`DecisionStore contract: ${name}`, () => {
    it('4 × $200 is allowed; a 5th of $0.01 exceeds and all five are notified', async () => {
      const store = await open();
      const first = await apply(
        store,
        [1, 2, 3, 4].map((i) => ev({ bill: `B${i}`, cents: 20000 })),
      );
      expect(first.decisions).toEqual([]);
      const fifth = await apply(store, [ev({ bill: 'B5', cents: 1 })]);
      expect(codes(fifth.decisions)).toEqual([
        'ABCD/B1 truck-x12-350 95 earlier',
        'ABCD/B2 truck-x12-350 95 earlier',
        'ABCD/B3 truck-x12-350 95 earlier',
        'ABCD/B4 truck-x12-350 95 earlier',
        'ABCD/B5 truck-x12-350 95 crossing',
      ]);
      expect(fifth.decisions.every((d) => d.totalCents === 80001 && d.profile === 'release2')).toBe(true);
      const [pd] = await store.personDays('2025-06-10');
      expect(pd?.totalCents).toBe(80001);
      expect(pd?.billKeys).toEqual(['ABCD/B1', 'ABCD/B2', 'ABCD/B3', 'ABCD/B4', 'ABCD/B5']);
      await store.close();
    });

    it("an air bill's flight (its manifest's flight designator) reaches each of its decisions, also when it is an earlier bill read back from the store", async () => {
      const store = await open();
      await apply(store, [ev({ bill: '020/11111111', mode: 'air', cents: 50000, conveyance: 'KL0643' })]);
      const out = await apply(store, [
        ev({ bill: '020/22222222', mode: 'air', cents: 40000, conveyance: 'TRIP-42' }),
        ev({ bill: 'T1', cents: 100, conveyance: 'KL0643' }),
      ]);
      const flights = out.decisions.map((d) => `${d.bill} ${d.channel} ${d.flight ?? '-'}`);
      expect(flights).toContain('020/11111111 air-camir-fsn KL0643');
      // A reference that is no flight designator (a trip number) is no flight: the FSN goes without ARR.
      expect(flights).toContain('020/22222222 air-camir-fsn -');
      // Truck bills have no flight, whatever their conveyance reference.
      expect(flights).toContain('ABCD/T1 truck-x12-350 -');
      await store.close();
    });

    it('exactly $800.00 is allowed; one shipment alone above $800 exceeds', async () => {
      const store = await open();
      expect((await apply(store, [ev({ bill: 'A', cents: 80000, consignee: 'X' })])).decisions).toEqual([]);
      const alone = await apply(store, [ev({ bill: 'B', cents: 80001, consignee: 'Y' })]);
      expect(codes(alone.decisions)).toEqual(['ABCD/B truck-x12-350 95 crossing']);
      await store.close();
    });

    it('the same person on two days keeps two aggregates', async () => {
      const store = await open();
      const out = await apply(store, [
        ev({ bill: 'A', cents: 50000, day: '2025-06-10' }),
        ev({ bill: 'B', cents: 50000, day: '2025-06-11' }),
      ]);
      expect(out.decisions).toEqual([]);
      expect((await store.personDays()).map((p) => [p.day, p.totalCents])).toEqual([
        ['2025-06-10', 50000],
        ['2025-06-11', 50000],
      ]);
      await store.close();
    });

    it('every later shipment of an exceeded day is notified once; a redelivered version changes nothing', async () => {
      const store = await open();
      await apply(store, [ev({ bill: 'A', cents: 90000 })]);
      const later = await apply(store, [ev({ bill: 'B', cents: 100 })]);
      expect(codes(later.decisions)).toEqual(['ABCD/B truck-x12-350 95 crossing']);
      const again = await apply(store, [ev({ bill: 'B', cents: 100 })]);
      expect(again.decisions).toEqual([]);
      await store.close();
    });

    it('a replayed interchange (same sender, control number, content) is skipped whole', async () => {
      const store = await open();
      const once = ic([ev({ bill: 'A', cents: 90000 })], 'same');
      await applyBatch(store, [once], release2);
      const again = await applyBatch(store, [{ ...once, file: 'again.edi' }], release2);
      expect(again.duplicates).toEqual([
        { sender: 'SENDER', controlNumber: once.controlNumber, file: 'again.edi', firstFile: once.file },
      ]);
      expect(again.eventsApplied).toBe(0);
      expect((await store.personDays())[0]?.totalCents).toBe(90000);
      await store.close();
    });

    it('an amendment lowering the crossing shipment moves totals and retracts nothing', async () => {
      const store = await open();
      await apply(store, [ev({ bill: 'A', cents: 50000 }), ev({ bill: 'B', cents: 40000 })]);
      const lowered = await apply(store, [ev({ bill: 'B', cents: 1000, kind: 'amended' })]);
      expect(lowered.decisions).toEqual([]);
      expect(lowered.audit.map((a) => a.kind)).toContain('below-threshold-after-exceeded');
      expect((await store.personDays())[0]?.totalCents).toBe(51000);
      expect((await store.pendingDecisions()).length).toBe(2);
      await store.close();
    });

    // issue #13: an amendment moves a contribution atomically; the day's state before and after it
    // decides, and a bill's role (earlier / crossing) never flips.
    it('release3: raising an earlier bill on an exceeded day sends nothing and audits no drop', async () => {
      const store = await open();
      const day = '2025-08-20';
      const first = await apply(store, [
        ev({ bill: '001', cents: 50000, day }),
        ev({ bill: '002', cents: 40000, day }),
      ]);
      expect(codes(first.decisions)).toEqual([
        'ABCD/001 truck-x12-350 95 earlier',
        'ABCD/002 truck-x12-350 4M crossing',
      ]);
      const amended = await apply(store, [ev({ bill: '001', cents: 55000, day, kind: 'amended' })]);
      expect(codes(amended.decisions)).toEqual([]);
      expect(amended.audit).toEqual([]);
      const [pd] = await store.personDays(day);
      expect([pd?.totalCents, pd?.billKeys]).toEqual([95000, ['ABCD/001', 'ABCD/002']]);
      expect(codes(await store.pendingDecisions())).toEqual(codes(first.decisions));
      await store.close();
    });

    it('release2: a $250 → $300 amendment on an $850.50 day writes no "dropped below" audit', async () => {
      const store = await open();
      await apply(store, [ev({ bill: 'A', cents: 25000 }), ev({ bill: 'B', cents: 60050 })]);
      const amended = await apply(store, [ev({ bill: 'A', cents: 30000, kind: 'amended' })]);
      expect(amended.decisions).toEqual([]);
      expect(amended.audit).toEqual([]);
      expect((await store.personDays())[0]?.totalCents).toBe(90050);
      await store.close();
    });

    it('a real drop is audited with the total after it; the re-crossing keeps every role', async () => {
      const store = await open();
      const day = '2025-08-20';
      await apply(store, [ev({ bill: 'A', cents: 50000, day }), ev({ bill: 'B', cents: 40000, day })]);
      const dropped = await apply(store, [ev({ bill: 'B', cents: 10000, day, kind: 'amended' })]);
      expect(dropped.decisions).toEqual([]);
      expect(dropped.audit.map((a) => [a.kind, a.bill, a.totalCents])).toEqual([
        ['below-threshold-after-exceeded', 'ABCD/B', 60000],
      ]);
      // C joins below the threshold; D crosses again: C is an earlier bill, D the crossing one, and A
      // (released with 95) and B (withheld with 4M) get nothing that contradicts what they were sent.
      await apply(store, [ev({ bill: 'C', cents: 10000, day })]);
      const again = await apply(store, [ev({ bill: 'D', cents: 20000, day })]);
      expect(codes(again.decisions)).toEqual([
        'ABCD/C truck-x12-350 95 earlier',
        'ABCD/D truck-x12-350 4M crossing',
      ]);
      // B raised again, above the threshold on its own: it keeps its hold, gets nothing new.
      const raised = await apply(store, [ev({ bill: 'B', cents: 40000, day, kind: 'amended' })]);
      expect(raised.decisions).toEqual([]);
      expect(raised.audit).toEqual([]);
      await store.close();
    });

    it('release3: a released bill moved by its arrival onto an exceeded day is not withheld', async () => {
      const store = await open();
      await apply(store, [
        ev({ bill: 'A', cents: 50000, day: '2025-08-20' }),
        ev({ bill: 'B', cents: 40000, day: '2025-08-20' }),
        ev({ bill: 'X', cents: 90000, day: '2025-08-21' }),
      ]);
      // A (95, released as an earlier bill) arrives on the 21st, an exceeded day: no 4M for it; the
      // 20th drops to $400 (audited with that total).
      const moved = await apply(store, [ev({ bill: 'A', kind: 'status', arrival: '2025-08-21' })]);
      expect(codes(moved.decisions)).toEqual([]);
      expect(moved.audit.map((a) => [a.kind, a.day, a.totalCents])).toEqual([
        ['below-threshold-after-exceeded', '2025-08-20', 40000],
        ['notification-role-kept', '2025-08-21', 140000],
      ]);
      const pds = Object.fromEntries((await store.personDays()).map((p) => [p.day, p.totalCents]));
      expect(pds).toEqual({ '2025-08-20': 40000, '2025-08-21': 140000 });
      // A bill never notified that arrives on the exceeded day is a later shipment: withheld.
      await apply(store, [ev({ bill: 'N', cents: 100, day: '2025-08-22' })]);
      const late = await apply(store, [ev({ bill: 'N', kind: 'status', arrival: '2025-08-21' })]);
      expect(codes(late.decisions)).toEqual(['ABCD/N truck-x12-350 4M crossing']);
      await store.close();
    });

    it('a deletion or a consignee move that leaves the day exceeded audits nothing', async () => {
      const store = await open();
      await apply(store, [
        ev({ bill: 'A', cents: 50000, consignee: 'P' }),
        ev({ bill: 'B', cents: 40000, consignee: 'P' }),
        ev({ bill: 'C', cents: 20000, consignee: 'P' }),
      ]);
      const deleted = await apply(store, [ev({ bill: 'C', kind: 'deleted' })]);
      expect([deleted.decisions, deleted.audit]).toEqual([[], []]);
      // B moves to Q (below there): P drops to $500, audited with that total; Q is not exceeded.
      const moved = await apply(store, [ev({ bill: 'B', cents: 40000, consignee: 'Q', kind: 'amended' })]);
      expect(moved.decisions).toEqual([]);
      expect(moved.audit.map((a) => [a.consigneeKey, a.totalCents])).toEqual([['P', 50000]]);
      // C declared again on P: P stays below; nothing for C, which was notified before its deletion.
      const back = await apply(store, [ev({ bill: 'C', cents: 20000, consignee: 'P' })]);
      expect([back.decisions, back.audit]).toEqual([[], []]);
      await store.close();
    });

    it('an amendment moving the consignee moves the contribution; a deletion removes it', async () => {
      const store = await open();
      await apply(store, [
        ev({ bill: 'A', cents: 30000, consignee: 'P' }),
        ev({ bill: 'B', cents: 30000, consignee: 'P' }),
      ]);
      await apply(store, [ev({ bill: 'B', cents: 30000, consignee: 'Q', kind: 'amended' })]);
      const byKey = Object.fromEntries((await store.personDays()).map((p) => [p.consigneeKey, p.totalCents]));
      expect(byKey).toEqual({ P: 30000, Q: 30000 });
      await apply(store, [ev({ bill: 'A', kind: 'deleted' })]);
      const after = Object.fromEntries(
        (await store.personDays()).map((p) => [p.consigneeKey, [p.totalCents, p.bills]]),
      );
      expect(after).toEqual({ P: [0, 0], Q: [30000, 1] });
      await store.close();
    });

    it('mail and non-321 shipments are not counted', async () => {
      const store = await open();
      const out = await apply(store, [
        ev({ bill: 'M', cents: 90000, mode: 'mail' }),
        ev({ bill: 'O', cents: 90000, type: 'other' }),
      ]);
      expect(out.decisions).toEqual([]);
      expect((await store.personDays()).length).toBe(0);
      await store.close();
    });

    it('each mode and role gets its channel: air express, ocean ET86 with broker, EDIFACT truck', async () => {
      const store = await open();
      await apply(store, [
        ev({ bill: '176/12345675', cents: 30000, mode: 'air', express: true, carrier: 'FDX' }),
        ev({
          bill: 'OCEA/BL1',
          cents: 30000,
          mode: 'ocean',
          type: 'ET86',
          entry: 'ABC12345678',
          broker: 'ABC',
        }),
      ]);
      const crossing = await apply(store, [ev({ bill: 'TRKE/T1', cents: 30000, standard: 'edifact' })]);
      expect(codes(crossing.decisions)).toEqual([
        '176/12345675 air-camir-fsn 2M earlier',
        'OCEA/BL1 carrier-x12-350 2M earlier',
        'OCEA/BL1 broker-abi-so 30 earlier',
        'TRKE/T1 truck-cusres SN517 crossing',
      ]);
      const later = await apply(store, [
        ev({ bill: '176/99999990', cents: 100, mode: 'air', express: true, carrier: 'FDX' }),
      ]);
      expect(codes(later.decisions)).toEqual([
        '176/99999990 air-camir-fer 098 crossing',
        '176/99999990 air-camir-fsn 2M crossing',
      ]);
      const et86 = await apply(store, [
        ev({ bill: 'OCEA/BL2', cents: 100, mode: 'rail', type: 'ET86', entry: 'XYZ00000001' }),
      ]);
      expect(codes(et86.decisions)).toEqual([
        'OCEA/BL2 carrier-x12-350 2M crossing',
        'OCEA/BL2 broker-abi-sx 284 crossing',
      ]);
      expect(et86.decisions[1]?.recipient).toBe('XYZ');
      await store.close();
    });

    it('release3 withholds the crossing and later shipments, counts on actual arrival', async () => {
      const store = await open();
      const day = '2025-08-20';
      await apply(store, [
        ev({ bill: 'A', cents: 50000, day }),
        ev({ bill: 'B', cents: 20000, day, mode: 'ocean' }),
      ]);
      // The arrival of B moves it to the 21st (release3 counts on the actual arrival, US Eastern).
      await apply(store, [ev({ bill: 'B', kind: 'status', arrival: '2025-08-21' })]);
      const pds = Object.fromEntries((await store.personDays()).map((p) => [p.day, p.totalCents]));
      expect(pds).toEqual({ '2025-08-20': 50000, '2025-08-21': 20000 });
      const cross = await apply(store, [ev({ bill: 'C', cents: 40000, day })]);
      expect(cross.decisions.map((d) => [d.bill, d.code, d.role, d.withhold])).toEqual([
        ['ABCD/A', '95', 'earlier', false],
        ['ABCD/C', '4M', 'crossing', true],
      ]);
      expect(cross.decisions.every((d) => d.profile === 'release3')).toBe(true);
      await store.close();
    });

    it('suspension and CN/HK origin make shipments ineligible, reported once and not counted', async () => {
      const store = await open();
      const out = await apply(store, [
        ev({ bill: 'S', cents: 100, day: '2025-09-02' }),
        ev({ bill: 'C', cents: 100, day: '2025-06-02', origin: 'CN' }),
        ev({ bill: 'H', cents: 100, day: '2025-03-02', origin: 'HK' }),
        ev({ bill: 'W', cents: 100, day: '2025-06-02', hts: ['2208.30.3000'] }),
      ]);
      expect(out.decisions.map((d) => [d.bill, d.code])).toEqual([
        ['ABCD/S', 'INELIGIBLE-SUSPENDED'],
        ['ABCD/C', 'INELIGIBLE-ORIGIN'],
        ['ABCD/W', 'INELIGIBLE-COMMODITY'],
      ]);
      // HK origin before 2025-05-02 is still eligible and counted.
      expect((await store.personDays()).map((p) => [p.day, p.totalCents])).toEqual([['2025-03-02', 100]]);
      await store.close();
    });

    it('an override profile replays release2 behaviour on any day', async () => {
      const store = await open();
      const forced = aggregationConfig({ rulesOverride: 'release2' });
      const out = await applyBatch(store, [ic([ev({ bill: 'A', cents: 90000, day: '2026-01-05' })])], forced);
      expect(codes(out.decisions)).toEqual(['ABCD/A truck-x12-350 95 crossing']);
      await store.close();
    });

    it('status before declaration is kept and used when the declaration arrives', async () => {
      const store = await open();
      const status = await apply(store, [ev({ bill: 'Z', kind: 'status', arrival: '2025-08-25' })]);
      expect(status.audit.map((a) => a.kind)).toEqual(['status-before-declaration']);
      await apply(store, [ev({ bill: 'Z', cents: 100, day: '2025-08-24' })]);
      expect((await store.personDays()).map((p) => p.day)).toEqual(['2025-08-25']);
      await store.close();
    });

    it('control numbers are unique per partner and wrap at the maximum', async () => {
      const store = await open();
      expect(await store.reserveControlNumbers('P1', 'isa', 2, 999999999)).toBe(1);
      expect(await store.reserveControlNumbers('P1', 'isa', 1, 999999999)).toBe(3);
      expect(await store.reserveControlNumbers('P2', 'isa', 1, 999999999)).toBe(1);
      expect(await store.reserveControlNumbers('P1', 'isa', 2, 4)).toBe(1);
      await store.close();
    });

    it('a peek gives the number the next reservation gives, wrap included, and reserves nothing', async () => {
      const store = await open();
      expect(await store.peekControlNumbers('P1', 'isa', 2, 999999999)).toBe(1);
      expect(await store.peekControlNumbers('P1', 'isa', 2, 999999999)).toBe(1);
      expect(await store.reserveControlNumbers('P1', 'isa', 2, 999999999)).toBe(1);
      expect(await store.peekControlNumbers('P1', 'isa', 1, 999999999)).toBe(3);
      expect(await store.peekControlNumbers('P2', 'isa', 1, 999999999)).toBe(1);
      expect(await store.peekControlNumbers('P1', 'isa', 2, 4)).toBe(3);
      expect(await store.peekControlNumbers('P1', 'isa', 3, 4)).toBe(1); // 3..5 passes 4: wraps
      expect(await store.reserveControlNumbers('P1', 'isa', 3, 4)).toBe(1);
      expect(await store.peekControlNumbers('P1', 'isa', 1, 999999999)).toBe(4);
      await expect(store.peekControlNumbers('P1', 'isa', 5, 4)).rejects.toMatchObject({
        code: 'PIPELINE_CONTROL_NUMBER_RANGE',
      });
      await store.close();
    });

    // What the stores used to differ on (issue #14): each backend now gives the same answer.

    const crossed = async (store: DecisionStore): Promise<Decision[]> => {
      await apply(
        store,
        [1, 2, 3, 4, 5].map((i) => ev({ bill: `O${i}`, cents: 20000 })),
      );
      const pending = await store.pendingDecisions();
      expect(pending).toHaveLength(5);
      return pending;
    };
    const file = (name: string, decisionIds: string[], content = `content of ${name}`): OutboundRecord => ({
      name,
      recipient: 'ABCD',
      channel: 'truck-x12-350',
      content,
      twin: '{}',
      decisionIds,
    });

    it('recording an outbound file name twice is refused (PIPELINE_OUTBOUND_NAME_TAKEN); the first record stands', async () => {
      const store = await open();
      const [d0, d1] = (await crossed(store)) as [Decision, Decision];
      await store.recordOutbound([file('N1.x12', [d0.decisionId])]);
      await expect(
        store.recordOutbound([file('N1.x12', [d1.decisionId], 'other content')]),
      ).rejects.toMatchObject({ code: 'PIPELINE_OUTBOUND_NAME_TAKEN' });
      expect((await store.unwrittenOutbound()).map((f) => [f.name, f.content])).toEqual([
        ['N1.x12', 'content of N1.x12'],
      ]);
      expect((await store.pendingDecisions()).map((d) => d.decisionId)).toContain(d1.decisionId);
      await store.close();
    });

    it('one call naming a file twice is refused whole (PIPELINE_OUTBOUND_NAME_TAKEN)', async () => {
      const store = await open();
      const [d0, d1] = (await crossed(store)) as [Decision, Decision];
      await expect(
        store.recordOutbound([file('N2.x12', [d0.decisionId]), file('N2.x12', [d1.decisionId])]),
      ).rejects.toMatchObject({ code: 'PIPELINE_OUTBOUND_NAME_TAKEN' });
      expect(await store.unwrittenOutbound()).toEqual([]);
      expect(await store.pendingDecisions()).toHaveLength(5);
      await store.close();
    });

    it('a decision already in a file is refused (PIPELINE_DECISION_ALREADY_EMITTED); nothing of the call is recorded', async () => {
      const store = await open();
      const [d0, d1] = (await crossed(store)) as [Decision, Decision];
      await store.recordOutbound([file('N3.x12', [d0.decisionId])]);
      await expect(
        store.recordOutbound([file('N4.x12', [d1.decisionId]), file('N5.x12', [d0.decisionId])]),
      ).rejects.toMatchObject({ code: 'PIPELINE_DECISION_ALREADY_EMITTED' });
      expect((await store.unwrittenOutbound()).map((f) => f.name)).toEqual(['N3.x12']);
      expect((await store.pendingDecisions()).map((d) => d.decisionId)).toContain(d1.decisionId);
      await store.close();
    });

    it('unwritten files are listed by name; written ones drop out', async () => {
      const store = await open();
      const [d0, d1, d2] = (await crossed(store)) as [Decision, Decision, Decision];
      await store.recordOutbound([file('b.x12', [d0.decisionId])]);
      await store.recordOutbound([file('c.x12', [d1.decisionId]), file('a.x12', [d2.decisionId])]);
      expect((await store.unwrittenOutbound()).map((f) => f.name)).toEqual(['a.x12', 'b.x12', 'c.x12']);
      await store.markWritten(['b.x12']);
      expect((await store.unwrittenOutbound()).map((f) => f.name)).toEqual(['a.x12', 'c.x12']);
      await store.close();
    });

    it('pendingDecisions pages in seq order from fromSeq, at most limit; emitted ones drop out', async () => {
      const store = await open();
      const all = await crossed(store);
      const seqs = all.map((d) => d.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const first = seqs[0] as number;
      expect((await store.pendingDecisions(first, 2)).map((d) => d.seq)).toEqual(seqs.slice(0, 2));
      expect((await store.pendingDecisions((seqs[1] as number) + 1, 2)).map((d) => d.seq)).toEqual(
        seqs.slice(2, 4),
      );
      expect(await store.pendingDecisions(first, 0)).toEqual([]);
      await store.recordOutbound([file('P.x12', [(all[1] as Decision).decisionId])]);
      expect((await store.pendingDecisions(first, 2)).map((d) => d.seq)).toEqual([seqs[0], seqs[2]]);
      expect((await store.pendingDecisions((seqs[4] as number) + 1)).length).toBe(0);
      await store.close();
    });

    it('a reservation of more control numbers than the field holds, or of none, is refused (PIPELINE_CONTROL_NUMBER_RANGE)', async () => {
      const store = await open();
      await expect(store.reserveControlNumbers('P1', 'isa', 5, 4)).rejects.toMatchObject({
        code: 'PIPELINE_CONTROL_NUMBER_RANGE',
      });
      await expect(store.reserveControlNumbers('P1', 'isa', 0, 4)).rejects.toMatchObject({
        code: 'PIPELINE_CONTROL_NUMBER_RANGE',
      });
      expect(await store.reserveControlNumbers('P1', 'isa', 4, 4)).toBe(1);
      expect(await store.reserveControlNumbers('P1', 'isa', 1, 4)).toBe(1);
      await store.close();
    });

    it('the same sender and control number with other content is applied; the same interchange twice in one batch is applied once', async () => {
      const store = await open();
      const a = ic([ev({ bill: 'D1', cents: 100 })], 'fp-a');
      const b = { ...a, fingerprint: 'fp-b', file: 'b.edi', events: [ev({ bill: 'D2', cents: 200 })] };
      const first = await applyBatch(store, [a, { ...a, file: 'a-again.edi' }], release2);
      expect(first.eventsApplied).toBe(1);
      expect(first.duplicates).toEqual([
        { sender: 'SENDER', controlNumber: a.controlNumber, file: 'a-again.edi', firstFile: a.file },
      ]);
      const second = await applyBatch(store, [b], release2);
      expect(second.eventsApplied).toBe(1);
      expect(second.duplicates).toEqual([]);
      const [pd] = await store.personDays('2025-06-10');
      expect(pd?.totalCents).toBe(300);
      await store.close();
    });

    it('a batch the core refuses is not applied at all, and the store takes the next batch', async () => {
      const store = await open();
      const broken: AggregationConfig = {
        ...release2,
        rules: {
          eraFor: () => {
            throw new Error('no era');
          },
        },
      };
      const refused = ic([ev({ bill: 'R1', cents: 100 })]);
      await expect(applyBatch(store, [refused], broken)).rejects.toThrow('no era');
      const again = await applyBatch(store, [refused], release2);
      expect(again.duplicates).toEqual([]);
      expect(again.eventsApplied).toBe(1);
      expect((await store.personDays()).map((p) => p.totalCents)).toEqual([100]);
      await store.close();
    });

    it('a discarded batch (the pre-check) decides what the committed batch then decides, and changes nothing', async () => {
      const store = await open();
      await apply(
        store,
        [1, 2, 3].map((i) => ev({ bill: `P${i}`, cents: 25000, consignee: 'PC' })),
      );
      const before = { days: await store.personDays(), pending: await store.pendingDecisions() };
      const batch = [
        ic([
          ev({ bill: 'P4', cents: 10000, consignee: 'PC' }),
          ev({ bill: 'Q1', cents: 100, consignee: 'QC' }),
        ]),
      ];
      const first = await computeDiscarded(store, batch, release2);
      const again = await computeDiscarded(store, batch, release2);
      expect(codes(first.outcome.decisions)).toEqual([
        'ABCD/P1 truck-x12-350 95 earlier',
        'ABCD/P2 truck-x12-350 95 earlier',
        'ABCD/P3 truck-x12-350 95 earlier',
        'ABCD/P4 truck-x12-350 95 crossing',
      ]);
      expect(again.outcome).toEqual(first.outcome);
      // Nothing was written: the same person-days and pending decisions, and the batch is not a duplicate.
      expect(await store.personDays()).toEqual(before.days);
      expect(await store.pendingDecisions()).toEqual(before.pending);
      const committed = await applyBatch(store, batch, release2);
      expect(committed.duplicates).toEqual([]);
      expect(committed.decisions).toEqual(first.outcome.decisions);
      expect((await store.personDays()).find((pd) => pd.consigneeKey === 'PC')?.totalCents).toBe(85000);
      // A pre-check after the commit reads the new state: the same interchange is now a duplicate.
      const after = await computeDiscarded(store, batch, release2);
      expect(after.outcome.duplicates.map((d) => d.file)).toEqual([batch[0]?.file]);
      expect(after.outcome.decisions).toEqual([]);
      await store.close();
    });

    it('person-days are listed by day, then consignee key in code-unit order', async () => {
      const store = await open();
      await apply(store, [
        ev({ bill: 'K1', cents: 100, consignee: 'NA:bob' }),
        ev({ bill: 'K2', cents: 100, consignee: 'NA:Carl' }),
        ev({ bill: 'K3', cents: 100, consignee: 'NA:Ann', day: '2025-06-09' }),
      ]);
      expect((await store.personDays()).map((p) => `${p.day} ${p.consigneeKey}`)).toEqual([
        '2025-06-09 NA:Ann',
        '2025-06-10 NA:Carl',
        '2025-06-10 NA:bob',
      ]);
      await store.close();
    });
  });
}
