/**
 * Retention in the Redis store against a real redis-server (docs/retention.md): a store filled over
 * several days is pruned page by page (small HSCAN pages here, so a prune takes many script calls);
 * counts land in the meta counters `s321 queue status` shows; a late amendment for a pruned day is
 * rejected with PIPELINE_DAY_PRUNED and not counted; the days kept decide as in a store never pruned.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import {
  pruneRedisPartitions,
  pruneRedisStore,
  queueRetentionTargets,
  redisPartitionsRetentionTotals,
  redisRetentionTotals,
  retentionKeysOf,
} from '../../src/adapters/store/redis/retention.js';
import { routerKeys } from '../../src/adapters/store/redis/store-keys.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { startRetentionPruner } from '../../src/app/queue/retention-pruner.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
const config = aggregationConfig();
let n = 0;
let icn = 0;
function ic(events: ShipmentEvent[]): InterchangeEvents {
  icn += 1;
  return {
    sender: 'SENDER',
    controlNumber: String(icn),
    fingerprint: `fp${icn}`,
    file: `f${icn}.edi`,
    events,
  };
}

/** The same history for every store: days 06-01/06-02 exceeded and emitted, 06-10 and 06-12 kept. */
const history = (() => {
  const old = ic([
    ev({ bill: 'A1', cents: 50000, consignee: 'X', day: '2025-06-01' }),
    ev({ bill: 'A2', cents: 40000, consignee: 'X', day: '2025-06-01' }),
    ev({ bill: 'B1', cents: 90000, consignee: 'Z', day: '2025-06-02' }),
    ev({ bill: 'S1', kind: 'status', arrival: '2025-06-03' }),
  ]);
  const kept = ic([
    ev({ bill: 'C1', cents: 50000, consignee: 'Y', day: '2025-06-10' }),
    ev({ bill: 'D1', cents: 10000, consignee: 'W', day: '2025-06-12' }),
  ]);
  return { old, kept };
})();

async function filledStore(): Promise<RedisDecisionStore> {
  n += 1;
  const store = new RedisDecisionStore({ client: testRedis.client, namespace: `retain-${n}` });
  await applyBatch(store, [history.old], config);
  const old = await store.pendingDecisions();
  await store.recordOutbound([
    {
      name: 'old.350',
      recipient: 'ABCD',
      channel: 'truck-x12-350',
      content: 'x',
      twin: '',
      decisionIds: old.map((d) => d.decisionId),
    },
    { name: 'old.999', recipient: 'SENDER', channel: 'ack', content: 'ack', twin: '', decisionIds: [] },
  ]);
  await store.markWritten(['old.350', 'old.999']);
  await applyBatch(store, [history.kept], config);
  return store;
}

const policy = { days: 5, today: '2025-06-30' };

