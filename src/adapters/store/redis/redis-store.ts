/**
 * Queue-mode DecisionStore on Redis. It only loads state and commits: the batch use case
 * (app/apply-batch.ts; app/queue/apply-in-order.ts for queue parts) runs the same pure core as on
 * SQLite over this store's BatchSession, whose view is backed by maps loaded from Redis; a key the
 * core needs but was not loaded is loaded and the batch run again, and the resulting ChangeSet is
 * committed by one Lua script (lua/commit-batch.lua) that first checks
 *  - the store version the batch was computed against (optimistic concurrency: nothing else wrote), and
 *  - for queue inputs, the ordered gate (the part is the next one in arrival order; see ordered-gate.ts).
 * A part whose position is already applied is never applied again: its stored outcome is returned.
 */
import { Redis } from 'ioredis';
import type { InterchangeEvents, StateKeys } from '../../../core/aggregate/engine.js';
import type { AuditRecord, BillRecord } from '../../../core/aggregate/state.js';
import type { Decision } from '../../../core/model/decision.js';
import type { ApiReads, ListedPersonDay, PersonDayScan } from '../../../ports/api.js';
import {
  type BatchCommit,
  type BatchOutcome,
  type BatchSession,
  checkControlRange,
  type DecisionStore,
  OutboundConflictError,
  type OutboundRecord,
  type PersonDayReport,
  type ReadSession,
  StaleStateError,
} from '../../../ports/decision-store.js';

export { OutboundConflictError };

import { decodeBillValue, encodeBillValue } from './bill-value.js';
import { decodeDecisionValue, encodeDecisionValue } from './decision-value.js';
import { GateWatcher } from './gate-watcher.js';
import { scanHash } from './hash-scan.js';
import { LoadedState } from './loaded-state.js';
import { type StoreScripts, withStoreScripts } from './lua-scripts.js';
import {
  assertPosition,
  type GateRelation,
  type GateState,
  gateRelation,
  type PartPosition,
  parseGate,
} from './ordered-gate.js';
import { decodeMembers, decodePersonDayValue, encodePersonDayValue } from './person-day-value.js';
import {
  interchangeField,
  partitionStoreKeys,
  personDayField,
  type StoreKeys,
  storeKeys,
} from './store-keys.js';
import { StoreLayoutError } from './store-record-error.js';

export interface RedisStoreOptions {
  /** Separates stores sharing one Redis (tests, tenants): keys are `s321:{namespace}:…`. */
  namespace: string;
  /** A connected client to use (not closed by close()); else one is opened on `url`. */
  client?: Redis;
  url?: string;
  /**
   * Id of the aggregation configuration (rules calendar, overrides, hold codes, commodity lists).
   * The first commit records it; a worker with another configuration is refused (CONFIG mismatch),
   * because two configurations on one store would make decisions depend on which worker ran.
   */
  configId?: string;
  /** How long the outcome of an applied part is kept for redeliveries (default 7 days). */
  outcomeTtlSeconds?: number;
  /** Load-and-rerun rounds per batch before giving up (default 64; a batch needs 1-4 in practice). */
  maxLoadRounds?: number;
  /** Partition `partition` of the partitioned store `namespace` (keys: store-keys.ts). */
  partition?: number;
}

/** What a batch of one partition of a partitioned store carries besides its events (issue #15). */
export interface PartitionBatch {
  /**
   * Bills moving in from another partition, as they stood there (encoded bill values): the view
   * answers with them, not counted anywhere, so the core places them as it places a bill that
   * joins a person-day (their person-day in the other partition was left by its departure).
   */
  imports?: ReadonlyMap<string, BillRecord>;
  /** Bills leaving this partition: bill key → handoff field (store-keys.ts handoffField). */
  departures?: ReadonlyMap<string, string>;
  /** Record the interchanges applied (false: the partitioned store's router keeps them). */
  recordInterchanges?: boolean;
  /**
   * Positions right after `pos`, in order, applied by the same commit (a partition applies the
   * parts waiting in its queue as one batch): the gate checks `pos`'s predecessor and moves to the
   * last of them, and each gets an outcome record naming the position whose record holds the
   * batch's decisions, audit range and event count (`pos`), so a redelivered part of the range
   * finds it applied.
   */
  following?: ReadonlyArray<{ pos: PartPosition; files: string[] }>;
}

