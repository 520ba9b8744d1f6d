/**
 * Issue #15: the partitioned store takes exactly embedded mode's decisions. Generated streams of
 * declarations, amendments that move bills between consignees (and so between partitions),
 * deletions, status messages (also before the manifest) and re-sent interchanges go through the
 * embedded store (SQLite, one batch per input, as `s321 replay`) and through the partitioned Redis
 * store with P = 1, 4, 16 partitions and 1, 2, 3 concurrent workers taking routing and part tasks
 * in a random order. Decisions (every field but `seq`, which is per partition), their order within
 * each partition, person-days (totals, counts, members in order), audit records and duplicates must
 * be identical. Real redis-server on 127.0.0.1; bounded: a fixed seed, a fixed number of runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { partitionOf } from '../../src/core/aggregate/partition-routing.js';
import type { Decision } from '../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents, PersonDayReport } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';
import { runPartitioned } from './support/partitioned-run.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
const dir = mkdtempSync(join(tmpdir(), 's321-partdiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const CONSIGNEES = ['P', 'Q', 'R'];

const step = fc.record({
  kind: fc.constantFrom(
    'declared',
    'declared',
    'declared',
    'amended',
    'amended',
    'deleted',
    'status',
  ) as fc.Arbitrary<ShipmentEvent['kind']>,
  bill: fc.integer({ min: 0, max: 8 }),
  consignee: fc.constantFrom(...CONSIGNEES),
  day: fc.constantFrom('2025-06-10', '2025-06-10', '2025-06-11', '2025-08-20'),
  cents: fc.integer({ min: 0, max: 90000 }),
  mode: fc.constantFrom('truck', 'truck', 'air', 'mail') as fc.Arbitrary<ShipmentEvent['mode']>,
  type: fc.constantFrom('S321', 'S321', 'ET86') as fc.Arbitrary<ShipmentEvent['shipmentType']>,
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function toEvent(s: Step): ShipmentEvent {
  if (s.kind === 'status') return ev({ bill: `B${s.bill}`, kind: 'status', arrival: s.day });
  if (s.kind === 'deleted') return ev({ bill: `B${s.bill}`, kind: 'deleted' });
  return ev({
    bill: `B${s.bill}`,
    kind: s.kind,
    consignee: s.consignee,
    day: s.day,
    cents: s.cents,
    mode: s.mode,
    type: s.type,
    ...(s.type === 'ET86' ? { entry: 'ABC12345678' } : {}),
  });
}

/** Inputs of 1-3 interchanges of 1-4 events; some interchanges sent again in a later input. */
function inputsOf(events: ShipmentEvent[], sizes: number[], repeats: number[]): InterchangeEvents[][] {
  const ics: InterchangeEvents[] = [];
  for (let at = 0, i = 0; at < events.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    ics.push({
      sender: 'S',
      controlNumber: String(i).padStart(9, '0'),
      fingerprint: `fp${i}`,
      file: `f${i}`,
      events: events.slice(at, at + size),
    });
    at += size;
  }
  const inputs: InterchangeEvents[][] = [];
  ics.forEach((ic, i) => {
    if (i % 2 === 0 || inputs.length === 0) inputs.push([ic]);
    else (inputs[inputs.length - 1] as InterchangeEvents[]).push(ic);
    if (repeats.includes(i)) inputs.push([{ ...ic, file: `again-${i}` }]);
  });
  return inputs;
}

const decisionFields = (d: Decision) => {
  const { seq: _seq, ...rest } = d;
  return rest;
};
const pdRow = (p: PersonDayReport) => [
  p.consigneeKey,
  p.day,
  p.totalCents,
  p.bills,
  p.everExceeded,
  p.billKeys.join(','),
];

describe('partitioned queue store = embedded mode', () => {
  it('a consignee move crosses partitions at P = 4 (the streams below exercise moves)', () => {
    const parts = new Set(CONSIGNEES.map((c) => partitionOf(c, 4)));
    expect(parts.size).toBeGreaterThan(1);
  });

  for (const partitions of [1, 4, 16]) {
    for (const workers of [1, 2, 3]) {
      it(`P = ${partitions}, ${workers} worker(s): same decisions, person-days, audit and duplicates`, async () => {
        const config = aggregationConfig();
        let departures = 0;
        let decisions = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(step, { minLength: 1, maxLength: 45 }),
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
            fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 3 }),
            fc.integer({ min: 1, max: 1 << 30 }),
            async (steps, sizes, repeats, seed) => {
              const inputs = inputsOf(steps.map(toEvent), sizes, repeats);
              n += 1;
              const embedded = new SqliteDecisionStore(join(dir, `embedded-${n}.db`));
              const refAudit: string[] = [];
              let refDuplicates = 0;
              for (const input of inputs) {
                const out = await applyBatch(embedded, input, config);
                refAudit.push(...out.audit.map((a) => JSON.stringify(a)));
                refDuplicates += out.duplicates.length;
              }
              const store = new PartitionedRedisStore({
                client: testRedis.client,
                namespace: `pdiff-${n}`,
                partitions,
              });
              const run = await runPartitioned(store, inputs, config, { workers, seed, maxPartItems: 3 });
              departures += run.departures;

              const reference = embedded.allDecisions();
              decisions += reference.length;
              const byPartition = await store.decisionsByPartition();
              const mine = byPartition.flat();
              expect(new Map(mine.map((d) => [d.decisionId, decisionFields(d)]))).toEqual(
                new Map(reference.map((d) => [d.decisionId, decisionFields(d)])),
              );
              expect(mine.length).toBe(reference.length);
              const refOrder = reference.map((d) => d.decisionId);
              for (const list of byPartition) {
                const ids = list.map((d) => d.decisionId);
                expect(ids).toEqual(refOrder.filter((id) => ids.includes(id)));
              }
              expect((await store.personDays()).map(pdRow)).toEqual((await embedded.personDays()).map(pdRow));
              expect(run.audit.map((a) => JSON.stringify(a)).sort()).toEqual(refAudit.sort());
              expect(run.duplicates).toBe(refDuplicates);
              await embedded.close();
            },
          ),
          { numRuns: 20, seed: 15_000 + partitions * 10 + workers },
        );
        // The streams are not vacuous: they decide, and with partitions they move bills across.
        expect(decisions).toBeGreaterThan(10);
        if (partitions > 1) expect(departures).toBeGreaterThan(0);
      }, 120_000);
    }
  }
});
