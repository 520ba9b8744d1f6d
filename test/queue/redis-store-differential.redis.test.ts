/**
 * The Redis store must reach exactly the decisions of the reference store, whatever the batch
 * boundaries: random streams of declarations, amendments, deletions, status messages (also before
 * the declaration) and redelivered interchanges go through MemoryDecisionStore in one batch per
 * interchange and through RedisDecisionStore with other boundaries; decisions (id, seq, code, role,
 * total), person-days and audit must be identical. This exercises the load-and-rerun view on
 * crossings inside a batch, moves between person-days and member sets loaded late.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { DecisionStore, InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

let n = 0;

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

const step = fc.record({
  kind: fc.constantFrom('declared', 'declared', 'declared', 'amended', 'deleted', 'status') as fc.Arbitrary<
    ShipmentEvent['kind']
  >,
  bill: fc.integer({ min: 0, max: 14 }),
  consignee: fc.constantFrom('P', 'Q'),
  day: fc.constantFrom('2025-06-10', '2025-06-11', '2025-08-20', '2025-08-21'),
  cents: fc.integer({ min: 0, max: 50000 }),
  mode: fc.constantFrom('truck', 'air', 'ocean', 'mail') as fc.Arbitrary<ShipmentEvent['mode']>,
  type: fc.constantFrom('S321', 'S321', 'ET86') as fc.Arbitrary<ShipmentEvent['shipmentType']>,
  express: fc.boolean(),
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
    express: s.express,
    ...(s.type === 'ET86' ? { entry: 'ABC12345678' } : {}),
  });
}

/** Interchanges of 1-4 events; some delivered twice (same sender, control number, content). */
function interchangesOf(events: ShipmentEvent[], sizes: number[], repeats: number[]): InterchangeEvents[] {
  const out: InterchangeEvents[] = [];
  let at = 0;
  let i = 0;
  while (at < events.length) {
    const size = sizes[i % sizes.length] ?? 1;
    const ic: InterchangeEvents = {
      sender: 'S',
      controlNumber: String(i).padStart(9, '0'),
      fingerprint: `fp${i}`,
      file: `f${i}`,
      events: events.slice(at, at + size),
    };
    out.push(ic);
    if (repeats.includes(i)) out.push({ ...ic, file: `again-${i}` });
    at += size;
    i += 1;
  }
  return out;
}

async function snapshot(store: DecisionStore & { allDecisions(): Decision[] | Promise<Decision[]> }) {
  const decisions = (await store.allDecisions()).map((d) => [
    d.decisionId,
    d.seq,
    d.code,
    d.role,
    d.totalCents,
    d.day,
    d.profile,
    d.causeEventId,
  ]);
  const personDays = (await store.personDays()).map((p) => [
    p.consigneeKey,
    p.day,
    p.totalCents,
    p.bills,
    p.everExceeded,
    p.billKeys.join(','),
  ]);
  return { decisions, personDays };
}
type Decision = import('../../src/core/model/decision.js').Decision;

describe('Redis store = reference store, any batch boundaries', () => {
  it('same decisions, totals, members and audit on random streams', async () => {
    const config = aggregationConfig();
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        async (steps, sizes, repeats, perBatch) => {
          const events = steps.map(toEvent);
          const ics = interchangesOf(events, sizes, repeats);
          const reference = new MemoryDecisionStore();
          const refAudit: string[] = [];
          for (const ic of ics)
            refAudit.push(...(await applyBatch(reference, [ic], config)).audit.map((a) => JSON.stringify(a)));
          n += 1;
          const redis = new RedisDecisionStore({ client: testRedis.client, namespace: `diff-${n}` });
          const redisAudit: string[] = [];
          let duplicates = 0;
          for (let i = 0; i < ics.length; i += perBatch) {
            const out = await applyBatch(redis, ics.slice(i, i + perBatch), config);
            redisAudit.push(...out.audit.map((a) => JSON.stringify(a)));
            duplicates += out.duplicates.length;
          }
          expect(await snapshot(redis)).toEqual(await snapshot(reference));
          expect(redisAudit).toEqual(refAudit);
          expect(duplicates).toBe(ics.filter((ic) => ic.file.startsWith('again-')).length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
