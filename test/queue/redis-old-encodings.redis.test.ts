/**
 * A Redis store written by earlier versions keeps working (docs/queue-mode.md "Memory"): generated
 * traffic goes through two stores; after the first half, every person-day and decision of one of
 * them is rewritten as the JSON object earlier versions wrote and every bill as a version-1 array,
 * and the store is put back into key layout 2 (a sorted set of members per person-day, no layout
 * recorded). Such a store is refused (STORE_OLD_LAYOUT, nothing written) until migrateStoreLayout
 * (`s321 queue migrate`) rewrote it; the second half must then reach exactly the decisions,
 * person-days and members of the store that was never rewritten, while bills and decisions of both
 * encodings are read side by side.
 */
import { spawnSync } from 'node:child_process';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { packBill } from '../../src/adapters/store/packed-bill.js';
import { decodeBillValue } from '../../src/adapters/store/redis/bill-value.js';
import { decodeDecisionValue } from '../../src/adapters/store/redis/decision-value.js';
import { migrateStoreLayout } from '../../src/adapters/store/redis/layout-migration.js';
import { decodeMembers, decodePersonDayValue } from '../../src/adapters/store/redis/person-day-value.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import type { StoreKeys } from '../../src/adapters/store/redis/store-keys.js';
import { StoreLayoutError } from '../../src/adapters/store/redis/store-record-error.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { ingestFile } from '../../src/app/ingest-file.js';
import { splitParts } from '../../src/app/queue/split-parts.js';
import type { BillRecord } from '../../src/core/aggregate/state.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { useRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

function versionOneBill(b: BillRecord): string {
  return JSON.stringify([
    b.consigneeKey ?? null,
    b.day ?? null,
    b.counted ? 1 : 0,
    b.acceptedSeq,
    ...packBill(b),
  ]);
}

/** Rewrites every value of `hash` with `old(field, value)`; returns how many were rewritten. */
async function rewrite(
  redis: Redis,
  hash: string,
  old: (field: string, value: string) => string,
): Promise<number> {
  const all = await redis.hgetall(hash);
  const flat = Object.entries(all).flatMap(([f, v]) => [f, old(f, v)]);
  if (flat.length > 0) await redis.hset(hash, ...flat);
  return flat.length / 2;
}

/**
 * Puts a store back into key layout 2: each person-day's members in the sorted set
 * `pdm:<field>` (score acceptedSeq), the person-day value without them, no layout recorded.
 * Returns how many member sets it wrote.
 */
async function toLayoutTwo(redis: Redis, keys: StoreKeys): Promise<number> {
  const all = await redis.hgetall(keys.personDays);
  let sets = 0;
  const multi = redis.multi();
  for (const [field, value] of Object.entries(all)) {
    const members = decodeMembers(field, value);
    multi.hset(keys.personDays, field, JSON.stringify(decodePersonDayValue(field, value)));
    if (members.keys.length === 0) continue;
    multi.zadd(
      `${keys.prefix}pdm:${field}`,
      ...members.keys.flatMap((k, i) => [members.seqs[i] as number, k]),
    );
    sets += 1;
  }
  multi.hdel(keys.meta, 'layout');
  await multi.exec();
  return sets;
}

async function parts(): Promise<InterchangeEvents[][]> {
  const traffic = writeTrafficFiles({ seed: 7, shipments: 3000, days: 2 });
  const normalizers = serviceNormalizers();
  const out: InterchangeEvents[][] = [];
  for (const input of traffic.files) {
    const interchanges: InterchangeEvents[] = [];
    await ingestFile(input.path, input.name, { strict: false, maxBytes: MAX_BYTES, normalizers }, (ic) => {
      if (ic.ok && ic.events.length > 0)
        interchanges.push({
          sender: ic.header.senderId.trim(),
          controlNumber: ic.header.controlNumber,
          fingerprint: ic.fingerprint,
          file: input.name,
          events: ic.events,
        });
    });
    out.push(...splitParts(interchanges, 500));
  }
  return out;
}

