/**
 * Retention in the Redis store (issue #15, docs/retention.md): moves the watermark, then deletes
 * what lies before it — person-days with their members, bills, emitted decisions, written
 * outbound files whose decisions are gone, written acknowledgment files — page by page. Each page
 * is found with HSCAN (bounded by `scanCount`, never KEYS) and deleted by one call of
 * lua/retention-prune.lua, which re-checks every item, bumps the store version when it deletes
 * state the core reads (a batch that loaded it recomputes), and adds to the `pruned:*` counters in
 * the meta hash that `s321 queue status` shows.
 *
 * The Redis store keeps no pruned-bill knowledge, only the watermark: a set of pruned bill keys
 * would grow without end in memory, which is what retention is for (docs/retention.md says what
 * the watermark alone leaves to the core).
 *
 * Acknowledgment files carry no day: the first prune that sees one stamps it with the latest day
 * held then (the `ackday` hash), and it ages from that day.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { nextWatermark, type RetentionPolicy } from '../../../core/aggregate/retention.js';
import type { OutboundRecord } from '../../../ports/decision-store.js';
import { decodeBillValue } from './bill-value.js';
import { decodeDecisionValue } from './decision-value.js';
import { scanHash } from './hash-scan.js';
import { partitionStoreKeys, routerKeys, type StoreKeys, storeKeys } from './store-keys.js';
import { existingPartitions, resolveStorePartitions } from './store-partitions.js';

/** The keys retention reads and deletes (all under the store's one hash tag). */
export interface RetentionKeys {
  meta: string;
  personDays: string;
  bills: string;
  pending: string;
  decisions: string;
  decisionLog: string;
  unwritten: string;
  outboundFiles: string;
  /** Acknowledgment file name → the day it ages from. */
  ackDays: string;
}

export function retentionKeysOf(keys: StoreKeys): RetentionKeys {
  return {
    meta: keys.meta,
    personDays: keys.personDays,
    bills: keys.bills,
    pending: keys.pending,
    decisions: keys.decisions,
    decisionLog: keys.decisionLog,
    unwritten: keys.unwritten,
    outboundFiles: keys.outboundFiles,
    ackDays: `${keys.prefix}ackday`,
  };
}

/** What one prune removed. */
export interface RedisPruneCounts {
  watermark: string;
  previous: string | undefined;
  personDays: number;
  bills: number;
  decisions: number;
  outboundFiles: number;
  ackFiles: number;
}

/** The watermark and the pruned counters over the store's life. */
export interface RedisRetentionTotals {
  watermark: string | undefined;
  prunes: number;
  personDays: number;
  bills: number;
  decisions: number;
  outboundFiles: number;
  ackFiles: number;
}

type PruneClient = Redis & {
  s321RetentionPrune(numKeys: number, ...args: string[]): Promise<string | number>;
};

const SCRIPT = 's321RetentionPrune';
const LUA_DIR = fileURLToPath(new URL('./lua/', import.meta.url));

function withPruneScript(client: Redis): PruneClient {
  const typed = client as PruneClient & { __s321Retention?: true };
  if (typed.__s321Retention !== true) {
    // write-guard.lua is prepended, as to the store's other scripts (lua-scripts.ts).
    const lua = `${readFileSync(join(LUA_DIR, 'write-guard.lua'), 'utf8')}\n${readFileSync(join(LUA_DIR, 'retention-prune.lua'), 'utf8')}`;
    client.defineCommand(SCRIPT, { lua });
    typed.__s321Retention = true;
  }
  return typed;
}

export interface RedisPruneOptions {
  /** HSCAN COUNT per page, and so the most items one script call deletes. Default 500. */
  scanCount?: number;
  /** Called with each page of bill keys deleted (a partitioned store drops them from its index). */
  onBillsPruned?: (keys: string[]) => Promise<void>;
}

/**
 * Moves the watermark by the policy and prunes what lies before it. undefined when the watermark
 * does not move (window off, empty store, no newer day since the last prune).
 */
export async function pruneRedisStore(
  redis: Redis,
  keys: RetentionKeys,
  policy: RetentionPolicy,
  options: RedisPruneOptions = {},
): Promise<RedisPruneCounts | undefined> {
  const previous = await watermarkOf(redis, keys);
  const latest = await latestDayHeld(redis, keys, options.scanCount);
  const wanted = nextWatermark(policy, latest, previous);
  if (wanted === undefined || wanted === previous || latest === undefined) return undefined;
  return pruneRedisTo(redis, keys, wanted, latest, options);
}

/** The store's watermark (undefined: never pruned). */
export async function watermarkOf(redis: Redis, keys: RetentionKeys): Promise<string | undefined> {
  return (await redis.hget(keys.meta, 'rwm')) ?? undefined;
}

