/**
 * Property-based checks of the decision core (fast-check): totals do not depend on message order or
 * batch boundaries, totals always equal a model computed from the latest version of every bill, and
 * no bill is ever notified twice with the same (channel, code).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { ev } from './event-builder.js';

const config = aggregationConfig();
const consignees = ['P', 'Q', 'R'];
const days = ['2025-06-10', '2025-06-11'];

const shipment = fc.record({
  consignee: fc.constantFrom(...consignees),
  day: fc.constantFrom(...days),
  cents: fc.integer({ min: 0, max: 60000 }),
  mode: fc.constantFrom('truck', 'air', 'ocean', 'rail', 'mail') as fc.Arbitrary<ShipmentEvent['mode']>,
  express: fc.boolean(),
  type: fc.constantFrom('S321', 'S321', 'ET86') as fc.Arbitrary<ShipmentEvent['shipmentType']>,
});

async function run(events: ShipmentEvent[], batchSize: number) {
  const store = new MemoryDecisionStore();
  for (let i = 0; i < events.length; i += batchSize) {
    await applyBatch(
      store,
      [
        {
          sender: 'S',
          controlNumber: String(i),
          fingerprint: `fp${i}`,
          file: 'f',
          events: events.slice(i, i + batchSize),
        },
      ],
      config,
    );
  }
  const totals = Object.fromEntries(
    (await store.personDays()).map((p) => [`${p.consigneeKey}@${p.day}`, p.totalCents]),
  );
  return { totals: stripZeros(totals), decisions: store.allDecisions() };
}

function stripZeros(totals: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).filter(([, v]) => v !== 0));
}

describe('aggregation properties', () => {
  it('totals do not depend on message order or batch boundaries (one version per bill)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(shipment, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (ships, batchSize, seed) => {
          const events = ships.map((s, i) => ev({ bill: `B${i}`, ...s }));
          const shuffled =
            fc.sample(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), {
              seed,
              numRuns: 1,
            })[0] ?? events;
          const a = await run(events, events.length);
          const b = await run(shuffled, batchSize);
          expect(b.totals).toEqual(a.totals);
          // The set of notified bills does not depend on order either (who is "crossing" does).
          expect(new Set(b.decisions.map((d) => d.bill))).toEqual(new Set(a.decisions.map((d) => d.bill)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with amendments, deletions and redeliveries: totals follow the latest versions and no notification repeats', async () => {
    const step = fc.record({
      bill: fc.integer({ min: 0, max: 8 }),
      kind: fc.constantFrom('declared', 'amended', 'amended', 'deleted') as fc.Arbitrary<
        'declared' | 'amended' | 'deleted'
      >,
      ship: shipment,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        async (steps, batchSize) => {
          const events = steps.map((s) => ev({ bill: `B${s.bill}`, kind: s.kind, ...s.ship }));
          // Redeliver a third of the events verbatim (same version again).
          const withRepeats = events.flatMap((e, i) =>
            i % 3 === 0 ? [e, { ...e, eventId: `${e.eventId}r` }] : [e],
          );
          const { totals, decisions } = await run(withRepeats, batchSize);

          const latest = new Map<string, ShipmentEvent>();
          for (const e of events) {
            if (e.kind === 'deleted') {
              const had = latest.get(e.bill.key);
              if (had !== undefined) latest.set(e.bill.key, e);
            } else latest.set(e.bill.key, e);
          }
          const model: Record<string, number> = {};
          for (const e of latest.values()) {
            if (e.kind === 'deleted' || e.mode === 'mail') continue;
            const key = `${e.consigneeKey}@${e.eda}`;
            model[key] = (model[key] ?? 0) + (e.value?.usdCents ?? 0);
          }
          expect(totals).toEqual(stripZeros(model));

          const ids = decisions.map((d) => d.decisionId);
          expect(new Set(ids).size).toBe(ids.length);
          for (const d of decisions) expect(d.role === 'ineligible' || d.totalCents > 80000).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('batch boundaries', () => {
  it('do not change any decision (ids, order, roles, seq) — found by the queue-mode differential test', async () => {
    const step = fc.record({
      bill: fc.integer({ min: 0, max: 6 }),
      kind: fc.constantFrom('declared', 'amended', 'deleted') as fc.Arbitrary<
        'declared' | 'amended' | 'deleted'
      >,
      ship: shipment,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (steps, batchSize) => {
          const events = steps.map((s) => ev({ bill: `B${s.bill}`, kind: s.kind, ...s.ship }));
          const whole = await run(events, events.length);
          const split = await run(events, batchSize);
          expect(split.decisions).toEqual(whole.decisions);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the reported repro: $300, $300, amend A to $301, then C crosses — earlier bills in acceptance order', async () => {
    const events = [
      ev({ bill: 'A', cents: 30000 }),
      ev({ bill: 'B', cents: 30000 }),
      ev({ bill: 'A', cents: 30100, kind: 'amended' }),
      ev({ bill: 'C', cents: 30000 }),
    ];
    for (const size of [4, 3, 1]) {
      const { decisions } = await run(events, size);
      expect(decisions.map((d) => `${d.bill} ${d.role} ${d.seq}`)).toEqual([
        'ABCD/A earlier 0',
        'ABCD/B earlier 1',
        'ABCD/C crossing 2',
      ]);
    }
  });
});
