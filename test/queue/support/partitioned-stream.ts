/**
 * The generated streams of the partitioned-store differential tests (single Redis and cluster):
 * declarations, amendments moving bills between consignees (so between partitions), deletions,
 * status messages (also before the manifest) and re-sent interchanges, cut into inputs; and one
 * property run comparing the embedded store (SQLite, one batch per input) with a partitioned store.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { PartitionedRedisStore } from '../../../src/adapters/store/redis/partitioned-store.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import type { AggregationConfig } from '../../../src/core/aggregate/aggregator.js';
import type { Decision } from '../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';
import type { InterchangeEvents, PersonDayReport } from '../../../src/ports/decision-store.js';
import { ev } from '../../aggregate/event-builder.js';
import { runPartitioned } from './partitioned-run.js';

export const CONSIGNEES = ['P', 'Q', 'R'];

export const step = fc.record({
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
export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

export function toEvent(s: Step): ShipmentEvent {
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
export function inputsOf(events: ShipmentEvent[], sizes: number[], repeats: number[]): InterchangeEvents[][] {
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

/**
 * One generated case through both stores; returns how many decisions and departures it had, and
 * how many parts were applied in the batch of a part before them.
 */
export async function compareOnce(
  makeStore: () => PartitionedRedisStore,
  dbPath: string,
  config: AggregationConfig,
  c: { steps: Step[]; sizes: number[]; repeats: number[]; seed: number; workers: number },
): Promise<{ decisions: number; departures: number; batchedParts: number }> {
  const inputs = inputsOf(c.steps.map(toEvent), c.sizes, c.repeats);
  const embedded = new SqliteDecisionStore(dbPath);
  const refAudit: string[] = [];
  let refDuplicates = 0;
  for (const input of inputs) {
    const out = await applyBatch(embedded, input, config);
    refAudit.push(...out.audit.map((a) => JSON.stringify(a)));
    refDuplicates += out.duplicates.length;
  }
  const store = makeStore();
  const run = await runPartitioned(store, inputs, config, {
    workers: c.workers,
    seed: c.seed,
    maxPartItems: 3,
  });
  const reference = embedded.allDecisions();
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
  return { decisions: reference.length, departures: run.departures, batchedParts: run.batchedParts };
}