/** The latest person-day day the store holds (one HSCAN of the person-day fields). */
export async function latestDayHeld(
  redis: Redis,
  keys: RetentionKeys,
  scanCount = 500,
): Promise<string | undefined> {
  let latest: string | undefined;
  await scanHash(redis, keys.personDays, scanCount, (fields) => {
    for (const [f] of fields) {
      const day = f.slice(0, 10);
      if (latest === undefined || day > latest) latest = day;
    }
  });
  return latest;
}

/**
 * Moves the store's watermark to `wanted` (never back) and deletes what lies before it, page by
 * page. `latest`: the latest day held, which acknowledgment files seen for the first time age from.
 */
export async function pruneRedisTo(
  redis: Redis,
  keys: RetentionKeys,
  wanted: string,
  latest: string,
  options: RedisPruneOptions = {},
): Promise<RedisPruneCounts> {
  const client = withPruneScript(redis);
  const count = options.scanCount ?? 500;
  const previous = await watermarkOf(redis, keys);
  const watermark = String(await client.s321RetentionPrune(1, keys.meta, 'mark', wanted, ''));
  const call = (op: string, opKeys: string[], extra: string, items: string[]) =>
    client.s321RetentionPrune(1 + opKeys.length, keys.meta, ...opKeys, op, watermark, extra, ...items);
  const step = async (op: string, opKeys: string[], extra: string, items: string[]): Promise<number> =>
    items.length === 0 ? 0 : Number(await call(op, opKeys, extra, items));

  const counts: RedisPruneCounts = {
    watermark,
    previous,
    personDays: 0,
    bills: 0,
    decisions: 0,
    outboundFiles: 0,
    ackFiles: 0,
  };
  await scanHash(client, keys.personDays, count, async (page) => {
    const old = page.filter(([f]) => f.slice(0, 10) < watermark).map(([f]) => f);
    counts.personDays += await step('pds', [keys.personDays], '', old);
  });
  await scanHash(client, keys.bills, count, async (page) => {
    const old: string[] = [];
    for (const [key, value] of page) {
      const bill = decodeBillValue(key, value);
      // A bill leaves with its day; a status stub (no day yet) with the day its status named.
      const basis = bill.day ?? bill.eda ?? bill.arrivalDate;
      if (basis !== undefined && basis < watermark) old.push(key, value);
    }
    if (old.length === 0) return;
    const deleted = (await call('bills', [keys.bills], '', old)) as unknown as string[];
    counts.bills += deleted.length;
    if (deleted.length > 0 && options.onBillsPruned !== undefined) await options.onBillsPruned(deleted);
  });
  await scanHash(client, keys.decisions, count, async (page) => {
    const old = page
      .filter(([id, value]) => decodeDecisionValue(id, value).day < watermark)
      .map(([id]) => id);
    counts.decisions += await step('decs', [keys.pending, keys.decisions, keys.decisionLog], '', old);
  });
  await scanHash(client, keys.outboundFiles, count, async (page) => {
    const files = page.map(([name, json]) => ({ name, record: JSON.parse(json) as OutboundRecord }));
    const acks = files.filter((f) => f.record.channel === 'ack');
    const stamps = acks.length > 0 ? await client.hmget(keys.ackDays, ...acks.map((f) => f.name)) : [];
    const oldAcks: string[] = [];
    const unstamped: string[] = [];
    acks.forEach((f, i) => {
      const day = stamps[i];
      if (day === null || day === undefined) unstamped.push(f.name, latest);
      else if (day < watermark) oldAcks.push(f.name);
    });
    if (unstamped.length > 0) await client.hset(keys.ackDays, ...unstamped);
    counts.ackFiles += await step(
      'files',
      [keys.unwritten, keys.outboundFiles, keys.ackDays],
      'acks',
      oldAcks,
    );
    const done: string[] = [];
    for (const f of files) {
      if (f.record.channel === 'ack' || f.record.decisionIds.length === 0) continue;
      const held = await client.hmget(keys.decisions, ...f.record.decisionIds);
      if (held.every((v) => v === null)) done.push(f.name);
    }
    counts.outboundFiles += await step(
      'files',
      [keys.unwritten, keys.outboundFiles, keys.ackDays],
      'files',
      done,
    );
  });
  return counts;
}

/** The watermark and the counters `s321 queue status` shows. */
export async function redisRetentionTotals(
  client: Redis,
  keys: RetentionKeys,
): Promise<RedisRetentionTotals> {
  const [rwm, runs, pds, bills, decs, files, acks] = await client.hmget(
    keys.meta,
    'rwm',
    'pruned:runs',
    'pruned:pds',
    'pruned:bills',
    'pruned:decs',
    'pruned:files',
    'pruned:acks',
  );
  const n = (v: string | null | undefined): number => (v === null || v === undefined ? 0 : Number(v));
  return {
    watermark: rwm ?? undefined,
    prunes: n(runs),
    personDays: n(pds),
    bills: n(bills),
    decisions: n(decs),
    outboundFiles: n(files),
    ackFiles: n(acks),
  };
}