/** Result of an ordered (queue-mode) apply. */
export type OrderedResult =
  | { status: 'applied'; outcome: BatchOutcome; rounds: number }
  /** Applied before (a redelivery or a crash after commit): the stored outcome, nothing applied now. */
  | { status: 'already-applied'; outcome: BatchOutcome | undefined; reason?: string }
  /** The predecessor part is not applied yet after waiting `waitMs`. */
  | { status: 'not-ready'; gate: GateState };

export interface OrderedOptions {
  /** Why an input commits no events (rejected, dead-lettered): recorded with its outcome. */
  reason?: string;
  /** How long to wait for the predecessor before answering not-ready (default 0: do not wait). */
  waitMs?: number;
  signal?: AbortSignal;
}

/** The stored record of an applied part. */
export interface PartOutcomeRecord {
  seq: number;
  part: number;
  last: boolean;
  decisionIds: string[];
  duplicates: BatchOutcome['duplicates'];
  eventsApplied: number;
  reason?: string;
  /** Files of the interchanges applied (for operators tracing an input). */
  files: string[];
  /**
   * Partitioned stores: this part was applied in one commit with the parts up to `through`; its
   * record holds the whole batch's decisions, audit range and events (PartitionBatch.following).
   */
  through?: { seq: number; part: number };
  /** Applied in the batch whose first part (and outcome with its decisions) is `appliedWith`. */
  appliedWith?: { seq: number; part: number };
}

export class StoreConfigMismatchError extends Error {
  constructor(stored: string, mine: string) {
    super(
      `this store was written with aggregation configuration ${stored}; this worker has ${mine}: all workers of one store must share one configuration`,
    );
    this.name = 'StoreConfigMismatchError';
  }
}

const DEFAULT_OUTCOME_TTL = 7 * 24 * 3600;
/**
 * Key layout this version reads and writes (meta `layout`; lua/commit-batch.lua holds the same
 * value): 3 = person-day members inside the person-day value. Stores written before layouts were
 * recorded (member sets `pdm:*`) are refused until `s321 queue migrate` (layout-migration.ts).
 */
export const STORE_LAYOUT = '3';
const HMGET_CHUNK = 5_000;

export class RedisDecisionStore implements DecisionStore, ApiReads {
  readonly keys: StoreKeys;
  private readonly client: Redis & StoreScripts;
  private readonly ownsClient: boolean;
  private readonly configId: string;
  private readonly outcomeTtl: number;
  private readonly maxRounds: number;
  private watcher: GateWatcher | undefined;
  /**
   * Where the time of applied batches went (milliseconds) and how much they read (`memberLists`:
   * person-day member lists requested), for throughput analysis.
   */
  readonly timings = {
    batches: 0,
    rounds: 0,
    loadMs: 0,
    computeMs: 0,
    commitMs: 0,
    waitMs: 0,
    memberLists: 0,
  };

  constructor(options: RedisStoreOptions) {
    this.keys =
      options.partition === undefined
        ? storeKeys(options.namespace)
        : partitionStoreKeys(options.namespace, options.partition);
    if (options.client !== undefined) {
      this.client = withStoreScripts(options.client);
      this.ownsClient = false;
    } else {
      if (options.url === undefined) throw new Error('RedisDecisionStore needs a client or a url');
      this.client = withStoreScripts(new Redis(options.url, redisStoreClientOptions()));
      this.ownsClient = true;
    }
    this.configId = options.configId ?? '';
    this.outcomeTtl = options.outcomeTtlSeconds ?? DEFAULT_OUTCOME_TTL;
    this.maxRounds = options.maxLoadRounds ?? 64;
  }

  // ---- applying batches -------------------------------------------------------------------------

  /**
   * Port method: one attempt at a batch (app/apply-batch.ts drives it). Its view answers from what
   * `load` fetched, recording misses; its commit is the Lua commit script, checking the store
   * version the loads saw and, for a queue part (`ordered`), the ordered gate, and recording the
   * part's outcome with it.
   */
  openBatch(ordered?: { pos: PartPosition; reason?: string } & PartitionBatch): BatchSession {
    const state = new LoadedState();
    for (const [key, bill] of ordered?.imports ?? []) state.bills.set(key, encodeBillValue(bill));
    // A partition of a partitioned store neither reads nor records interchange records: its router
    // screened the input's duplicates before routing it.
    const screens = ordered?.recordInterchanges !== false;
    return {
      view: (misses) => state.view(misses),
      appliedFile: (ic) =>
        screens
          ? (state.interchanges.get(interchangeField(ic.sender, ic.controlNumber, ic.fingerprint)) ??
            undefined)
          : undefined,
      load: (need, interchanges) => this.load(state, need, screens ? interchanges : []),
      maxLoadRounds: this.maxRounds,
      // Only the watermark: the Redis store keeps no pruned-bill set (retention.ts says why).
      retention: () => ({ watermark: state.watermark, wasPruned: () => false }),
      commit: async (batch) => {
        this.timings.batches += 1;
        this.timings.rounds += batch.rounds;
        this.timings.computeMs += batch.computeMs;
        const reply = await this.commit(state, batch, ordered?.pos, ordered?.reason, ordered);
        return reply.kind === 'ok';
      },
      close: () => {},
    };
  }

