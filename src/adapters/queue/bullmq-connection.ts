/**
 * Redis connections for BullMQ and the store. BullMQ workers need `maxRetriesPerRequest: null`
 * (blocking commands must survive reconnects); the same setting lets every command wait through
 * a Redis restart instead of failing the job in hand.
 */
import { Redis } from 'ioredis';

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