/**
 * Retention over a store split into partitions (each a store of its own keys under its own hash
 * tag): one watermark for all of them — `days` back from the latest day any partition holds — so a
 * day is pruned everywhere or nowhere, whatever partition its consignee hashes to. A partition
 * whose watermark is behind (new, or a prune interrupted) is brought up to it. Bill keys deleted
 * from a partition are dropped from the bill → partition index `owners` (in the router's slot, so a
 * separate HDEL per page); a status routed meanwhile to the old owner finds no bill there and is
 * decided by the watermark like any other.
 */
export async function pruneRedisPartitions(
  redis: Redis,
  partitions: readonly RetentionKeys[],
  owners: string | undefined,
  policy: RetentionPolicy,
  options: Omit<RedisPruneOptions, 'onBillsPruned'> = {},
): Promise<RedisPruneCounts | undefined> {
  const marks = await Promise.all(partitions.map((k) => watermarkOf(redis, k)));
  const previous = marks.reduce<string | undefined>(
    (a, b) => (b !== undefined && (a === undefined || b > a) ? b : a),
    undefined,
  );
  let latest: string | undefined;
  for (const k of partitions) {
    const day = await latestDayHeld(redis, k, options.scanCount);
    if (day !== undefined && (latest === undefined || day > latest)) latest = day;
  }
  const wanted = nextWatermark(policy, latest, previous);
  if (wanted === undefined || latest === undefined || marks.every((m) => m === wanted)) return undefined;
  const total: RedisPruneCounts = {
    watermark: wanted,
    previous,
    personDays: 0,
    bills: 0,
    decisions: 0,
    outboundFiles: 0,
    ackFiles: 0,
  };
  const onBillsPruned =
    owners === undefined
      ? undefined
      : async (keys: string[]): Promise<void> => {
          await redis.hdel(owners, ...keys);
        };
  for (const [i, k] of partitions.entries()) {
    if (marks[i] === wanted) continue;
    const c = await pruneRedisTo(redis, k, wanted, latest, {
      ...options,
      ...(onBillsPruned !== undefined ? { onBillsPruned } : {}),
    });
    total.personDays += c.personDays;
    total.bills += c.bills;
    total.decisions += c.decisions;
    total.outboundFiles += c.outboundFiles;
    total.ackFiles += c.ackFiles;
  }
  return total;
}

/** The counters of every partition added up; the watermark is the lowest any partition has. */
export async function redisPartitionsRetentionTotals(
  redis: Redis,
  partitions: readonly RetentionKeys[],
): Promise<RedisRetentionTotals> {
  const all = await Promise.all(partitions.map((k) => redisRetentionTotals(redis, k)));
  const marks = all.map((t) => t.watermark);
  return {
    watermark: marks.some((m) => m === undefined)
      ? undefined
      : marks.reduce<string | undefined>((a, b) => (a === undefined || (b as string) < a ? b : a), undefined),
    prunes: Math.max(0, ...all.map((t) => t.prunes)),
    personDays: all.reduce((s, t) => s + t.personDays, 0),
    bills: all.reduce((s, t) => s + t.bills, 0),
    decisions: all.reduce((s, t) => s + t.decisions, 0),
    outboundFiles: all.reduce((s, t) => s + t.outboundFiles, 0),
    ackFiles: all.reduce((s, t) => s + t.ackFiles, 0),
  };
}

/**
 * What retention prunes in a queue-mode store: the store under `namespace` (acknowledgment files,
 * and all the state when it is not partitioned) and, when it has partitions, each partition, with
 * the router's bill → partition index. The partition count is the store's as every process
 * resolves it (store-partitions.ts: recorded, so admin commands need not be told it; `partitions`,
 * the operator's, is refused when it differs).
 */
export async function queueRetentionTargets(
  redis: Redis,
  namespace: string,
  partitions: number | undefined,
): Promise<{ stores: RetentionKeys[]; owners: string | undefined }> {
  const router = routerKeys(namespace);
  const count = existingPartitions(await resolveStorePartitions(redis, namespace, partitions));
  const shared = retentionKeysOf(storeKeys(namespace));
  if (count === 0) return { stores: [shared], owners: undefined };
  return {
    stores: [
      shared,
      ...Array.from({ length: count }, (_, p) => retentionKeysOf(partitionStoreKeys(namespace, p))),
    ],
    owners: router.owners,
  };
}
