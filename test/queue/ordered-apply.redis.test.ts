/**
 * The ordered gate of the Redis store: parts commit in arrival order only, a part applied before
 * returns its stored outcome (never applied twice), empty parts close rejected inputs, and an
 * operator skip moves the gate past a lost sequence.
 */
import { describe, expect, it } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { applyInOrder } from '../../src/app/queue/apply-in-order.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

let n = 0;
const config = aggregationConfig();

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

function fresh(): RedisDecisionStore {
  n += 1;
  return new RedisDecisionStore({ client: testRedis.client, namespace: `ordered-${n}` });
}

let icn = 0;
function ic(events: ShipmentEvent[]): InterchangeEvents {
  icn += 1;
  return { sender: 'S', controlNumber: String(icn), fingerprint: `fp${icn}`, file: `f${icn}`, events };
}

describe('ordered apply', () => {
  it('a part waits for its predecessor; applied out of arrival order it is refused, in order it commits', async () => {
    const store = fresh();
    const second = await applyInOrder(
      store,
      { seq: 2, part: 0, last: true },
      [ic([ev({ bill: 'B', cents: 50000 })])],
      config,
    );
    expect(second.status).toBe('not-ready');
    const first = await applyInOrder(
      store,
      { seq: 1, part: 0, last: true },
      [ic([ev({ bill: 'A', cents: 50000 })])],
      config,
    );
    expect(first.status).toBe('applied');
    const again = await applyInOrder(
      store,
      { seq: 2, part: 0, last: true },
      [ic([ev({ bill: 'B', cents: 50000 })])],
      config,
    );
    expect(again.status).toBe('applied');
    if (again.status !== 'applied') return;
    // B crossed the day: A (earlier) and B (crossing) are notified, in arrival order.
    expect(again.outcome.decisions.map((d) => `${d.bill} ${d.role} ${d.seq}`)).toEqual([
      'ABCD/A earlier 0',
      'ABCD/B crossing 1',
    ]);
    expect(await store.gate()).toEqual({ seq: 2, part: 0, done: true });
    await store.close();
  });

  it('a waiting part is woken when its predecessor commits (no polling delay to speak of)', async () => {
    const store = fresh();
    const waiter = applyInOrder(
      store,
      { seq: 2, part: 0, last: true },
      [ic([ev({ bill: 'W2', cents: 1 })])],
      config,
      { waitMs: 5_000 },
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await applyInOrder(store, { seq: 1, part: 0, last: true }, [ic([ev({ bill: 'W1', cents: 1 })])], config);
    const result = await waiter;
    expect(result.status).toBe('applied');
    expect(Date.now() - started).toBeLessThan(1_000);
    await store.close();
  });

  it('a redelivered part returns the stored outcome and applies nothing', async () => {
    const store = fresh();
    const batch = [ic([ev({ bill: 'A', cents: 90000 })])];
    const first = await applyInOrder(store, { seq: 1, part: 0, last: true }, batch, config);
    const redelivered = await applyInOrder(store, { seq: 1, part: 0, last: true }, batch, config);
    expect(redelivered.status).toBe('already-applied');
    if (first.status !== 'applied' || redelivered.status !== 'already-applied') return;
    expect(redelivered.outcome?.decisions).toEqual(first.outcome.decisions);
    expect(redelivered.outcome?.audit).toEqual(first.outcome.audit);
    expect((await store.allDecisions()).length).toBe(1);
    expect((await store.personDays())[0]?.totalCents).toBe(90000);
    await store.close();
  });

  it('two holders of the same part racing commit it once', async () => {
    const store = fresh();
    const other = new RedisDecisionStore({ client: testRedis.client, namespace: `ordered-${n}` });
    const batch = [ic([ev({ bill: 'A', cents: 90000 }), ev({ bill: 'B', cents: 100 })])];
    const results = await Promise.all([
      applyInOrder(store, { seq: 1, part: 0, last: true }, batch, config),
      applyInOrder(other, { seq: 1, part: 0, last: true }, batch, config),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['already-applied', 'applied']);
    expect((await store.allDecisions()).map((d) => d.bill)).toEqual(['ABCD/A', 'ABCD/B']);
    await store.close();
  });

  it('parts of one input commit in order; the next input waits until the last part', async () => {
    const store = fresh();
    const p = (seq: number, part: number, last: boolean, bill: string) =>
      applyInOrder(store, { seq, part, last }, [ic([ev({ bill, cents: 30000 })])], config);
    expect((await p(1, 1, false, 'X1')).status).toBe('not-ready');
    expect((await p(1, 0, false, 'X0')).status).toBe('applied');
    expect((await p(2, 0, true, 'Y')).status).toBe('not-ready');
    expect((await p(1, 1, false, 'X1')).status).toBe('applied');
    expect((await p(1, 2, true, 'X2')).status).toBe('applied');
    expect((await p(2, 0, true, 'Y')).status).toBe('applied');
    expect((await store.personDays())[0]?.billKeys).toEqual(['ABCD/X0', 'ABCD/X1', 'ABCD/X2', 'ABCD/Y']);
    await store.close();
  });

  it('a rejected input commits an empty part with its reason, so the gate moves on', async () => {
    const store = fresh();
    const rejected = await applyInOrder(store, { seq: 1, part: 0, last: true }, [], config, {
      reason: 'rejected: not EDI',
    });
    expect(rejected.status).toBe('applied');
    expect((await store.partOutcome(1, 0))?.reason).toBe('rejected: not EDI');
    expect(
      (
        await applyInOrder(
          store,
          { seq: 2, part: 0, last: true },
          [ic([ev({ bill: 'A', cents: 1 })])],
          config,
        )
      ).status,
    ).toBe('applied');
    await store.close();
  });

  it('an operator skip closes a lost sequence (whole, or after its applied parts) and nothing else', async () => {
    const store = fresh();
    await expect(store.skipSequence(2, 'lost')).rejects.toThrow(/not the next one/);
    await store.skipSequence(1, 'payload lost with the disk');
    expect((await store.skipped()).map((s) => s.seq)).toEqual([1]);
    expect(
      (
        await applyInOrder(
          store,
          { seq: 2, part: 0, last: false },
          [ic([ev({ bill: 'A', cents: 1 })])],
          config,
        )
      ).status,
    ).toBe('applied');
    await store.skipSequence(2, 'part 1 never came');
    expect(await store.gate()).toEqual({ seq: 2, part: 1, done: true });
    const late = await applyInOrder(
      store,
      { seq: 2, part: 1, last: true },
      [ic([ev({ bill: 'B', cents: 1 })])],
      config,
    );
    expect(late.status).toBe('already-applied');
    expect((await store.personDays())[0]?.billKeys).toEqual(['ABCD/A']);
    expect((await applyInOrder(store, { seq: 3, part: 0, last: true }, [], config)).status).toBe('applied');
    await store.close();
  });

  it('a worker with another aggregation configuration is refused', async () => {
    const a = new RedisDecisionStore({
      client: testRedis.client,
      namespace: `cfg-${++n}`,
      configId: 'calendar-A',
    });
    const b = new RedisDecisionStore({
      client: testRedis.client,
      namespace: `cfg-${n}`,
      configId: 'calendar-B',
    });
    await applyBatch(a, [ic([ev({ bill: 'A', cents: 1 })])], config);
    await expect(applyBatch(b, [ic([ev({ bill: 'B', cents: 1 })])], config)).rejects.toThrow(
      /configuration calendar-A/,
    );
    await a.close();
  });
});
