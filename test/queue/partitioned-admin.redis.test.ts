/**
 * What an operator needs with partitions on (issue #15), on a real redis-server: `s321 queue
 * status` reads the router's gate and every partition's (gate, queue depth, decisions, dead letters,
 * skips); `s321 queue skip <seq>` closes the input the router waits for in every partition, and a
 * part of it that turns up later is dropped; `--partition p` closes one partition's lost part.
 */
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterQueue } from '../../src/adapters/queue/dead-letter.js';
import { readPartitionedStatus } from '../../src/adapters/queue/partition-status.js';
import { DEFAULT_RETRY, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import {
  applyPartitionPart,
  type PartitionPartData,
  partsOf,
} from '../../src/app/queue/apply-partition-part.js';
import { parsePartitionPartJob } from '../../src/app/queue/job-data.js';
import { NotNextError, skipPartitionPart, skipRoutedInput } from '../../src/app/queue/partition-admin.js';
import { routeInput } from '../../src/app/queue/route-input.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { addPartitionParts } from '../../workers/aggregate-partitioned.js';
import { ev } from '../aggregate/event-builder.js';
import { useRedisServer } from '../support/redis-server.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
const P = 4;
const PREFIX = 'bull';
const config = aggregationConfig();
const opened: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(opened.map((q) => q.close()));
});

const at = (seq: number) => ({ seq, part: 0, last: true });
/** One interchange of `n` declarations of $500 for consignees spread over the partitions. */
function input(seq: number, n = 6): InterchangeEvents[] {
  return [
    {
      sender: 'S',
      controlNumber: String(seq).padStart(9, '0'),
      fingerprint: `fp${seq}`,
      file: `f${seq}`,
      events: Array.from({ length: n }, (_, i) =>
        ev({ bill: `B${seq}-${i}`, consignee: `C${i % 3}`, cents: 50_000 }),
      ),
    },
  ];
}

function setup(name: string) {
  const store = new PartitionedRedisStore({ client: testRedis.client, namespace: name, partitions: P });
  const topology = queueTopology(name);
  const queues = Array.from(
    { length: P },
    (_, p) =>
      new Queue<PartitionPartData>(topology.partition(p), { connection: testRedis.client, prefix: PREFIX }),
  );
  opened.push(...queues);
  const settings = { queueName: name, bullPrefix: PREFIX, storeNamespace: name, partitions: P };
  /** Routes input `seq` and applies every part of it (as the router's dispatch does). */
  const routeAndApply = async (seq: number, ics: InterchangeEvents[]) => {
    const routed = await routeInput(store, at(seq), ics);
    if (routed.status !== 'routed') throw new Error(`input ${seq} not routed`);
    for (const part of partsOf(routed.input)) {
      const r = await applyPartitionPart(store, part, config);
      if (r.status !== 'applied' && r.status !== 'already-applied') throw new Error(`part ${r.status}`);
    }
    return routed.input;
  };
  /** Applies the parts waiting in every partition's queue, in order. */
  const applyQueued = async () => {
    for (const q of queues)
      for (const job of await q.getJobs(['wait'])) {
        const r = await applyPartitionPart(store, parsePartitionPartJob(job.data), config);
        expect(r.status).toBe('applied');
        await job.remove();
      }
  };
  return { store, queues, settings, routeAndApply, applyQueued, topology };
}

