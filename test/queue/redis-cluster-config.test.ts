/**
 * Issue #15, Redis Cluster: how a cluster is configured (config `redis.cluster.nodes`,
 * S321_REDIS_CLUSTER, `--redis-cluster`), checked (the schema; the endpoint policy on every node),
 * and which BullMQ prefix each queue gets (a hash tag per queue on a cluster; a single Redis keeps
 * the keys it always had). The cluster itself runs in redis-cluster-end-to-end.redis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { bullQueuePrefix } from '../../src/adapters/queue/queue-topology.js';
import { InsecureRedisError } from '../../src/adapters/queue/redis-endpoint-policy.js';
import { resolveQueueRuntime } from '../../src/app/queue/runtime-config.js';
import { ConfigError, parseConfig } from '../../src/config/index.js';
import { runCli } from '../cli/support/cli-process.js';
import { freePort } from '../support/free-port.js';

const NO_ENV = {};

function problems(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    parseConfig({ dataDir: 'data', ...(raw as object) }, { baseDir: '/etc/s321', env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('Redis Cluster configuration', () => {
  it('config redis.cluster.nodes: URLs, one scheme; S321_REDIS_CLUSTER takes host:port lists', () => {
    const cfg = parseConfig(
      {
        dataDir: 'data',
        redis: { cluster: { nodes: ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001'] } },
      },
      { baseDir: '/etc/s321' },
    );
    expect(cfg.redis.cluster).toEqual({ nodes: ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001'] });
    expect(parseConfig({ dataDir: 'data' }, { baseDir: '/etc/s321' }).redis.cluster).toBeUndefined();
    const fromEnv = parseConfig(
      { dataDir: 'data' },
      { baseDir: '/etc/s321', env: { S321_REDIS_CLUSTER: '10.0.0.1:7000, redis://10.0.0.2:7000' } },
    );
    expect(fromEnv.redis.cluster).toEqual({ nodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'] });
    expect(problems({}, { S321_REDIS_CLUSTER: '10.0.0.1:7000,rediss://10.0.0.2:7000' })).toEqual([
      'redis.cluster.nodes: every node must use the same scheme (all redis:// or all rediss://)',
    ]);

    expect(problems({ redis: { cluster: { nodes: [] } } })).toEqual([
      expect.stringMatching(/^redis\.cluster\.nodes: /),
    ]);
    expect(problems({ redis: { cluster: { nodes: ['http://127.0.0.1:7000'] } } })).toEqual([
      expect.stringMatching(/^redis\.cluster\.nodes\.0: expected redis:\/\/host:port/),
    ]);
    expect(
      problems({ redis: { cluster: { nodes: ['redis://127.0.0.1:7000', 'rediss://127.0.0.1:7001'] } } }),
    ).toEqual(['redis.cluster.nodes: every node must use the same scheme (all redis:// or all rediss://)']);
    expect(problems({ redis: { cluster: { seeds: [] } } })).not.toEqual([]);
  });

  it('--redis-cluster: every node is checked by the endpoint policy; the first names the cluster', async () => {
    const warnings: string[] = [];
    const runtime = await resolveQueueRuntime(
      { redisCluster: '127.0.0.1:7000,127.0.0.1:7001,localhost:7002' },
      NO_ENV,
      (line) => warnings.push(line),
    );
    expect(runtime.settings.redis).toEqual({
      url: 'redis://127.0.0.1:7000',
      cluster: ['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001', 'redis://localhost:7002'],
    });
    // Loopback without a password: one warning per node.
    expect(warnings).toHaveLength(3);
    expect(warnings[2]).toMatch(/WARNING: Redis at redis:\/\/localhost:7002 has no password/);

    // One node elsewhere without a password refuses the whole cluster, as a single Redis would be.
    await expect(
      resolveQueueRuntime({ redisCluster: '127.0.0.1:7000,10.1.2.3:7001' }, NO_ENV, () => {}),
    ).rejects.toBeInstanceOf(InsecureRedisError);
    // …unless allowed explicitly; then without TLS it is warned about.
    const allowed: string[] = [];
    await resolveQueueRuntime({ redisCluster: '10.1.2.3:7001' }, { S321_REDIS_ALLOW_INSECURE: '1' }, (line) =>
      allowed.push(line),
    );
    expect(allowed.join('')).toMatch(/without TLS/);

    await expect(
      resolveQueueRuntime({ redisCluster: '127.0.0.1:7000', redisUrl: 'redis://127.0.0.1:6379' }, NO_ENV),
    ).rejects.toThrow(/not both/);
    await expect(resolveQueueRuntime({ redisCluster: 'http://x:1' }, NO_ENV, () => {})).rejects.toThrow(
      /expected host:port/,
    );
  });

  it('S321_REDIS_CLUSTER without a config file; --redis-url names a single Redis over it', async () => {
    const env = { S321_REDIS_CLUSTER: '127.0.0.1:7000,127.0.0.1:7001' };
    const fromEnv = await resolveQueueRuntime({}, env, () => {});
    expect(fromEnv.settings.redis.cluster).toEqual(['redis://127.0.0.1:7000', 'redis://127.0.0.1:7001']);
    const single = await resolveQueueRuntime({ redisUrl: 'redis://127.0.0.1:6390' }, env, () => {});
    expect(single.settings.redis).toEqual({ url: 'redis://127.0.0.1:6390' });
  });

  it('a cluster that cannot be reached: the command fails within seconds, one line naming its nodes', async () => {
    const [a, b] = [await freePort(), await freePort()];
    for (const args of [
      ['queue', 'status'],
      ['worker', 'aggregate', '--partitions', '2'],
    ]) {
      const started = Date.now();
      const r = runCli([...args, '--redis-cluster', `127.0.0.1:${a},127.0.0.1:${b}`], { timeoutMs: 20_000 });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('WARNING'));
      expect(lines).toEqual([
        `s321: cannot reach Redis at cluster redis://127.0.0.1:${a},redis://127.0.0.1:${b}: Failed to refresh slots cache.`,
      ]);
    }
  });

  it('BullMQ prefixes: a hash tag per queue on a cluster; a single Redis keeps its keys', async () => {
    const single = (await resolveQueueRuntime({}, NO_ENV, () => {})).settings;
    expect(bullQueuePrefix(single, 's321-interchanges-aggregate-p3')).toBe('bull');
    const cluster = (await resolveQueueRuntime({ redisCluster: '127.0.0.1:7000' }, NO_ENV, () => {}))
      .settings;
    expect(cluster.bullPrefix).toBe('bull');
    expect(bullQueuePrefix(cluster, 's321-interchanges-aggregate-p3')).toBe(
      'bull:{s321-interchanges-aggregate-p3}',
    );
    expect(bullQueuePrefix(cluster, 's321-interchanges')).toBe('bull:{s321-interchanges}');
  });
});
