/**
 * Queue mode's partitioned store (issue #15): P RedisDecisionStores, one per partition, each with
 * its own keys under its own hash tag and its own ordered gate, and a router (the bill → partition
 * index, interchange de-dup records, routing gate). It decides nothing: the batch use case
 * (app/apply-batch.ts, via app/queue/apply-partition-part.ts) runs the one core over a partition's
 * BatchSession exactly as over any store; this class only adds what crosses partitions — reading
 * a moving bill's handoff record once the partition it leaves has applied its departure.
 */
import type { Redis } from 'ioredis';
import { assertPartitions } from '../../../core/aggregate/partition-routing.js';
import type { BillRecord } from '../../../core/aggregate/state.js';
import type { Decision } from '../../../core/model/decision.js';
import type { DecisionStore, PersonDayReport } from '../../../ports/decision-store.js';
import { gateRelation } from './ordered-gate.js';
import { RedisPartitionRouter } from './partition-router.js';
import { RedisDecisionStore, type RedisStoreOptions } from './redis-store.js';

export interface PartitionedStoreOptions extends Omit<RedisStoreOptions, 'partition' | 'client' | 'url'> {
  /** Connected client (a Redis or an ioredis Cluster); not closed by close(). */
  client: Redis;
  partitions: number;
}

export class PartitionedRedisStore {
  readonly router: RedisPartitionRouter;
  readonly partitions: readonly RedisDecisionStore[];
  /**
   * The namespace's own (unpartitioned) store: what is per partner rather than per consignee —
   * control numbers (acknowledgments and outbound files share one sequence per partner, as in
   * embedded mode) and the acknowledgments the ingest workers record.
   */
  readonly shared: RedisDecisionStore;

  constructor(readonly options: PartitionedStoreOptions) {
    assertPartitions(options.partitions);
    this.router = new RedisPartitionRouter(options.client, options.namespace, options.partitions);
    this.shared = new RedisDecisionStore({ ...options });
    this.partitions = Array.from(
      { length: options.partitions },
      (_, partition) => new RedisDecisionStore({ ...options, partition }),
    );
  }

  get count(): number {
    return this.partitions.length;
  }

  partition(p: number): RedisDecisionStore {
    const store = this.partitions[p];
    if (store === undefined) throw new Error(`no partition ${p} (store has ${this.partitions.length})`);
    return store;
  }

  /**
   * The record a moving bill left in partition `source` (encoded bill value), once that partition's
   * gate has applied part (seq, sourcePart) — its departure; undefined while it has not. null: the
   * departure is applied but left no record (a bug, or a record pruned: the caller reports it).
   */
  async handoff(
    source: number,
    seq: number,
    sourcePart: number,
    field: string,
  ): Promise<BillRecord | null | undefined> {
    const from = this.partition(source);
    const gate = await from.gate();
    if (gateRelation(gate, { seq, part: sourcePart, last: false }) !== 'applied') return undefined;
    return from.handoffRecord(field);
  }

  /**
   * Partition `p` as the emitter sees a store: its pending decisions and outbound records, with
   * control numbers from the shared store (file names carry the interchange control number, so
   * files of different partitions never share a name).
   */
  emitView(p: number): DecisionStore {
    const own = this.partition(p);
    return {
      openBatch: () => own.openBatch(),
      openSnapshot: () => own.openSnapshot(),
      pendingDecisions: (fromSeq, limit) => own.pendingDecisions(fromSeq, limit),
      reserveControlNumbers: (partner, kind, count, max) =>
        this.shared.reserveControlNumbers(partner, kind, count, max),
      peekControlNumbers: (partner, kind, count, max) =>
        this.shared.peekControlNumbers(partner, kind, count, max),
      recordOutbound: (files) => own.recordOutbound(files),
      unwrittenOutbound: () => own.unwrittenOutbound(),
      markWritten: (names) => own.markWritten(names),
      personDays: (day) => own.personDays(day),
      close: async () => {},
    };
  }

  /** Every decision, partition by partition, each partition's in its seq order. */
  async decisionsByPartition(): Promise<Decision[][]> {
    return Promise.all(this.partitions.map((s) => s.allDecisions()));
  }

  /** Person-days of every partition, by day then consignee key (as one store lists them). */
  async personDays(day?: string): Promise<PersonDayReport[]> {
    const all = (await Promise.all(this.partitions.map((s) => s.personDays(day)))).flat();
    return all.sort((a, b) =>
      a.day === b.day ? compareText(a.consigneeKey, b.consigneeKey) : compareText(a.day, b.day),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.shared, ...this.partitions].map((s) => s.close()));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
