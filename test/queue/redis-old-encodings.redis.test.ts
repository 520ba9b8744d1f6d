/**
 * A Redis store written by earlier versions keeps working (docs/queue-mode.md "Memory"): generated
 * traffic goes through two stores; after the first half, every person-day and decision of one of
 * them is rewritten as the JSON object earlier versions wrote and every bill as a version-1 array.
 * The second half must then reach exactly the decisions, person-days and members of the store that
 * was never rewritten, while records of both forms are read side by side.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { packBill } from '../../src/adapters/store/packed-bill.js';
import { decodeBillValue } from '../../src/adapters/store/redis/bill-value.js';
import { decodeDecisionValue } from '../../src/adapters/store/redis/decision-value.js';
import { decodePersonDayValue } from '../../src/adapters/store/redis/person-day-value.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
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
  it('reads JSON person-days and decisions and version-1 bills, and decides exactly as a store never rewritten', async () => {
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
    const pds = await rewrite(redis, old.keys.personDays, (f, v) =>
      JSON.stringify(decodePersonDayValue(f, v)),
    );
    const decs = await rewrite(redis, old.keys.decisions, (id, v) =>
      JSON.stringify(decodeDecisionValue(id, v)),
    );
    const bills = await rewrite(redis, old.keys.bills, (key, v) => versionOneBill(decodeBillValue(key, v)));
    expect(pds).toBeGreaterThan(100);
    expect(decs).toBeGreaterThan(10);
    expect(bills).toBeGreaterThan(100);

    let later = 0;
    for (const part of all.slice(half)) {
      later += (await applyBatch(fresh, part, config)).decisions.length;
      await applyBatch(old, part, config);
    }
    expect(later, 'the second half decides too (over records of the first)').toBeGreaterThan(0);
    // Both forms side by side: some records were rewritten compactly, some were left as written.
    const pdValues = Object.values(await redis.hgetall(old.keys.personDays));
    expect(pdValues.some((v) => v.startsWith('{'))).toBe(true);
    expect(pdValues.some((v) => !v.startsWith('{'))).toBe(true);

    expect(await old.allDecisions()).toStrictEqual(await fresh.allDecisions());
    expect(await old.personDays()).toStrictEqual(await fresh.personDays());
  }, 120_000);
});
