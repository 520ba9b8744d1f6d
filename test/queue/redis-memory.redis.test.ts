/**
 * Redis memory per shipment (issue #15 "Memory", docs/queue-mode.md "Memory"): generated traffic
 * (bench/traffic, its default mix of amendments, deletions, duplicates and status messages) goes
 * through the Redis store in the queue's part sizes, and the growth of used_memory per manifest
 * shipment must stay within the budget measured for the compact encodings. A change that brings
 * back a JSON object per person-day or per decision, or a new per-shipment key, fails here.
 *
 * The store's own keys only: the queue's input jobs (BullMQ keeps a finished input 24 h) and the
 * per-part outcome records (expiring) are not part of it; docs/queue-mode.md counts them apart.
 */
import { describe, expect, it } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { ingestFile } from '../../src/app/ingest-file.js';
import { splitParts } from '../../src/app/queue/split-parts.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { useRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { MAX_BYTES, writeTrafficFiles } from './support/traffic-run.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

const SHIPMENTS = 8000;
/**
 * Bytes of used_memory per shipment the store may grow by: 534 measured with key layout 3 (members
 * inside the person-day value) and bill value version 3 (text) (redis-server 7.0.15, this traffic),
 * plus ~4% for another Redis build. Layout 2 with the version-2 bill measured 672 here (575 with
 * layout 3 alone), the encodings before those 927; the target for a whole 1M run is 400 and
 * is not met yet (docs/queue-mode.md "Memory" says what remains).
 */
const BUDGET = 555;

async function usedMemory(): Promise<number> {
  const m = /used_memory:(\d+)/.exec(await testRedis.client.info('memory'));
  if (!m) throw new Error('no used_memory in INFO memory');
  return Number(m[1]);
}

/** Bytes by kind of key (every person-day member set counted together), for the failure message. */
async function byKind(prefix: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await testRedis.client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) {
      const kind = k.slice(prefix.length).replace(/:.*/, '');
      out[kind] = (out[kind] ?? 0) + Number(await testRedis.client.memory('USAGE', k, 'SAMPLES', '0'));
    }
  } while (cursor !== '0');
  return out;
}

describe('Redis memory per shipment', () => {
  it(`stays within ${BUDGET} bytes of used_memory per shipment over ${SHIPMENTS} generated shipments`, async () => {
    const traffic = writeTrafficFiles({ seed: 15, shipments: SHIPMENTS });
    const store = new RedisDecisionStore({ client: testRedis.client, namespace: 'memory' });
    const config = aggregationConfig();
    const normalizers = serviceNormalizers();
    await testRedis.client.flushall();
    const before = await usedMemory();
    let decisions = 0;
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
      for (const part of splitParts(interchanges, 2000))
        decisions += (await applyBatch(store, part, config)).decisions.length;
    }
    const perShipment = ((await usedMemory()) - before) / SHIPMENTS;
    // The run made the decisions and person-days whose records are measured (a store left empty
    // would pass any budget).
    expect(decisions).toBeGreaterThan(SHIPMENTS / 10);
    expect(await testRedis.client.hlen(store.keys.personDays)).toBeGreaterThan(SHIPMENTS / 2);
    const kinds = await byKind(store.keys.prefix);
    expect(perShipment, `bytes per shipment; by kind of key: ${JSON.stringify(kinds)}`).toBeLessThanOrEqual(
      BUDGET,
    );
  }, 120_000);
});
