/**
 * The store's smaller scripts write nothing when a key they would write holds another kind: Redis
 * keeps a script's writes made before an error, so each checks before its first write
 * (skip-sequence.lua moved the gate and then failed on the outcome or skipped record; record-outbound.lua
 * recorded a file and then failed on the unwritten set). commit-batch.lua: commit-script.redis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { storeKeys } from '../../src/adapters/store/redis/store-keys.js';
import { useScriptedRedis } from './support/scripted-redis.js';

const redis = useScriptedRedis();

describe('store scripts write all or nothing', () => {
  it('skip-sequence: a skipped-record hash of another kind refuses the skip, the gate stays', async () => {
    const ns = 'guard-skip';
    const keys = storeKeys(ns);
    const store = new RedisDecisionStore({ client: redis(), namespace: ns });
    await redis().set(keys.skipped, 'not a hash');
    await expect(store.skipSequence(1, 'lost')).rejects.toThrow(/WRONGTYPE .*skipped holds a string/);
    expect(await store.gate()).toEqual({ seq: 0, part: 0, done: true });
    expect(await redis().exists(keys.outcome(1, 0))).toBe(0);

    await redis().del(keys.skipped);
    expect(await store.skipSequence(1, 'lost')).toEqual({ seq: 1, part: 0 });
    expect(await store.gate()).toEqual({ seq: 1, part: 0, done: true });
  });

  it('record-outbound: an unwritten set of another kind refuses the files, decisions stay pending', async () => {
    const keys = storeKeys('guard-outbound');
    await redis().zadd(keys.pending, 1, 'D1');
    await redis().set(keys.unwritten, 'not a set');
    const payload = JSON.stringify([{ name: 'f1.x12', json: '{}', ids: ['D1'] }]);
    await expect(
      redis().s321RecordOutbound(keys.pending, keys.outboundFiles, keys.unwritten, payload),
    ).rejects.toThrow(/WRONGTYPE .*unwritten holds a string/);
    expect(await redis().exists(keys.outboundFiles)).toBe(0);
    expect(await redis().zscore(keys.pending, 'D1')).toBe('1');

    await redis().del(keys.unwritten);
    expect(await redis().s321RecordOutbound(keys.pending, keys.outboundFiles, keys.unwritten, payload)).toBe(
      'OK',
    );
    expect(await redis().smembers(keys.unwritten)).toEqual(['f1.x12']);
    expect(await redis().zcard(keys.pending)).toBe(0);
  });
});
