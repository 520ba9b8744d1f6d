/**
 * The /v1 API over the Redis store (queue mode's) on a real redis-server (127.0.0.1). The fixture
 * day is applied through the one batch engine from the shipment events its manifest lines
 * normalize to; "writes nothing" is checked on every key's DUMP.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { shipmentEventOf } from '../../src/app/api-service.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { PrecheckShipmentSchema } from '../../src/core/model/api.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { useRedisServer } from '../support/redis-server.js';
import { apiContract } from './api-contract.js';
import { DAY, DAY_BILLS, getJson, startApi } from './support/api-fixture.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

apiContract('the Redis store', async () => {
  const client = testRedis.client;
  const store = new RedisDecisionStore({ client, namespace: 'api' });
  const events = DAY_BILLS.map((b, i) =>
    shipmentEventOf(
      PrecheckShipmentSchema.parse({
        bill: `ACME/${b.scn}`,
        consignee: {
          name: b.name,
          street: b.street,
          city: b.city,
          state: b.state,
          postal: b.postal,
          country: 'US',
          ...(b.id !== undefined ? { idQualifier: b.id[0], id: b.id[1] } : {}),
        },
        day: DAY,
        value: b.value,
        mode: 'truck',
        origin: 'VN',
        hts: ['6109100010'],
      }),
      i,
      {},
    ),
  );
  await applyBatch(
    store,
    [{ sender: 'ACMETRUCK', controlNumber: '000000501', fingerprint: 'day', file: 'day.edi', events }],
    aggregationConfig(),
  );
  const { url, server } = await startApi(store);
  return {
    url,
    fingerprint: async () => {
      const keys = (await client.keys('*')).sort();
      const h = createHash('sha256');
      for (const key of keys) h.update(key).update((await client.dumpBuffer(key)) ?? Buffer.alloc(0));
      return h.digest('hex');
    },
    close: async () => {
      await server.close();
      await store.close();
    },
  };
});

describe('split-shipment suspects over the Redis store', () => {
  it('answers 501: the Redis store keeps no consignee as sent, so none can be found', async () => {
    const store = new RedisDecisionStore({ client: testRedis.client, namespace: 'api-split' });
    const { url, server } = await startApi(store);
    try {
      const res = await getJson(`${url}/v1/split-suspects?day=${DAY}`);
      expect([res.status, res.body.error]).toEqual([501, 'not-implemented']);
      expect(String(res.body.message)).toMatch(/keeps no consignee as sent/);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
