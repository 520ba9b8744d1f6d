/**
 * A lease in Redis (SET NX PX) that keeps one emitter running at a time across machines. It only
 * saves wasted work: correctness does not rest on it, because recording outbound files refuses
 * decisions another emitter already took (record-outbound.lua).
 *
 * A holder that keeps a lease renews it (a heartbeat every third of its time to live), so the
 * time to live can be short: after kill -9 of `s321 serve`, a 300 s lease without heartbeat held
 * every acknowledgment and outbound file back for five minutes; with a 15 s lease renewed every
 * 5 s, a restarted emitter takes over within 15 s. The lease's value names its holder (host, pid),
 * so a waiting emitter can say whom it waits for.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';

// Delete only our own lease (a lease that expired and was taken by another holder stays).
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
// Extend only our own lease.
const RENEW =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

export interface Lease {
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** Renew the lease every `heartbeatMs` while held (default: no heartbeat). */
  heartbeatMs?: number;
  /** Called once if a renewal finds the lease gone or taken (the holder should stop soon). */
  onLost?: () => void;
}

export async function tryLease(
  client: Redis,
  key: string,
  ttlMs: number,
  options: LeaseOptions = {},
): Promise<Lease | undefined> {
  const token = `${hostname()}:${process.pid}:${randomBytes(9).toString('hex')}`;
  const ok = await client.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return undefined;
  let timer: NodeJS.Timeout | undefined;
  if (options.heartbeatMs !== undefined) {
    timer = setInterval(() => {
      client.eval(RENEW, 1, key, token, String(ttlMs)).then(
        (renewed) => {
          if (renewed !== 1 && timer !== undefined) {
            clearInterval(timer);
            timer = undefined;
            options.onLost?.();
          }
        },
        () => undefined, // Redis unreachable: the next beat tries again; the lease may lapse
      );
    }, options.heartbeatMs);
    timer.unref();
  }
  return {
    release: async () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await client.eval(RELEASE, 1, key, token);
    },
  };
}

/** Who holds a lease and for how much longer (ms), or undefined when it is free. */
export async function leaseHolder(
  client: Redis,
  key: string,
): Promise<{ holder: string; ttlMs: number } | undefined> {
  const [value, ttl] = await Promise.all([client.get(key), client.pttl(key)]);
  if (value === null) return undefined;
  // The value is `host:pid:random`; the random part says nothing to an operator.
  return { holder: value.split(':').slice(0, 2).join(' pid '), ttlMs: ttl };
}
