/**
 * Redis connections for BullMQ and the store. BullMQ workers need `maxRetriesPerRequest: null`
 * (blocking commands must survive reconnects); the same setting lets every command wait through
 * a Redis restart instead of failing the job in hand.
 *
 * A Redis Cluster (issue #15; `redis.cluster.nodes`) is reached through ioredis' `Cluster` client
 * with the same settings per node. Every script and MULTI of the stores and of BullMQ touches one
 * hash slot (store-keys.ts; bullQueuePrefix in queue-topology.ts), which is all a cluster asks.
 */
import { Cluster, Redis } from 'ioredis';
import { redactUrl } from '../../config/redact.js';
import { QueueUnavailableError } from './producer-errors.js';

export interface RedisEndpoint {
  /** The Redis; with `cluster`, its first seed node (named in messages). */
  url: string;
  password?: string;
  /**
   * Redis Cluster seed nodes (`redis://host:port` or `rediss://…`, one scheme for all): the client
   * discovers the other masters from them. Absent: a single Redis at `url`.
   */
  cluster?: string[];
}

/** The address an endpoint is known by in messages: the URL, or the cluster's seed nodes. */
export function describeEndpoint(endpoint: RedisEndpoint): string {
  return endpoint.cluster === undefined
    ? redactUrl(endpoint.url)
    : `cluster ${endpoint.cluster.map(redactUrl).join(',')}`;
}

/**
 * Opens a single Redis or a Cluster client with the given per-node options. ioredis' Cluster has
 * the commands, scripts (defineCommand), pipelines, MULTI and pub/sub the stores and BullMQ use,
 * each routed to the master of its keys' slot, but is a different class: the one cast here lets
 * the adapters keep their `Redis` parameter type (the partitioned store on a cluster has been
 * tested through the same cast since it was written: partitioned-cluster.redis.test.ts).
 */
export function redisClient(endpoint: RedisEndpoint, options: ClientSettings): Redis {
  if (endpoint.cluster === undefined) return new Redis(endpoint.url, options);
  const nodes = endpoint.cluster.map((u) => new URL(u));
  const first = nodes[0];
  const fromUrl = (v: string | undefined): string => decodeURIComponent(v ?? '');
  const password = options.password ?? fromUrl(first?.password);
  const username = fromUrl(first?.username);
  const { retryStrategy, enableOfflineQueue, lazyConnect, ...perNode } = options;
  const cluster = new Cluster(
    nodes.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) })),
    {
      clusterRetryStrategy: retryStrategy,
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      ...(lazyConnect !== undefined ? { lazyConnect } : {}),
      redisOptions: {
        ...perNode,
        ...(password !== '' ? { password } : {}),
        ...(username !== '' ? { username } : {}),
        // rediss:// seeds: every node (the discovered ones too) over TLS.
        ...(first?.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
  return cluster as unknown as Redis;
}

/** The client options this module sets (a plain shape, as ConnectionSettings). */
export interface ClientSettings {
  maxRetriesPerRequest: number | null;
  retryStrategy: (times: number) => number | null;
  enableOfflineQueue?: boolean;
  lazyConnect?: boolean;
  connectTimeout?: number;
  password?: string;
  connectionName?: string;
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
  const client = redisClient(endpoint, {
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
  const client = redisClient(endpoint, {
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
    throw new QueueUnavailableError(`cannot reach Redis at ${describeEndpoint(endpoint)}: ${reason}`, {
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
  const client = redisClient(endpoint, {
    connectTimeout: 5_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times: number) => (times > 3 ? null : 200 * times),
    connectionName: name,
    ...(endpoint.password !== undefined ? { password: endpoint.password } : {}),
  });
  client.on('error', () => {}); // each command's own rejection says what went wrong
  return client;
}
