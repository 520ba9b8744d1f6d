/**
 * Issue #15: the partitioned store takes exactly embedded mode's decisions. Generated streams
 * (support/partitioned-stream.ts: amendments moving bills between partitions, deletions, status
 * before the manifest, re-sent interchanges) go through the embedded store (SQLite, one batch per
 * input, as `s321 replay`) and through the partitioned Redis store with P = 1, 4, 16 partitions and
 * 1, 2, 3 concurrent workers taking routing and part tasks in a random order, each applying the
 * parts queued after its own in the same batch and commit. Decisions (every
 * field but `seq`, which is per partition), their order within each partition, person-days
 * (totals, counts, members in order), audit records and duplicates must be identical. Real
 * redis-server on 127.0.0.1; bounded: a fixed seed, a fixed number of runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { partitionOf } from '../../src/core/aggregate/partition-routing.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { useRedisServer } from '../support/redis-server.js';
import { CONSIGNEES, compareOnce, step } from './support/partitioned-stream.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
const dir = mkdtempSync(join(tmpdir(), 's321-partdiff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describe('partitioned queue store = embedded mode', () => {
  it('a consignee move crosses partitions at P = 4 (the streams below exercise moves)', () => {
    expect(new Set(CONSIGNEES.map((c) => partitionOf(c, 4))).size).toBeGreaterThan(1);
  });

  for (const partitions of [1, 4, 16]) {
    for (const workers of [1, 2, 3]) {
      it(`P = ${partitions}, ${workers} worker(s): same decisions, person-days, audit and duplicates`, async () => {
        const config = aggregationConfig();
        let departures = 0;
        let decisions = 0;
        let batchedParts = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(step, { minLength: 1, maxLength: 45 }),
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
            fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 3 }),
            fc.integer({ min: 1, max: 1 << 30 }),
            async (steps, sizes, repeats, seed) => {
              n += 1;
              const namespace = `pdiff-${n}`;
              const got = await compareOnce(
                () => new PartitionedRedisStore({ client: testRedis.client, namespace, partitions }),
                join(dir, `embedded-${n}.db`),
                config,
                { steps, sizes, repeats, seed, workers },
              );
              decisions += got.decisions;
              departures += got.departures;
              batchedParts += got.batchedParts;
            },
          ),
          { numRuns: 20, seed: 15_000 + partitions * 10 + workers },
        );
        // The streams are not vacuous: they decide, and with partitions they move bills across.
        expect(decisions).toBeGreaterThan(10);
        // Parts were applied in batches of several queued parts (one commit for the range).
        expect(batchedParts).toBeGreaterThan(0);
        if (partitions > 1) expect(departures).toBeGreaterThan(0);
      }, 120_000);
    }
  }
});
