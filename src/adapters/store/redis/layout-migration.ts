/**
 * `s321 queue migrate`: rewrites a Redis store of key layout 2 (each person-day's members in a
 * sorted set of its own, `pdm:<day>:<consignee key>`) into layout 3 (the members are the `|` part of
 * the person-day value, person-day-value.ts), in place, page by page (HSCAN, never KEYS).
 *
 * Why a migration and not both layouts read side by side: the commit script would have to look for
 * an old member set on every person-day it touches, for ever, and the loader to read both; a
 * one-off rewrite keeps the hot path to one layout. Workers of this version refuse an older store
 * (STORE_OLD_LAYOUT) until it ran, so nothing is decided from a half-read store. Run it with the
 * workers stopped (docs/queue-mode.md "Memory"): a worker of the previous version does not check
 * the layout and would go on writing member sets.
 *
 * Each person-day is rewritten with its member set deleted in one MULTI, so a migration stopped
 * half way is simply run again: a person-day whose set is gone already carries its members.
 */
import type { Redis } from 'ioredis';
import { scanHash } from './hash-scan.js';
import { memberListOf } from './loaded-state.js';
import { decodeMembers, decodePersonDayValue, encodePersonDayEntry } from './person-day-value.js';
import { STORE_LAYOUT } from './redis-store.js';
import { partitionStoreKeys, type StoreKeys, storeKeys } from './store-keys.js';
import { existingPartitions, resolveStorePartitions } from './store-partitions.js';
import { StoreLayoutError } from './store-record-error.js';

export interface LayoutMigration {
  prefix: string;
  /** The layout found ('' when none was recorded). */
  from: string;
  /** Person-day values rewritten, and member sets folded into them (and deleted). */
  personDays: number;
  memberSets: number;
  /** Member sets whose person-day record does not exist: left in place (nothing is dropped) and counted. */
  orphanMemberSets: number;
}

export async function migrateStoreLayout(
  client: Redis,
  keys: StoreKeys,
  options: { scanCount?: number } = {},
): Promise<LayoutMigration> {
  const count = options.scanCount ?? 500;
  const from = (await client.hget(keys.meta, 'layout')) ?? '';
  const result: LayoutMigration = {
    prefix: keys.prefix,
    from,
    personDays: 0,
    memberSets: 0,
    orphanMemberSets: 0,
  };
  if (from === STORE_LAYOUT) return result;
  if (from !== '') throw new StoreLayoutError(keys.prefix, from, STORE_LAYOUT);

  await scanHash(client, keys.personDays, count, async (page) => {
    const read = client.pipeline();
    for (const [field] of page) read.zrange(`${keys.legacyMembers}${field}`, '0', '-1', 'WITHSCORES');
    const sets = (await read.exec()) ?? [];
    const write = client.multi();
    page.forEach(([field, value], i) => {
      const reply = sets[i];
      if (reply === undefined || reply[0] !== null) throw reply?.[0] ?? new Error('missing member set reply');
      const set = reply[1] as string[];
      // No set: none was ever written, or a run before this one folded it already.
      const members = set.length > 0 ? memberListOf(set) : decodeMembers(field, value);
      write.hset(keys.personDays, field, encodePersonDayEntry(decodePersonDayValue(field, value), members));
      if (set.length > 0) {
        write.del(`${keys.legacyMembers}${field}`);
        result.memberSets += 1;
      }
      result.personDays += 1;
    });
    await write.exec();
  });

  // A member set without its person-day record cannot be folded anywhere: counted, never dropped.
  let cursor = '0';
  do {
    const [next, found] = await client.scan(
      cursor,
      'MATCH',
      `${escapeGlob(keys.legacyMembers)}*`,
      'COUNT',
      count,
    );
    cursor = next;
    result.orphanMemberSets += found.length;
  } while (cursor !== '0');

  // The version moves too: a batch loaded before the migration is stale.
  await client.multi().hset(keys.meta, 'layout', STORE_LAYOUT).hincrby(keys.meta, 'version', 1).exec();
  return result;
}

/**
 * Every store of a queue namespace: the plain store and, when the namespace is partitioned (its
 * count as every process resolves it, store-partitions.ts; `partitions` is the operator's, refused
 * when it differs from the recorded one), each partition's (the router's keys have no layout).
 */
export async function migrateQueueStores(
  client: Redis,
  namespace: string,
  partitions: number | undefined,
): Promise<LayoutMigration[]> {
  const count = existingPartitions(await resolveStorePartitions(client, namespace, partitions));
  const stores = [
    storeKeys(namespace),
    ...Array.from({ length: count }, (_, p) => partitionStoreKeys(namespace, p)),
  ];
  const out: LayoutMigration[] = [];
  for (const keys of stores) out.push(await migrateStoreLayout(client, keys));
  return out;
}

/** A literal prefix for SCAN MATCH (the store prefix holds `{`/`}`, and a namespace may hold more). */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
