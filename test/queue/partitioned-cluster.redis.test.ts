/**
 * Issue #15: the partitioned store on a real 3-master Redis Cluster on 127.0.0.1, started by the
 * project's own script (scripts/redis-cluster.sh: Debian's redis-server with cluster-enabled,
 * `redis-cli --cluster create`, in a temp dir, torn down after), through ioredis' Cluster client:
 * every script and MULTI of a partition or of the router touches one hash slot, the partitions'
 * slots spread over the masters, and generated streams with consignee moves give embedded mode's
 * decisions (as partitioned-differential.redis.test.ts on a single Redis). A new namespace started
 * with no partition count gets the default count there too, recorded once for every role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { routerKeys } from '../../src/adapters/store/redis/store-keys.js';
import { DEFAULT_PARTITIONS } from '../../src/adapters/store/redis/store-partitions.js';
import { workerSettings } from '../../src/app/queue/worker-settings.js';
import { redisClusterNodes } from '../../src/config/schema.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import { startEmitWorker } from '../../workers/emit.js';
import { compareOnce, step } from './support/partitioned-stream.js';
import { startTestCluster, type TestCluster } from './support/test-cluster.js';

const dir = mkdtempSync(join(tmpdir(), 's321-cluster-'));
let testCluster: TestCluster;
let cluster: Cluster;

beforeAll(async () => {
  testCluster = await startTestCluster(dir);
  cluster = testCluster.client;
}, 90_000);

afterAll(async () => {
  await testCluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('partitioned store on a 3-master Redis Cluster', () => {
  it('partitions land on different masters; decisions equal embedded mode (P = 16, 2 workers)', async () => {
    const config = aggregationConfig();
    let n = 0;
    let departures = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        async (steps, sizes, repeats, seed) => {
          n += 1;
          const namespace = `cl-${n}`;
          const got = await compareOnce(
            // ioredis' Cluster has the commands and scripts the store uses (one slot per call).
            () =>
              new PartitionedRedisStore({ client: cluster as unknown as Redis, namespace, partitions: 16 }),
            join(dir, `embedded-${n}.db`),
            config,
            { steps, sizes, repeats, seed, workers: 2 },
          );
          departures += got.departures;
        },
      ),
      { numRuns: 8, seed: 15_321 },
    );
    expect(departures).toBeGreaterThan(0);
    // Where the 16 partitions' and the router's slots are served: more than one master.
    const store = new PartitionedRedisStore({
      client: cluster as unknown as Redis,
      namespace: 'cl-1',
      partitions: 16,
    });
    const nodes = new Set<string>();
    for (const key of [store.router.keys.meta, ...store.partitions.map((p) => p.keys.meta)]) {
      const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
      const shards = (await cluster.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
      const owner = shards.find(([from, to]) => slot >= from && slot <= to);
      nodes.add(String(owner?.[2]?.[1]));
    }
    expect(nodes.size).toBeGreaterThan(1);
  }, 120_000);

  it('a new namespace given no count gets the default partitions on the cluster; emit adopts it, another count is refused', async () => {
    const nodes = redisClusterNodes(testCluster.nodes);
    const settings = workerSettings({
      redis: { url: nodes[0] as string, cluster: nodes },
      queueName: 'cl-default',
      bullPrefix: 'test',
    });
    expect(settings.partitions).toBeUndefined();
    const aggregate = await startAggregateWorker({ settings });
    try {
      expect(await cluster.hget(routerKeys('cl-default').meta, 'partitions')).toBe(
        String(DEFAULT_PARTITIONS),
      );
      const emit = await startEmitWorker({ settings, emit: async () => ({ files: 0 }) });
      await emit.close();
      await expect(startAggregateWorker({ settings: { ...settings, partitions: 4 } })).rejects.toMatchObject({
        code: 'STORE_PARTITIONS_MISMATCH',
        stored: DEFAULT_PARTITIONS,
      });
    } finally {
      await aggregate.close();
    }
  }, 60_000);
});
