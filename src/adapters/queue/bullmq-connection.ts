/**
 * Redis connections for BullMQ and the store. BullMQ workers need `maxRetriesPerRequest: null`
 * (blocking commands must survive reconnects); the same setting lets every command wait through
 * a Redis restart instead of failing the job in hand.
 */
import { Redis } from 'ioredis';
import { redactUrl } from '../../config/redact.js';
import { QueueUnavailableError } from './producer-errors.js';

export interface RedisEndpoint {
  url: string;
  password?: string;
}

/** The options we set (a plain shape: ioredis' RedisOptions does not fit exactOptionalPropertyTypes). */
export interface ConnectionSettings {
  maxRetriesPerRequest: null;
  enableOfflineQueue: boolean;
  retryStrategy: (times: number) => number;
  password?: string;
  connectionName?: string;
}

export function connectionOptions(endpoint: RedisEndpoint): ConnectionSettings {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    // Reconnect quickly at first, then every 2 s, for as long as it takes.
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
  };
}

export function openRedis(endpoint: RedisEndpoint, name?: string): Redis {
  const client = new Redis(endpoint.url, {
    ...connectionOptions(endpoint),
    ...(name !== undefined ? { connectionName: name } : {}),
  });
  // Connection errors are retried by ioredis; without a listener Node would print each one as unhandled.
  client.on('error', () => {});
  return client;
}

/**
 * Fails within `timeoutMs` with a QueueUnavailableError (one line: where, and why) unless Redis
 * answers a PING (which also proves the password). The long-running clients above reconnect forever
 * by design, so a command run while Redis is down would otherwise wait silently; commands and
 * workers call this before they open them.
 */
export async function checkRedisReachable(endpoint: RedisEndpoint, timeoutMs = 5_000): Promise<void> {
  const client = new Redis(endpoint.url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    const reason = lastError?.message ?? (err instanceof Error ? err.message : String(err));
    throw new QueueUnavailableError(`cannot reach Redis at ${redactUrl(endpoint.url)}: ${reason}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * A client for short commands (queue status, skip, dead-letters): a command fails after a few
 * reconnect tries instead of waiting for Redis forever.
 */
export function openShortLivedRedis(endpoint: RedisEndpoint, name: string): Redis {
  const client = new Redis(endpoint.url, {
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times: number) => (times > 3 ? null : 200 * times),
    connectionName: name,
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
  });
  client.on('error', () => {}); // each command's own rejection says what went wrong
  return client;
}