describe('partitioned store: operator status and skip', () => {
  it('skip closes the input the router waits for in every partition; status shows gates, queues, skips and dead letters', async () => {
    const { store, queues, settings, routeAndApply, applyQueued, topology } = setup('padm-router');
    await store.router.claimPartitions();
    await routeAndApply(1, input(1));
    // Input 2 is lost: input 3 waits at the router.
    expect((await routeInput(store, at(3), input(3))).status).toBe('not-ready');
    await expect(skipRoutedInput(store, 3, 'x', async () => {})).rejects.toBeInstanceOf(NotNextError);

    const closed = await skipRoutedInput(store, 2, 'upload lost', (parts) =>
      addPartitionParts(queues, parts, DEFAULT_RETRY),
    );
    expect(closed).toEqual({ seq: 2, part: 0, routing: 2 });
    const dlq = new DeadLetterQueue(topology.deadLetter, testRedis.client, PREFIX);
    opened.push(dlq);
    await dlq.add({
      kind: 'failed',
      queue: topology.partition(1),
      jobId: 'agg-9-0',
      seq: 9,
      part: 0,
      reason: 'test',
      attemptsMade: 5,
      failedAt: new Date(0).toISOString(),
      payload: {},
    });

    const before = await readPartitionedStatus(testRedis.client, settings);
    expect(before.routed).toEqual({ seq: 2, part: 0, done: true });
    expect(before.routings).toBe(2);
    expect(before.skipped).toEqual([{ seq: 2, reason: 'upload lost' }]);
    // Every partition applied routing 1 and has the skip's empty part waiting in its queue.
    expect(before.partition.map((p) => [p.gate, p.jobs.wait])).toEqual(
      Array.from({ length: P }, () => [{ seq: 1, part: 0, done: true }, 1]),
    );
    expect(before.partition.map((p) => p.deadLetters)).toEqual([0, 1, 0, 0]);
    expect(before.totals.deadLetters).toBe(1);
    expect(before.totals.bills).toBe(6);
    // Three consignees at $1,000 each: every one crossed $800.
    expect(before.totals.decisions).toBeGreaterThan(0);
    expect(before.totals.decisions).toBe(before.partition.reduce((n, p) => n + p.decisions, 0));

    await applyQueued();
    // A part of the skipped input that turns up later is dropped: routed before, no events.
    const late = await routeInput(store, at(2), input(2));
    expect(late.status === 'routed' && [late.before, late.input.events.length]).toEqual([true, 0]);
    // The inputs after it are routed and applied.
    const third = await routeAndApply(3, input(3));
    expect(third.seq).toBe(3);
    const after = await readPartitionedStatus(testRedis.client, settings);
    expect(after.partition.map((p) => [p.gate, p.jobs.wait])).toEqual(
      Array.from({ length: P }, () => [{ seq: 3, part: 0, done: true }, 0]),
    );
    expect(after.totals.bills).toBe(12);
    // Read with another partition count, the status is refused as a worker is.
    await expect(
      readPartitionedStatus(testRedis.client, { ...settings, partitions: 8 }),
    ).rejects.toMatchObject({
      code: 'STORE_PARTITIONS_MISMATCH',
    });
  });

  it('skip --partition closes one partition part whose job was lost; its part, found later, is not applied', async () => {
    const { store, settings, routeAndApply } = setup('padm-part');
    await routeAndApply(1, input(1));
    const routed = await routeInput(store, at(2), input(2));
    if (routed.status !== 'routed') throw new Error('not routed');
    const parts = partsOf(routed.input);
    const lost = parts.find((p) => p.interchanges.length > 0) as PartitionPartData;
    for (const part of parts) if (part !== lost) await applyPartitionPart(store, part, config);
    // Only the lost part's partition waits.
    const stuck = await readPartitionedStatus(testRedis.client, settings);
    expect(stuck.partition.filter((p) => p.gate.seq === 1).map((p) => p.partition)).toEqual([lost.partition]);

    expect(await skipPartitionPart(store, lost.partition, 2, 'job deleted')).toEqual({ seq: 2, part: 0 });
    expect(await applyPartitionPart(store, lost, config)).toMatchObject({ status: 'already-applied' });
    const status = await readPartitionedStatus(testRedis.client, settings);
    const row = status.partition[lost.partition];
    expect(row?.gate).toEqual({ seq: 2, part: 0, done: true });
    expect(row?.skipped).toEqual([{ seq: 2, reason: 'skipped by operator: job deleted' }]);
    // Its bills were never applied: input 1's 6 and input 2's not in the lost part.
    const lostBills = lost.interchanges.reduce((n, ic) => n + ic.events.length, 0);
    expect(status.totals.bills).toBe(12 - lostBills);
  });
});