  /**
   * Port method: a read of the state that is never committed (the pre-check). It loads as a batch
   * does, checking that every round saw the same store version (StaleStateError otherwise: the use
   * case reads again), and writes nothing.
   */
  openSnapshot(): ReadSession {
    const state = new LoadedState();
    return {
      view: (misses) => state.view(misses),
      appliedFile: (ic) =>
        state.interchanges.get(interchangeField(ic.sender, ic.controlNumber, ic.fingerprint)) ?? undefined,
      load: (need, interchanges) => this.load(state, need, interchanges),
      maxLoadRounds: this.maxRounds,
      // As a batch sees it: a pre-check of a pruned day answers what a replay then does.
      retention: () => ({ watermark: state.watermark, wasPruned: () => false }),
      close: () => {},
    };
  }

  /**
   * Queue mode: whether part `pos` may be applied now. Waits up to `waitMs` for the predecessor;
   * a part already applied answers with its stored outcome (it is never applied again).
   */
  async turn(
    pos: PartPosition,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<{ status: 'ready' } | Exclude<OrderedResult, { status: 'applied' }>> {
    assertPosition(pos);
    const waitStarted = performance.now();
    const relation = await this.waitForTurn(pos, waitMs, signal);
    this.timings.waitMs += performance.now() - waitStarted;
    if (relation.relation === 'applied') return this.alreadyApplied(pos);
    if (relation.relation === 'waiting') return { status: 'not-ready', gate: relation.gate };
    return { status: 'ready' };
  }

  /** A bill as it stood when it left this partition (partitioned stores; store-keys.ts handoff). */
  async handoffRecord(field: string): Promise<BillRecord | null> {
    const raw = await this.client.hget(this.keys.handoff, field);
    if (raw === null) return null;
    // `<bill key>\0<encoded bill>` (the packed value does not carry its key).
    const sep = raw.indexOf('\u0000');
    return decodeBillValue(raw.slice(0, sep), raw.slice(sep + 1));
  }

  /** Where the gate stands. */
  async gate(): Promise<GateState> {
    const [seq, part, done] = await this.client.hmget(this.keys.meta, 'gseq', 'gpart', 'gdone');
    return parseGate(seq, part, done);
  }

  /**
   * Waits until the gate is no longer at `from` (a commit was announced), at most `timeoutMs`;
   * returns where it stands then.
   */
  async gateChange(from: GateState, timeoutMs: number, signal?: AbortSignal): Promise<GateState> {
    this.watcher ??= new GateWatcher(this.client, this.keys.gateChannel);
    const deadline = Date.now() + timeoutMs;
    let pollMs = 5;
    let gate = await this.gate();
    while (sameGate(gate, from) && Date.now() < deadline && signal?.aborted !== true) {
      await this.watcher.next(Math.min(pollMs, deadline - Date.now()), signal);
      pollMs = Math.min(pollMs * 2, 200);
      gate = await this.gate();
    }
    return gate;
  }

  /** The stored outcome of an applied part (undefined when unknown, expired or skipped). */
  async partOutcome(seq: number, part: number): Promise<PartOutcomeRecord | undefined> {
    const body = await this.client.hget(this.keys.outcome(seq, part), 'body');
    return body === null ? undefined : (JSON.parse(body) as PartOutcomeRecord);
  }

  /**
   * Operator escape hatch: records that input `seq` will never (fully) arrive, so the inputs after it
   * can be applied. Only the gate's next input can be skipped. Its outcome records the reason.
   */
  async skipSequence(seq: number, reason: string): Promise<{ seq: number; part: number }> {
    const record: PartOutcomeRecord = {
      seq,
      part: -1,
      last: true,
      decisionIds: [],
      duplicates: [],
      eventsApplied: 0,
      reason: `skipped by operator: ${reason}`,
      files: [],
    };
    const reply = (await this.client.s321SkipSequence(
      this.keys.meta,
      this.keys.prefix,
      String(seq),
      JSON.stringify(record),
      String(this.outcomeTtl),
    )) as [string, number, number, number?];
    if (reply[0] !== 'OK') {
      const gate = { seq: Number(reply[1]), part: Number(reply[2]), done: Number(reply[3]) === 1 };
      throw new Error(
        `sequence ${seq} is not the next one to apply (the gate is at ${gate.seq}.${gate.part}, ${gate.done ? 'closed' : 'open'})`,
      );
    }
    return { seq: Number(reply[1]), part: Number(reply[2]) };
  }

  /** Skipped sequences and their reasons. */
  async skipped(): Promise<Array<{ seq: number; reason: string }>> {
    const all = await this.client.hgetall(this.keys.skipped);
    return Object.entries(all)
      .map(([seq, body]) => ({
        seq: Number(seq),
        reason: (JSON.parse(body) as PartOutcomeRecord).reason ?? '',
      }))
      .sort((a, b) => a.seq - b.seq);
  }

  private async waitForTurn(
    pos: PartPosition,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ relation: GateRelation; gate: GateState }> {
    let gate = await this.gate();
    let relation = gateRelation(gate, pos);
    if (relation !== 'waiting' || waitMs <= 0) return { relation, gate };
    this.watcher ??= new GateWatcher(this.client, this.keys.gateChannel);
    const deadline = Date.now() + waitMs;
    let pollMs = 5;
    while (relation === 'waiting' && Date.now() < deadline && signal?.aborted !== true) {
      // Woken by the commit script's PUBLISH, or by the poll (a message can be lost on reconnect).
      await this.watcher.next(Math.min(pollMs, deadline - Date.now()), signal);
      pollMs = Math.min(pollMs * 2, 200);
      gate = await this.gate();
      relation = gateRelation(gate, pos);
    }
    return { relation, gate };
  }

  private async alreadyApplied(
    pos: PartPosition,
  ): Promise<Extract<OrderedResult, { status: 'already-applied' }>> {
    const [body, af, at] = await this.client.hmget(this.keys.outcome(pos.seq, pos.part), 'body', 'af', 'at');
    if (body === null || body === undefined)
      return {
        status: 'already-applied',
        outcome: undefined,
        reason: 'applied earlier; its outcome record expired or the input was closed by a skip',
      };
    const record = JSON.parse(body) as PartOutcomeRecord;
    const decisions = await this.decisionsById(record.decisionIds);
    const audit =
      af != null && at != null && Number(at) > Number(af)
        ? (await this.client.lrange(this.keys.audit, Number(af), Number(at) - 1)).map(
            (a) => JSON.parse(a) as AuditRecord,
          )
        : [];
    const outcome: BatchOutcome = {
      decisions,
      audit,
      duplicates: record.duplicates,
      eventsApplied: record.eventsApplied,
    };
    return record.reason !== undefined
      ? { status: 'already-applied', outcome, reason: record.reason }
      : { status: 'already-applied', outcome };
  }

  // ---- loading a batch's state -----------------------------------------------------------------

  /**
   * Loads what `need` names, plus what it implies (a bill's current person-day; a member list's
   * bills), in consistent snapshots: every read round runs in MULTI and must see the same version.
   */
  private async load(
    state: LoadedState,
    need: StateKeys,
    interchanges: readonly InterchangeEvents[],
  ): Promise<void> {
    const started = performance.now();
    try {
      await this.loadRounds(
        state,
        [...need.bills],
        [...need.personDays.values()].map((r) => personDayField(r.consigneeKey, r.day)),
        [...need.members.values()].map((r) => personDayField(r.consigneeKey, r.day)),
        interchanges.map((ic) => interchangeField(ic.sender, ic.controlNumber, ic.fingerprint)),
      );
    } finally {
      this.timings.loadMs += performance.now() - started;
    }
  }

  private async loadRounds(
    state: LoadedState,
    needBills: string[],
    needPds: string[],
    needMembers: string[],
    icFields: string[],
  ): Promise<void> {
    let bills = needBills.filter((k) => !state.bills.has(k));
    let members = needMembers.filter((f) => !state.members.has(f));
    let pds = needPds.filter((f) => !state.personDays.has(f));
    let ics = icFields.filter((f) => !state.interchanges.has(f));
    let first = state.version === undefined;
    for (
      let pass = 0;
      pass < 3 && (first || bills.length + pds.length + members.length + ics.length > 0);
      pass++
    ) {
      // A person-day's value holds its members (layout 3): one read gives the record and the list.
      const pdFields = [...new Set([...pds, ...members])];
      const membersWanted = new Set(members);
      const multi = this.client.multi();
      multi.hmget(this.keys.meta, 'version', 'dseq', 'aseq', 'rwm', 'layout');
      for (const chunk of chunks(bills)) multi.hmget(this.keys.bills, ...chunk);
      for (const chunk of chunks(pdFields)) multi.hmget(this.keys.personDays, ...chunk);
      for (const chunk of chunks(ics)) multi.hmget(this.keys.interchanges, ...chunk);
      this.timings.memberLists += members.length;
      const replies = await multi.exec();
      if (replies === null) throw new StaleStateError();
      let at = 0;
      const next = (): unknown => {
        const r = replies[at++];
        if (r === undefined) throw new Error('short MULTI reply');
        if (r[0] !== null) throw r[0];
        return r[1];
      };
      const [version, dseq, aseq, rwm, layout] = next() as Array<string | null>;
      const v = version === null || version === undefined ? 0 : Number(version);
      if (layout !== STORE_LAYOUT && (v > 0 || (layout ?? null) !== null))
        throw new StoreLayoutError(this.keys.prefix, layout ?? undefined, STORE_LAYOUT);
      if (first) {
        state.version = v;
        state.decisionSeq = dseq === null || dseq === undefined ? 0 : Number(dseq);
        state.acceptSeq = aseq === null || aseq === undefined ? 0 : Number(aseq);
        state.watermark = rwm ?? undefined;
        first = false;
      } else if (state.version !== v) {
        throw new StaleStateError();
      }
      const newBills: Array<[key: string, value: string]> = [];
      for (const chunk of chunks(bills)) {
        const values = next() as Array<string | null>;
        chunk.forEach((k, i) => {
          const raw = values[i] ?? null;
          state.bills.set(k, raw);
          if (raw !== null) newBills.push([k, raw]);
        });
      }
      const memberFields: string[] = [];
      for (const chunk of chunks(pdFields)) {
        const values = next() as Array<string | null>;
        chunk.forEach((f, i) => {
          const raw = values[i] ?? null;
          if (!state.personDays.has(f))
            state.personDays.set(f, raw === null ? null : decodePersonDayValue(f, raw));
          // Decoded only when the core asked for it: a heavy importer's list can be long.
          if (membersWanted.has(f)) {
            state.members.set(f, decodeMembers(f, raw));
            memberFields.push(f);
          }
        });
      }
      for (const chunk of chunks(ics)) {
        const values = next() as Array<string | null>;
        chunk.forEach((f, i) => {
          state.interchanges.set(f, values[i] ?? null);
        });
      }
      const memberKeys: string[] = [];
      for (const f of memberFields) {
        const list = state.members.get(f) as { keys: string[]; seqs: number[] };
        // The core reads only the members a crossing may still notify (PersonDayRecord.unnotifiedFrom).
        const from = state.personDays.get(f)?.unnotifiedFrom ?? 0;
        list.keys.forEach((key, i) => {
          if ((list.seqs[i] as number) >= from) memberKeys.push(key);
        });
      }
      // What the loaded records imply the core will read next.
      const impliedPds = new Set<string>();
      for (const [key, raw] of newBills) {
        const b = decodeBillValue(key, raw);
        if (b.consigneeKey !== undefined && b.day !== undefined)
          impliedPds.add(personDayField(b.consigneeKey, b.day));
      }
      bills = [...new Set(memberKeys)].filter((k) => !state.bills.has(k));
      pds = [...impliedPds].filter((f) => !state.personDays.has(f));
      members = [];
      ics = [];
    }
  }

  // ---- committing -------------------------------------------------------------------------------

  private async commit(
    state: LoadedState,
    batch: BatchCommit,
    pos: PartPosition | undefined,
    reason: string | undefined,
    partition: PartitionBatch | undefined,
  ): Promise<CommitReply> {
    const commitStarted = performance.now();
    const { changes, outcome } = batch;
    const departures = partition?.departures;
    // The script's arguments, flat and section by section (see commit-batch.lua for the layout).
    const billArgs: string[] = [];
    const zremArgs: string[] = [];
    const zaddArgs: string[] = [];
    const hdelArgs: string[] = [];
    const handoffArgs: string[] = [];
    for (const [key, field] of departures ?? []) {
      // The bill as its departure left it (counted nowhere; notifications, standing, arrival and
      // accepted seq kept): the handoff record of the move. Not kept here.
      const left = changes.bills.get(key);
      if (left === undefined) throw new Error(`departing bill ${key} has no record after its departure`);
      hdelArgs.push(key);
      handoffArgs.push(field, `${key}\u0000${encodeBillValue(left)}`);
    }
    for (const bill of changes.bills.values()) {
      if (departures?.has(bill.key) !== true) billArgs.push(bill.key, encodeBillValue(bill));
      const prev = state.storedBill(bill.key);
      const prevPd =
        prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined
          ? personDayField(prev.consigneeKey, prev.day)
          : undefined;
      const nextPd =
        bill.counted && bill.consigneeKey !== undefined && bill.day !== undefined
          ? personDayField(bill.consigneeKey, bill.day)
          : undefined;
      if (prevPd !== undefined && prevPd !== nextPd) zremArgs.push(prevPd, bill.key);
      if (nextPd !== undefined && !(prevPd === nextPd && prev?.acceptedSeq === bill.acceptedSeq)) {
        zaddArgs.push(nextPd, String(bill.acceptedSeq), bill.key);
      }
    }
    const pdArgs: string[] = [];
    for (const pd of changes.personDays.values())
      pdArgs.push(personDayField(pd.consigneeKey, pd.day), encodePersonDayValue(pd));
    const decArgs: string[] = [];
    for (const d of changes.decisions) decArgs.push(d.decisionId, String(d.seq), encodeDecisionValue(d));
    const auditArgs = changes.audit.map((a) => JSON.stringify(a));
    const icArgs: string[] = [];
    for (const ic of partition?.recordInterchanges === false ? [] : batch.fresh)
      icArgs.push(interchangeField(ic.sender, ic.controlNumber, ic.fingerprint), ic.file);
    const header: Record<string, unknown> = {
      v: state.version ?? 0,
      config: this.configId,
      dseq: String(changes.nextDecisionSeq),
      aseq: String(changes.nextAcceptSeq),
      n: {
        bills: billArgs.length / 2,
        pds: pdArgs.length / 2,
        zrem: zremArgs.length / 2,
        zadd: zaddArgs.length / 3,
        decs: decArgs.length / 3,
        audit: auditArgs.length,
        ics: icArgs.length / 2,
        hdel: hdelArgs.length,
        handoff: handoffArgs.length / 2,
      },
    };
    if (pos !== undefined) {
      const record: PartOutcomeRecord = {
        seq: pos.seq,
        part: pos.part,
        last: pos.last,
        decisionIds: outcome.decisions.map((d) => d.decisionId),
        duplicates: outcome.duplicates,
        eventsApplied: outcome.eventsApplied,
        files: [...new Set(batch.fresh.map((ic) => ic.file))],
        ...(reason !== undefined ? { reason } : {}),
      };
      const following = partition?.following ?? [];
      const through = following[following.length - 1]?.pos;
      if (through !== undefined) record.through = { seq: through.seq, part: through.part };
      const last = through ?? pos;
      header.gate = { seq: last.seq, part: last.part, last: last.last };
      if (through !== undefined) {
        header.from = { seq: pos.seq, part: pos.part };
        header.covered = following.map((f) => {
          const covered: PartOutcomeRecord = {
            seq: f.pos.seq,
            part: f.pos.part,
            last: f.pos.last,
            decisionIds: [],
            duplicates: [],
            // Its events are counted in the batch's record (`appliedWith`).
            eventsApplied: 0,
            files: f.files,
            appliedWith: { seq: pos.seq, part: pos.part },
          };
          return [f.pos.seq, f.pos.part, JSON.stringify(covered)];
        });
      }
      header.outcome = JSON.stringify(record);
      header.ttl = this.outcomeTtl;
    }
    const reply = await this.client.s321CommitBatch(
      this.keys.meta,
      this.keys.prefix,
      JSON.stringify(header),
      billArgs.concat(pdArgs, zremArgs, zaddArgs, decArgs, auditArgs, icArgs, hdelArgs, handoffArgs),
    );
    this.timings.commitMs += performance.now() - commitStarted;
    const kind = String(reply[0]);
    if (kind === 'OK') return { kind: 'ok' };
    if (kind === 'GATE') return { kind: 'gate' };
    if (kind === 'STALE') return { kind: 'stale' };
    if (kind === 'CONFIG') throw new StoreConfigMismatchError(String(reply[1]), this.configId);
    if (kind === 'LAYOUT')
      throw new StoreLayoutError(this.keys.prefix, String(reply[1]) || undefined, STORE_LAYOUT);
    throw new Error(`commit script replied ${kind}`);
  }

  // ---- decisions, outbound, control numbers, reports ---------------------------------------------

  async pendingDecisions(fromSeq = 0, limit?: number): Promise<Decision[]> {
    const ids =
      limit === undefined
        ? await this.client.zrangebyscore(this.keys.pending, fromSeq, '+inf')
        : await this.client.zrangebyscore(this.keys.pending, fromSeq, '+inf', 'LIMIT', 0, limit);
    return this.decisionsById(ids);
  }

  /** Every decision in seq order (emitted or not): for reports and tests. */
  async allDecisions(): Promise<Decision[]> {
    return this.decisionsById(await this.client.zrange(this.keys.decisionLog, '0', '-1'));
  }

  private async decisionsById(ids: string[]): Promise<Decision[]> {
    const out: Decision[] = [];
    for (const chunk of chunks(ids)) {
      const values = await this.client.hmget(this.keys.decisions, ...chunk);
      values.forEach((v, i) => {
        if (v === null) throw new Error(`decision ${chunk[i]} is listed but has no record`);
        out.push(decodeDecisionValue(chunk[i] as string, v));
      });
    }
    return out;
  }

  async reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    const first = await this.client.s321ReserveControl(
      this.keys.control,
      JSON.stringify([partner, kind]),
      String(count),
      String(max),
    );
    return Number(first);
  }

