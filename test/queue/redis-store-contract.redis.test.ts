/**
 * The DecisionStore contract suite (the one SQLite and memory pass) on the Redis store, against a
 * real redis-server on 127.0.0.1. Each scenario gets its own namespace, i.e. an empty store.
 */
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { storeContract } from '../aggregate/store-contract.js';
import { useRedisServer } from '../support/redis-server.js';

let n = 0;

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

storeContract('redis', async () => {
  n += 1;
  return new RedisDecisionStore({ client: testRedis.client, namespace: `contract-${n}` });
});

// The same suite once more with a store that opens (and closes) its own connection.
storeContract('redis (own connection)', async () => {
  n += 1;
  return new RedisDecisionStore({ url: testRedis.server.url, namespace: `own-${n}` });
});