describe('Redis store written by earlier versions', () => {
  it('refuses layout 2 until migrated, then reads JSON decisions and version-1 bills and decides exactly as a store never rewritten', async () => {
    const config = aggregationConfig();
    const all = await parts();
    expect(all.length).toBeGreaterThan(3);
    const half = Math.floor(all.length / 2);
    const fresh = new RedisDecisionStore({ client: testRedis.client, namespace: 'fresh' });
    const old = new RedisDecisionStore({ client: testRedis.client, namespace: 'old' });
    for (const part of all.slice(0, half)) {
      await applyBatch(fresh, part, config);
      await applyBatch(old, part, config);
    }
    const redis = testRedis.client;
    const pds = await redis.hlen(old.keys.personDays);
    const sets = await toLayoutTwo(redis, old.keys);
    const decs = await rewrite(redis, old.keys.decisions, (id, v) =>
      JSON.stringify(decodeDecisionValue(id, v)),
    );
    const bills = await rewrite(redis, old.keys.bills, (key, v) => versionOneBill(decodeBillValue(key, v)));
    expect(pds).toBeGreaterThan(100);
    expect(decs).toBeGreaterThan(10);
    expect(bills).toBeGreaterThan(100);
    expect(sets).toBeGreaterThan(100);

    // Layout 2 is refused, and nothing is written.
    const versionBefore = await redis.hget(old.keys.meta, 'version');
    const refused = await applyBatch(old, all[half] as InterchangeEvents[], config).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreLayoutError);
    expect((refused as StoreLayoutError).code).toBe('STORE_OLD_LAYOUT');
    expect(await redis.hget(old.keys.meta, 'version')).toBe(versionBefore);
    expect(await redis.hget(old.keys.meta, 'layout')).toBeNull();

    // Migrated in pages of 50 (several HSCAN pages), then once more: nothing left to do.
    const migrated = await migrateStoreLayout(redis, old.keys, { scanCount: 50 });
    expect(migrated).toMatchObject({ from: '', memberSets: sets, orphanMemberSets: 0 });
    expect(migrated.personDays).toBeGreaterThanOrEqual(pds);
    expect(await redis.keys(`${old.keys.prefix}pdm:*`)).toEqual([]);
    expect(await migrateStoreLayout(redis, old.keys)).toMatchObject({ from: '3', personDays: 0 });

    let later = 0;
    for (const part of all.slice(half)) {
      later += (await applyBatch(fresh, part, config)).decisions.length;
      await applyBatch(old, part, config);
    }
    expect(later, 'the second half decides too (over records of the first)').toBeGreaterThan(0);
    // Both encodings side by side: some records were rewritten compactly, some left as written.
    const billValues = Object.values(await redis.hgetall(old.keys.bills));
    expect(billValues.some((v) => v.startsWith('3\t'))).toBe(true);
    expect(billValues.some((v) => !v.startsWith('3\t'))).toBe(true);
    const decValues = Object.values(await redis.hgetall(old.keys.decisions));
    expect(decValues.some((v) => v.startsWith('{'))).toBe(true);

    expect(await old.allDecisions()).toStrictEqual(await fresh.allDecisions());
    expect(await old.personDays()).toStrictEqual(await fresh.personDays());
  }, 120_000);

  it('s321 queue migrate rewrites a layout-2 store so workers read it again', async () => {
    const config = aggregationConfig();
    const all = await parts();
    const store = new RedisDecisionStore({ client: testRedis.client, namespace: 'cli-migrate' });
    for (const part of all.slice(0, 2)) await applyBatch(store, part, config);
    const personDays = await store.personDays();
    expect(personDays.some((pd) => pd.billKeys.length > 1)).toBe(true);
    const sets = await toLayoutTwo(testRedis.client, store.keys);
    await expect(store.personDays()).resolves.not.toEqual(personDays); // the members left the values
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          'dist/src/cli/main.js',
          'queue',
          ...args,
          '--redis-url',
          testRedis.server.url,
          '--namespace',
          'cli-migrate',
        ],
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, S321_CONFIG: '' } },
      );
    const run = cli('migrate', '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject([{ prefix: store.keys.prefix, from: '', memberSets: sets }]);
    expect(await store.personDays()).toEqual(personDays);
    expect(cli('migrate').stdout).toContain(`${store.keys.prefix} already in layout 3`);
    await applyBatch(store, all[2] as InterchangeEvents[], config);
    await store.close();
  }, 120_000);
});