  async peekControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    checkControlRange(count, max);
    // The same field and wrap as reserve-control.lua, read without writing.
    const next = await this.client.hget(this.keys.control, JSON.stringify([partner, kind]));
    const first = next === null ? 1 : Number(next);
    return first + count - 1 > max ? 1 : first;
  }

  async recordOutbound(files: OutboundRecord[]): Promise<void> {
    if (files.length === 0) return;
    const payload = files.map((f) => ({ name: f.name, json: JSON.stringify(f), ids: f.decisionIds }));
    try {
      await this.client.s321RecordOutbound(
        this.keys.pending,
        this.keys.outboundFiles,
        this.keys.unwritten,
        JSON.stringify(payload),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const refused = /\bSTORE_(NOT_PENDING|FILE_EXISTS) (.*)$/.exec(message);
      if (refused !== null)
        throw new OutboundConflictError(
          refused[1] === 'FILE_EXISTS' ? 'PIPELINE_OUTBOUND_NAME_TAKEN' : 'PIPELINE_DECISION_ALREADY_EMITTED',
          refused[2] as string,
        );
      throw err;
    }
  }

  /** Whether each of these outbound file names is recorded (written or not), in the same order. */
  async outboundRecorded(names: string[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const chunk of chunks(names)) {
      const pipeline = this.client.pipeline();
      for (const name of chunk) pipeline.hexists(this.keys.outboundFiles, name);
      const replies = (await pipeline.exec()) ?? [];
      for (const [err, value] of replies) {
        if (err !== null) throw err;
        out.push(value === 1);
      }
    }
    return out;
  }

  async unwrittenOutbound(): Promise<OutboundRecord[]> {
    const names = (await this.client.smembers(this.keys.unwritten)).sort();
    const out: OutboundRecord[] = [];
    for (const chunk of chunks(names)) {
      const values = await this.client.hmget(this.keys.outboundFiles, ...chunk);
      for (const v of values) if (v !== null) out.push(JSON.parse(v) as OutboundRecord);
    }
    return out;
  }

  async markWritten(names: string[]): Promise<void> {
    for (const chunk of chunks(names)) await this.client.srem(this.keys.unwritten, ...chunk);
  }

  async personDays(day?: string): Promise<PersonDayReport[]> {
    // The day goes into an HSCAN pattern: only a calendar day may (it holds no glob characters).
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) return [];
    const records: PersonDayReport[] = [];
    await scanHash(
      this.client,
      this.keys.personDays,
      1000,
      (page) => {
        for (const [field, value] of page)
          records.push({ ...decodePersonDayValue(field, value), billKeys: decodeMembers(field, value).keys });
      },
      day === undefined ? undefined : `${day}:*`,
    );
    return records.sort(comparePersonDays);
  }

  /**
   * ApiReads: person-days from the cursor on. The person-day hash has no order, so each page scans
   * it (HSCAN, the day as the pattern when given) and sorts what it accepts; each person-day's
   * members are part of its value (key layout 3).
   */
  async scanPersonDays(scan: PersonDayScan): Promise<ListedPersonDay[]> {
    if (scan.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(scan.day)) return [];
    const after = scan.after;
    const accepted: ListedPersonDay[] = [];
    await scanHash(
      this.client,
      this.keys.personDays,
      1000,
      (page) => {
        for (const [field, value] of page) {
          const pd = decodePersonDayValue(field, value);
          if (after !== undefined && comparePersonDays(pd, after) <= 0) continue;
          if (scan.accept(pd)) accepted.push({ ...pd, billKeys: decodeMembers(field, value).keys });
        }
      },
      scan.day === undefined ? undefined : `${scan.day}:*`,
    );
    accepted.sort(comparePersonDays);
    return accepted.slice(0, scan.limit);
  }

  /** ApiReads: a bill's record and its person-day's. */
  async billOnRecord(key: string): ReturnType<ApiReads['billOnRecord']> {
    const value = await this.client.hget(this.keys.bills, key);
    if (value === null) return undefined;
    const bill = decodeBillValue(key, value);
    if (bill.consigneeKey === undefined || bill.day === undefined) return { bill };
    const field = personDayField(bill.consigneeKey, bill.day);
    const pd = await this.client.hget(this.keys.personDays, field);
    return pd === null ? { bill } : { bill, personDay: decodePersonDayValue(field, pd) };
  }

  /** ApiReads: decisions by id, in seq order; emitted when no longer in the pending set. */
  async decisionsWithStatus(ids: readonly string[]): ReturnType<ApiReads['decisionsWithStatus']> {
    if (ids.length === 0) return [];
    const values = await this.client.hmget(this.keys.decisions, ...ids);
    const pending = await Promise.all(ids.map((id) => this.client.zscore(this.keys.pending, id)));
    const out: Array<{ decision: Decision; emitted: boolean }> = [];
    values.forEach((v, i) => {
      if (v !== null)
        out.push({ decision: decodeDecisionValue(ids[i] as string, v), emitted: pending[i] === null });
    });
    return out.sort((a, b) => a.decision.seq - b.decision.seq);
  }

  /** Counts for operators: applied gate, decisions, pending, unwritten files. */
  async stats(): Promise<{
    gate: GateState;
    decisions: number;
    pending: number;
    unwritten: number;
    bills: number;
    version: number;
  }> {
    const [gate, decisions, pending, unwritten, bills, version] = await Promise.all([
      this.gate(),
      this.client.zcard(this.keys.decisionLog),
      this.client.zcard(this.keys.pending),
      this.client.scard(this.keys.unwritten),
      this.client.hlen(this.keys.bills),
      this.client.hget(this.keys.meta, 'version'),
    ]);
    return { gate, decisions, pending, unwritten, bills, version: version === null ? 0 : Number(version) };
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}

type CommitReply = { kind: 'ok' } | { kind: 'gate' } | { kind: 'stale' };

function sameGate(a: GateState, b: GateState): boolean {
  return a.seq === b.seq && a.part === b.part && a.done === b.done;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += HMGET_CHUNK) yield items.slice(i, i + HMGET_CHUNK);
}

/** Code-unit order (as SQLite's BINARY collation orders ASCII keys), independent of locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Client options for the store: commands wait through a Redis restart (offline queue, unlimited
 * retries per request) instead of failing the batch; an unanswered commit re-sent after the
 * reconnect is harmless, because the gate/version check makes a second commit of it a no-op.
 */
export function redisStoreClientOptions(): {
  maxRetriesPerRequest: null;
  enableOfflineQueue: true;
  retryStrategy: (times: number) => number;
} {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
}

/** Person-days by day, then consignee key in code-unit order (the order every store lists them in). */
function comparePersonDays(
  a: { day: string; consigneeKey: string },
  b: { day: string; consigneeKey: string },
): number {
  return a.day === b.day ? compareText(a.consigneeKey, b.consigneeKey) : compareText(a.day, b.day);
}
