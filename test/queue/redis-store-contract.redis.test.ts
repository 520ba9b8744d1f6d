/**
 * The DecisionStore contract suite (the one SQLite and memory pass) on the Redis store, against a
 * real redis-server on 127.0.0.1. Each scenario gets its own namespace, i.e. an empty store.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { storeContract } from '../aggregate/store-contract.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';

let server: RedisTestServer;
let client: Redis;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: 3 });
});

afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

storeContract('redis', async () => {
  n += 1;
  return new RedisDecisionStore({ client, namespace: `contract-${n}` });
});

// The same suite once more with a store that opens (and closes) its own connection.
storeContract('redis (own connection)', async () => {
  n += 1;
  return new RedisDecisionStore({ url: server.url, namespace: `own-${n}` });
});
