/**
 * Which partition count a queue-mode namespace runs with (issue #15): the one place every process
 * role (aggregate and emit workers, `s321 serve`, the `queue` admin commands, retention) asks, so
 * they all agree. A count is part of the store: once recorded it never changes.
 *
 *  - Recorded in the router's meta (`partitions`, 0 = one gate): that count. A count given by the
 *    operator that differs is refused (STORE_PARTITIONS_MISMATCH), both ways.
 *  - Not recorded, but the namespace's own gate is set: a store applied to with one gate before
 *    counts were recorded (every store made before partitioned mode became the default). It keeps
 *    its one gate; asking it for partitions is refused.
 *  - Neither: a new namespace. It gets the operator's count, else DEFAULT_PARTITIONS; `claim`
 *    records it (0 included), the first process to do so winning for all.
 */
import type { Redis } from 'ioredis';
import { assertPartitions } from '../../../core/aggregate/partition-routing.js';
import { StorePartitionsMismatchError } from './partition-router.js';
import { routerKeys, storeKeys } from './store-keys.js';

/**
 * Partitions of a new namespace when the operator gives no count (docs/queue-mode.md "The default
 * partition count": measured at 100k on this machine kind, and enough hash slots and gates to
 * spread over several machines and cluster shards, since a store's count cannot change later).
 */
export const DEFAULT_PARTITIONS = 16;

/** Where a namespace's count came from, for the worker's start log line. */
export type PartitionsSource =
  /** recorded in the store (by an earlier process, or by this claim when it lost a race) */
  | 'recorded'
  /** not recorded; the namespace's own gate is set: a one-gate store from before the default */
  | 'gate'
  /** a new namespace: the operator's count (recorded by claim) */
  | 'configured'
  /** a new namespace, no count given: DEFAULT_PARTITIONS (recorded by claim) */
  | 'default';

export interface StorePartitions {
  /** 0: one gate (the unpartitioned store); else P partitions. */
  partitions: number;
  source: PartitionsSource;
}

/** The operator's count: undefined (none given), 0 (one gate) or 1..MAX_PARTITIONS. */
export function assertPartitionSetting(partitions: number | undefined): void {
  if (partitions !== undefined && partitions !== 0) assertPartitions(partitions);
}

/** The namespace's count without recording anything (readers: status, migrate, retention). */
export async function resolveStorePartitions(
  client: Redis,
  namespace: string,
  requested: number | undefined,
): Promise<StorePartitions> {
  assertPartitionSetting(requested);
  const recorded = await client.hget(routerKeys(namespace).meta, 'partitions');
  if (recorded !== null) return adopt(Number(recorded), requested);
  return (await singleGateApplied(client, namespace)) ? adopt(0, requested, 'gate') : fresh(requested);
}

/**
 * The namespace's count, recorded when the namespace is new (processes that apply or emit: they
 * must all work on the same keys). Two processes creating one namespace at once: the first record
 * wins; a process given no count adopts it, one given another count is refused.
 */
export async function claimStorePartitions(
  client: Redis,
  namespace: string,
  requested: number | undefined,
): Promise<StorePartitions> {
  const resolved = await resolveStorePartitions(client, namespace, requested);
  if (resolved.source === 'recorded' || resolved.source === 'gate') return resolved;
  const meta = routerKeys(namespace).meta;
  if ((await client.hsetnx(meta, 'partitions', String(resolved.partitions))) === 1) return resolved;
  return adopt(Number(await client.hget(meta, 'partitions')), requested);
}

/**
 * The unpartitioned store's gate is set only by a one-gate commit or skip (retention, the shared
 * store's acknowledgments and control numbers never set it), so it marks a one-gate store.
 */
async function singleGateApplied(client: Redis, namespace: string): Promise<boolean> {
  return (await client.hget(storeKeys(namespace).meta, 'gseq')) !== null;
}

function adopt(
  stored: number,
  requested: number | undefined,
  source: PartitionsSource = 'recorded',
): StorePartitions {
  if (requested !== undefined && requested !== stored)
    throw new StorePartitionsMismatchError(stored, requested);
  return { partitions: stored, source };
}

/**
 * The partition stores that may hold state: none for a new namespace given no count (its count is
 * not decided until a worker records it), for readers that only visit what exists (retention,
 * layout migration).
 */
export function existingPartitions(p: StorePartitions): number {
  return p.source === 'default' ? 0 : p.partitions;
}

function fresh(requested: number | undefined): StorePartitions {
  return requested === undefined
    ? { partitions: DEFAULT_PARTITIONS, source: 'default' }
    : { partitions: requested, source: 'configured' };
}

/** One line for a worker's start log: which count, and why. */
export function describeStorePartitions(p: StorePartitions): string {
  const count = p.partitions === 0 ? 'one gate (no partitions)' : `${p.partitions} partitions`;
  switch (p.source) {
    case 'recorded':
      return `${count}, as recorded in the store`;
    case 'gate':
      return `${count}: the store was applied to with one gate before partition counts were recorded`;
    case 'configured':
      return `${count}, as configured, recorded for this new store`;
    case 'default':
      return `${count} (the default for a new store), recorded for this store`;
  }
}
