/**
 * The router of a partitioned Redis store (issue #15): the bill → partition index, the interchange
 * de-duplication records and the routing gate, all under one hash tag (store-keys.ts RouterKeys).
 * It only reads and records; what to route where is decided by app/queue/route-input.ts (the one
 * duplicate rule) and core/aggregate/partition-routing.ts.
 */
import type { Redis } from 'ioredis';
import { assertPartitions } from '../../../core/aggregate/partition-routing.js';
import { type StoreScripts, withStoreScripts } from './lua-scripts.js';
import { type GateState, type PartPosition, parseGate } from './ordered-gate.js';
import { type RouterKeys, routerKeys, storeKeys } from './store-keys.js';

/**
 * The store was created with another partition count (STORE_PARTITIONS_MISMATCH); 0 stands for an
 * unpartitioned store (one gate) or worker.
 */
export class StorePartitionsMismatchError extends Error {
  readonly code = 'STORE_PARTITIONS_MISMATCH';
  constructor(
    readonly stored: number,
    readonly mine: number,
  ) {
    const count = (n: number): string => (n === 0 ? 'no partitions (one gate)' : `${n} partitions`);
    super(
      `this store was created with ${count(stored)}; this worker is configured with ${count(mine)}: a store keeps the partition count it was created with`,
    );
    this.name = 'StorePartitionsMismatchError';
  }
}

/**
 * An unpartitioned worker's check: refuses a namespace whose router recorded a partition count
 * (its state is in the partitions' keys, which an unpartitioned worker does not read); a recorded
 * 0 is a one-gate store (store-partitions.ts).
 */
export async function assertUnpartitioned(client: Redis, namespace: string): Promise<void> {
  const stored = await client.hget(routerKeys(namespace).meta, 'partitions');
  if (stored !== null && Number(stored) !== 0) throw new StorePartitionsMismatchError(Number(stored), 0);
}

export type RouteReply =
  | { kind: 'ok'; r: number }
  | { kind: 'routed'; routing: string | null }
  | { kind: 'gate'; gate: GateState };

const DEFAULT_ROUTE_TTL = 7 * 24 * 3600;
const HMGET_CHUNK = 5_000;

export class RedisPartitionRouter {
  readonly keys: RouterKeys;
  private readonly client: Redis & StoreScripts;

  constructor(
    client: Redis,
    private readonly namespace: string,
    readonly partitions: number,
    private readonly routeTtlSeconds = DEFAULT_ROUTE_TTL,
  ) {
    assertPartitions(partitions);
    this.keys = routerKeys(namespace);
    this.client = withStoreScripts(client);
  }

  /**
   * Records P on a new store, or checks it against the stored one (throws on a mismatch). A
   * namespace whose own store was applied to unpartitioned (its gate is set) is refused
   * as a store of 0 partitions: partitions start from their own, empty keys, so its state would be
   * ignored and its inputs decided again from nothing.
   */
  async claimPartitions(): Promise<void> {
    if ((await this.client.hget(this.keys.meta, 'partitions')) === null) {
      // The gate: set by an unpartitioned part's commit or skip only (retention and the shared
      // store's acknowledgments and control numbers never set it).
      const gseq = await this.client.hget(storeKeys(this.namespace).meta, 'gseq');
      if (gseq !== null) throw new StorePartitionsMismatchError(0, this.partitions);
    }
    await this.client.hsetnx(this.keys.meta, 'partitions', String(this.partitions));
    const stored = Number(await this.client.hget(this.keys.meta, 'partitions'));
    if (stored !== this.partitions) throw new StorePartitionsMismatchError(stored, this.partitions);
  }

  /** Checks P against the stored one without recording it (readers: a new store passes). */
  async checkPartitions(): Promise<void> {
    const stored = await this.client.hget(this.keys.meta, 'partitions');
    if (stored !== null && Number(stored) !== this.partitions)
      throw new StorePartitionsMismatchError(Number(stored), this.partitions);
  }

  /** The last routed input part. */
  async gate(): Promise<GateState> {
    const [seq, part, done] = await this.client.hmget(this.keys.meta, 'gseq', 'gpart', 'gdone');
    return parseGate(seq, part, done);
  }

