/**
 * The model-checked decision properties (decision-model.ts) on the Redis store, against a real
 * redis-server on 127.0.0.1; each run gets its own namespace, i.e. an empty store.
 */
import { describe } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { useRedisServer } from '../support/redis-server.js';
import { decisionProperties } from './decision-model.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
let n = 0;

describe('decisions as users see them (model-checked), Redis', () => {
  decisionProperties(
    'redis',
    () => {
      n += 1;
      return new RedisDecisionStore({ client: testRedis.client, namespace: `decide-${n}` });
    },
    150,
  );
});
