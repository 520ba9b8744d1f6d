/**
 * The partitioned store keeps the partition count it was created with (an unpartitioned store
 * counts as 0 both ways), and a redelivered input
 * gets the routing it got the first time (its interchanges are not screened again as duplicates).
 */
import { describe, expect, it } from 'vitest';
import {
  assertUnpartitioned,
  StorePartitionsMismatchError,
} from '../../src/adapters/store/redis/partition-router.js';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyInOrder } from '../../src/app/queue/apply-in-order.js';
import { routeInput } from '../../src/app/queue/route-input.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

const at = (seq: number) => ({ seq, part: 0, last: true });

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });

const input = (): InterchangeEvents[] => [
  {
    sender: 'S',
    controlNumber: '000000001',
    fingerprint: 'fp1',
    file: 'f1',
    events: [ev({ bill: 'B1', consignee: 'P' }), ev({ bill: 'B2', consignee: 'Q' })],
  },
];

describe('partitioned store', () => {
  it('refuses another partition count than the one it was created with', async () => {
    const four = new PartitionedRedisStore({ client: testRedis.client, namespace: 'ptn-p', partitions: 4 });
    await four.router.claimPartitions();
    expect((await routeInput(four, at(1), input())).status).toBe('routed');
    const eight = new PartitionedRedisStore({ client: testRedis.client, namespace: 'ptn-p', partitions: 8 });
    await expect(eight.router.claimPartitions()).rejects.toBeInstanceOf(StorePartitionsMismatchError);
    await expect(routeInput(eight, at(2), input())).rejects.toMatchObject({
      code: 'STORE_PARTITIONS_MISMATCH',
    });
    expect(await four.router.gate()).toEqual({ seq: 1, part: 0, done: true });
  });

  it('a namespace applied to unpartitioned refuses partitions, and a partitioned one refuses an unpartitioned worker', async () => {
    // An unpartitioned store with one applied input.
    const plain = new RedisDecisionStore({ client: testRedis.client, namespace: 'ptn-plain' });
    expect((await applyInOrder(plain, at(1), input(), aggregationConfig())).status).toBe('applied');
    const four = new PartitionedRedisStore({
      client: testRedis.client,
      namespace: 'ptn-plain',
      partitions: 4,
    });
    await expect(four.router.claimPartitions()).rejects.toMatchObject({
      code: 'STORE_PARTITIONS_MISMATCH',
      stored: 0,
      mine: 4,
    });
    await expect(assertUnpartitioned(testRedis.client, 'ptn-plain')).resolves.toBeUndefined();
    // A partitioned store: an unpartitioned worker is refused.
    const parted = new PartitionedRedisStore({
      client: testRedis.client,
      namespace: 'ptn-parted',
      partitions: 4,
    });
    await parted.router.claimPartitions();
    await expect(assertUnpartitioned(testRedis.client, 'ptn-parted')).rejects.toMatchObject({
      code: 'STORE_PARTITIONS_MISMATCH',
      stored: 4,
      mine: 0,
    });
  });

  it('routes a redelivered input as the first time; the next input waits for its predecessor', async () => {
    const store = new PartitionedRedisStore({ client: testRedis.client, namespace: 'ptn-r', partitions: 4 });
    const ics = input();
    expect(await routeInput(store, at(2), ics)).toEqual({
      status: 'not-ready',
      gate: { seq: 0, part: 0, done: true },
    });
    const first = await routeInput(store, at(1), ics);
    const again = await routeInput(store, at(1), ics);
    expect(again).toEqual({ ...first, before: true });
    if (first.status !== 'routed') throw new Error('not routed');
    expect(first.input.duplicates).toEqual([]);
    expect(first.input.fresh).toHaveLength(1);
    // The same interchange in a later input is a duplicate.
    const dup = await routeInput(store, at(2), ics);
    expect(dup.status === 'routed' && dup.input.duplicates.length).toBe(1);
  });
});