  /** Waits (polling) until the routing gate is no longer at `from`, at most `timeoutMs`. */
  async gateChange(from: GateState, timeoutMs: number, signal?: AbortSignal): Promise<GateState> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const gate = await this.gate();
      if (gate.seq !== from.seq || gate.part !== from.part || gate.done !== from.done) return gate;
      if (performance.now() >= deadline || signal?.aborted === true) return gate;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** How many input parts were routed: the partitions' sequence of the last one. */
  async routedCount(): Promise<number> {
    const v = await this.client.hget(this.keys.meta, 'rseq');
    return v === null ? 0 : Number(v);
  }

  /** Records that input `seq` was skipped by an operator (listed by `s321 queue status`). */
  async recordSkip(seq: number, reason: string): Promise<void> {
    await this.client.hset(this.keys.skipped, String(seq), reason);
  }

  /** Skipped inputs and their reasons, by sequence. */
  async skipped(): Promise<Array<{ seq: number; reason: string }>> {
    const all = await this.client.hgetall(this.keys.skipped);
    return Object.entries(all)
      .map(([seq, reason]) => ({ seq: Number(seq), reason }))
      .sort((a, b) => a.seq - b.seq);
  }

  /** The stored routing of input part (seq, part), if it was routed (and its record not expired). */
  async storedRouting(seq: number, part: number): Promise<string | null> {
    return this.client.get(this.keys.route(seq, part));
  }

  /** Owners of `bills` and first files of interchanges `icFields`, in one snapshot with the gate. */
  async read(
    bills: readonly string[],
    icFields: readonly string[],
  ): Promise<{ gate: GateState; owners: Map<string, number>; interchanges: Map<string, string> }> {
    const multi = this.client.multi();
    multi.hmget(this.keys.meta, 'gseq', 'gpart', 'gdone');
    for (const chunk of chunks(bills)) multi.hmget(this.keys.owners, ...chunk);
    for (const chunk of chunks(icFields)) multi.hmget(this.keys.interchanges, ...chunk);
    const replies = (await multi.exec()) ?? [];
    let at = 0;
    const next = (): unknown => {
      const r = replies[at++];
      if (r === undefined) throw new Error('short MULTI reply');
      if (r[0] !== null) throw r[0];
      return r[1];
    };
    const [gseq, gpart, gdone] = next() as Array<string | null>;
    const owners = new Map<string, number>();
    for (const chunk of chunks(bills)) {
      const values = next() as Array<string | null>;
      chunk.forEach((k, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) owners.set(k, Number(v));
      });
    }
    const interchanges = new Map<string, string>();
    for (const chunk of chunks(icFields)) {
      const values = next() as Array<string | null>;
      chunk.forEach((f, i) => {
        const v = values[i];
        if (v !== null && v !== undefined) interchanges.set(f, v);
      });
    }
    return { gate: parseGate(gseq, gpart, gdone), owners, interchanges };
  }

  /** Records the routing of input part `pos` when its predecessor is the last routed one. */
  async commit(
    pos: PartPosition,
    routing: string,
    changedOwners: ReadonlyMap<string, number>,
    interchanges: ReadonlyArray<readonly [field: string, file: string]>,
  ): Promise<RouteReply> {
    const records: string[] = [];
    for (const [bill, p] of changedOwners) records.push(bill, String(p));
    for (const [field, file] of interchanges) records.push(field, file);
    let reply: unknown[];
    try {
      reply = await this.client.s321RouteInput(
        this.keys.meta,
        this.keys.prefix,
        `${pos.seq}:${pos.part}:${pos.last ? 1 : 0}`,
        String(this.partitions),
        routing,
        String(this.routeTtlSeconds),
        String(changedOwners.size),
        records,
      );
    } catch (err) {
      const m = /\bSTORE_PARTITIONS_MISMATCH (\d+)/.exec(err instanceof Error ? err.message : String(err));
      if (m !== null) throw new StorePartitionsMismatchError(Number(m[1]), this.partitions);
      throw err;
    }
    const kind = String(reply[0]);
    if (kind === 'OK') return { kind: 'ok', r: Number(reply[1]) };
    if (kind === 'ROUTED') return { kind: 'routed', routing: reply[1] === null ? null : String(reply[1]) };
    if (kind === 'GATE')
      return {
        kind: 'gate',
        gate: { seq: Number(reply[1]), part: Number(reply[2]), done: Number(reply[3]) === 1 },
      };
    throw new Error(`route script replied ${kind}`);
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += HMGET_CHUNK) yield items.slice(i, i + HMGET_CHUNK);
}