describe('Redis store retention', () => {
  it('prunes page by page, counts it, and a second prune without a newer day does nothing', async () => {
    const store = await filledStore();
    const keys = retentionKeysOf(store.keys);
    const billsBefore = await testRedis.client.hlen(store.keys.bills);
    expect(billsBefore).toBe(6);
    const counts = await pruneRedisStore(testRedis.client, keys, policy, { scanCount: 2 });
    expect(counts).toEqual({
      watermark: '2025-06-07',
      previous: undefined,
      personDays: 2,
      bills: 4, // A1, A2, B1 and the status stub S1 (arrival 06-03)
      decisions: 3,
      outboundFiles: 1,
      ackFiles: 0, // first seen by this prune: stamped with 06-12, ages from there
    });
    expect(await testRedis.client.hlen(store.keys.bills)).toBe(2);
    // Members are part of the person-day value (key layout 3): no key per person-day to leave behind.
    expect(Object.keys(await testRedis.client.hgetall(store.keys.personDays)).sort()).toEqual(
      (await store.personDays()).map((p) => `${p.day}:${p.consigneeKey}`).sort(),
    );
    expect(await testRedis.client.keys(`${store.keys.prefix}pdm:*`)).toEqual([]);
    expect((await store.personDays()).map((p) => p.day)).toEqual(['2025-06-10', '2025-06-12']);
    expect(await store.allDecisions()).toEqual([]);
    expect(await pruneRedisStore(testRedis.client, keys, policy)).toBeUndefined();
    expect(await redisRetentionTotals(testRedis.client, keys)).toEqual({
      watermark: '2025-06-07',
      prunes: 1,
      personDays: 2,
      bills: 4,
      decisions: 3,
      outboundFiles: 1,
      ackFiles: 0,
    });
    // A later day: the watermark follows, and the acknowledgment stamped 06-12 goes with 06-12.
    await applyBatch(
      store,
      [ic([ev({ bill: 'E1', cents: 100, consignee: 'V', day: '2025-06-20' })])],
      config,
    );
    const later = await pruneRedisStore(testRedis.client, keys, policy, { scanCount: 2 });
    expect(later).toMatchObject({
      watermark: '2025-06-15',
      previous: '2025-06-07',
      personDays: 2,
      bills: 2,
      ackFiles: 1,
    });
    expect(await store.unwrittenOutbound()).toEqual([]);
    await store.close();
  });

  it('rejects a late amendment for a pruned day, counting nothing; the prune moved the store version', async () => {
    const store = await filledStore();
    const version = Number(await testRedis.client.hget(store.keys.meta, 'version'));
    await pruneRedisStore(testRedis.client, retentionKeysOf(store.keys), policy);
    // A batch that loaded state before the prune commits against the old version: stale, recomputed.
    expect(Number(await testRedis.client.hget(store.keys.meta, 'version'))).toBeGreaterThan(version);
    const late = ev({ bill: 'A1', kind: 'amended', cents: 90000, consignee: 'X', day: '2025-06-01' });
    const out = await applyBatch(store, [ic([late])], config);
    expect(out.eventsApplied).toBe(0);
    expect(out.pruned).toEqual([
      expect.objectContaining({
        code: 'PIPELINE_DAY_PRUNED',
        file: 'test.edi',
        segmentIndex: late.source.segmentIndex,
      }),
    ]);
    expect((await store.personDays()).map((p) => p.day)).toEqual(['2025-06-10', '2025-06-12']);
    expect(await testRedis.client.hexists(store.keys.bills, 'ABCD/A1')).toBe(0);
    await store.close();
  });

  it('after a prune, the days kept decide exactly as in a store never pruned', async () => {
    const pruned = await filledStore();
    const never = await filledStore();
    await pruneRedisStore(testRedis.client, retentionKeysOf(pruned.keys), policy, { scanCount: 3 });
    const next = [
      ic([
        ev({ bill: 'C2', cents: 40000, consignee: 'Y', day: '2025-06-10' }),
        ev({ bill: 'D1', kind: 'amended', cents: 95000, consignee: 'W', day: '2025-06-12' }),
        ev({ bill: 'F1', cents: 100, consignee: 'Y', day: '2025-06-10' }),
      ]),
    ];
    const a = await applyBatch(pruned, next, config);
    const b = await applyBatch(never, next, config);
    expect(a.decisions.length).toBeGreaterThan(0);
    expect(a.decisions).toEqual(b.decisions);
    const kept = async (s: RedisDecisionStore) => (await s.personDays()).filter((p) => p.day >= '2025-06-07');
    expect(await kept(pruned)).toEqual(await kept(never));
    await pruned.close();
    await never.close();
  });

  it('s321 queue prune prunes, and s321 queue status shows the watermark and the pruned counts', async () => {
    const store = await filledStore();
    const ns = store.keys.prefix.slice('s321:{'.length, -'}:'.length);
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['dist/src/cli/main.js', 'queue', ...args, '--redis-url', testRedis.server.url, '--namespace', ns],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, S321_CONFIG: '' },
        },
      );
    const prune = cli('prune', '--retention-days', '5', '--today', '2025-06-30', '--json');
    expect(prune.status).toBe(0);
    expect(JSON.parse(prune.stdout)).toMatchObject({
      pruned: { watermark: '2025-06-07', personDays: 2, bills: 4, decisions: 3, outboundFiles: 1 },
    });
    const status = cli('status', '--json');
    expect(status.status).toBe(0);
    expect((JSON.parse(status.stdout) as { retention: unknown; bills: number }).retention).toEqual({
      watermark: '2025-06-07',
      prunes: 1,
      personDays: 2,
      bills: 4,
      decisions: 3,
      outboundFiles: 1,
      ackFiles: 0,
    });
    const text = cli('status');
    expect(text.stdout).toContain('retention: watermark 2025-06-07, 1 prune(s): 2 person-day(s), 4 bill(s)');
    await store.close();
  });

  it("serve's pruner prunes at start and logs the counts", async () => {
    const store = await filledStore();
    const logged: Array<{ obj: object; msg?: string }> = [];
    const log = (obj: object, msg?: string) => logged.push({ obj, ...(msg !== undefined ? { msg } : {}) });
    const pruner = startRetentionPruner({
      client: testRedis.client,
      targets: async () => ({ stores: [retentionKeysOf(store.keys)], owners: undefined }),
      days: 5,
      everyMs: 60_000,
      clock: fixedClock('2025-06-30T12:00'),
      logger: { debug: log, info: log, warn: log, error: log },
    });
    await pruner.close(); // waits for the prune in flight
    expect(logged).toEqual([
      {
        obj: expect.objectContaining({ watermark: '2025-06-07', personDays: 2, bills: 4 }),
        msg: 'retention: pruned',
      },
    ]);
    await store.close();
  });

  it('partitions share one watermark, from the latest day any of them holds, and pruned bills leave the owner index', async () => {
    n += 1;
    const a = new RedisDecisionStore({ client: testRedis.client, namespace: `retain-pa-${n}` });
    const b = new RedisDecisionStore({ client: testRedis.client, namespace: `retain-pb-${n}` });
    const owners = `s321:{retain-route-${n}}:owners`;
    // Partition a ends on 06-10, partition b on 06-12: the window counts back from 06-12 for both.
    await applyBatch(a, [ic([ev({ bill: 'PA1', cents: 100, consignee: 'X', day: '2025-06-05' })])], config);
    await applyBatch(a, [ic([ev({ bill: 'PA2', cents: 100, consignee: 'Y', day: '2025-06-10' })])], config);
    await applyBatch(b, [ic([ev({ bill: 'PB1', cents: 100, consignee: 'Z', day: '2025-06-06' })])], config);
    await applyBatch(b, [ic([ev({ bill: 'PB2', cents: 100, consignee: 'W', day: '2025-06-12' })])], config);
    await testRedis.client.hset(owners, 'ABCD/PA1', '0', 'ABCD/PA2', '0', 'ABCD/PB1', '1', 'ABCD/PB2', '1');
    const parts = [retentionKeysOf(a.keys), retentionKeysOf(b.keys)];
    const counts = await pruneRedisPartitions(testRedis.client, parts, owners, policy, { scanCount: 1 });
    expect(counts).toMatchObject({ watermark: '2025-06-07', personDays: 2, bills: 2 });
    expect((await testRedis.client.hkeys(owners)).sort()).toEqual(['ABCD/PA2', 'ABCD/PB2']);
    expect(await testRedis.client.hget(a.keys.meta, 'rwm')).toBe('2025-06-07');
    expect(await testRedis.client.hget(b.keys.meta, 'rwm')).toBe('2025-06-07');
    // Partition a rejects a day before the shared watermark although its own latest day is 06-10.
    const late = await applyBatch(
      a,
      [ic([ev({ bill: 'PA3', cents: 100, consignee: 'X', day: '2025-06-06' })])],
      config,
    );
    expect(late.pruned?.map((i) => i.code)).toEqual(['PIPELINE_DAY_PRUNED']);
    expect(await pruneRedisPartitions(testRedis.client, parts, owners, policy)).toBeUndefined();
    expect(await redisPartitionsRetentionTotals(testRedis.client, parts)).toMatchObject({
      watermark: '2025-06-07',
      prunes: 1,
      personDays: 2,
      bills: 2,
    });
    await a.close();
    await b.close();
  });

  it('on the partitioned layout: the partition count the router recorded, each partition and the owner index pruned', async () => {
    n += 1;
    const ns = `retain-parted-${n}`;
    const parts = [0, 1].map(
      (partition) => new RedisDecisionStore({ client: testRedis.client, namespace: ns, partition }),
    );
    const router = routerKeys(ns);
    await testRedis.client.hset(router.meta, 'partitions', '2');
    await applyBatch(
      parts[0] as RedisDecisionStore,
      [ic([ev({ bill: 'Q1', cents: 100, consignee: 'X', day: '2025-06-01' })])],
      config,
    );
    await applyBatch(
      parts[1] as RedisDecisionStore,
      [ic([ev({ bill: 'Q2', cents: 100, consignee: 'Y', day: '2025-06-12' })])],
      config,
    );
    await testRedis.client.hset(router.owners, 'ABCD/Q1', '0', 'ABCD/Q2', '1');
    const targets = await queueRetentionTargets(testRedis.client, ns, undefined);
    expect(targets.stores.map((k) => k.meta)).toEqual([
      `s321:{${ns}}:meta`,
      `s321:{${ns}#p0}:meta`,
      `s321:{${ns}#p1}:meta`,
    ]);
    expect(targets.owners).toBe(router.owners);
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['dist/src/cli/main.js', 'queue', ...args, '--redis-url', testRedis.server.url, '--namespace', ns],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, S321_CONFIG: '' } },
      );
    const prune = cli('prune', '--retention-days', '5', '--today', '2025-06-30', '--json');
    expect(prune.status).toBe(0);
    expect(JSON.parse(prune.stdout)).toMatchObject({
      pruned: { watermark: '2025-06-07', personDays: 1, bills: 1 },
    });
    expect(await testRedis.client.hkeys(router.owners)).toEqual(['ABCD/Q2']);
    const status = JSON.parse(cli('status', '--json').stdout) as {
      retention: { watermark: string; bills: number };
    };
    expect(status.retention).toMatchObject({ watermark: '2025-06-07', bills: 1, personDays: 1 });
    for (const p of parts) await p.close();
  });
});
