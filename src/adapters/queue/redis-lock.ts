/**
 * A lease in Redis (SET NX PX) that keeps one emitter running at a time across machines. It only
 * saves wasted work: correctness does not rest on it, because recording outbound files refuses
 * decisions another emitter already took (record-outbound.lua).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// Delete only our own lease (a lease that expired and was taken by another holder stays).
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export interface Lease {
  release(): Promise<void>;
}

export async function tryLease(client: Redis, key: string, ttlMs: number): Promise<Lease | undefined> {
  const token = randomBytes(12).toString('hex');
  const ok = await client.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  return {
    release: async () => {
      await client.eval(RELEASE, 1, key, token);
    },
  };
}
