/**
 * Queue-mode DecisionStore on Redis. It runs the same pure core as the SQLite store (applyEvents over
 * a StateView), so both reach the same decisions: the view is backed by maps loaded from Redis, a
 * key the core needs but was not loaded makes the adapter load it and run the batch again, and the
 * resulting ChangeSet is committed by one Lua script (lua/commit-batch.lua) that first checks
 *  - the store version the batch was computed against (optimistic concurrency: nothing else wrote), and
 *  - for queue inputs, the ordered gate (the part is the next one in arrival order; see ordered-gate.ts).
 * A part whose position is already applied is never applied again: its stored outcome is returned.
 */
import { Redis } from 'ioredis';
import { type AggregationConfig, applyEvents } from '../../../core/aggregate/aggregator.js';
import type { AuditRecord, ChangeSet, PersonDayRecord } from '../../../core/aggregate/state.js';
import type { Decision } from '../../../core/model/decision.js';
import type { ShipmentEvent } from '../../../core/model/shipment-event.js';
import type {
  BatchOutcome,
  DecisionStore,
  InterchangeEvents,
  OutboundRecord,
  PersonDayReport,
} from '../../../ports/decision-store.js';
import { decodeBillValue, encodeBillValue } from './bill-value.js';
import { GateWatcher } from './gate-watcher.js';
import { LoadedState, Misses, memberListOf, splitPersonDayField } from './loaded-state.js';
import { type StoreScripts, withStoreScripts } from './lua-scripts.js';
import {
  assertPosition,
  type GateRelation,
  type GateState,
  gateRelation,
  type PartPosition,
  parseGate,
} from './ordered-gate.js';
import { interchangeField, memberSuffix, personDayField, type StoreKeys, storeKeys } from './store-keys.js';

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
}

export class StoreConfigMismatchError extends Error {
  constructor(stored: string, mine: string) {
    super(
      `this store was written with aggregation configuration ${stored}; this worker has ${mine}: all workers of one store must share one configuration`,
    );
    this.name = 'StoreConfigMismatchError';
  }
}

/** Two emitters raced for the same decisions, or a file name was reused: nothing was recorded. */
export class OutboundConflictError extends Error {
  constructor(detail: string) {
    super(`outbound not recorded: ${detail}`);
    this.name = 'OutboundConflictError';
  }
}

class StaleReadError extends Error {}

const DEFAULT_OUTCOME_TTL = 7 * 24 * 3600;
const HMGET_CHUNK = 5_000;

export class RedisDecisionStore implements DecisionStore {
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
    this.keys = storeKeys(options.namespace);
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

  /** Port method: applies a batch at the current end of the state (no arrival order involved). */
  async applyBatch(interchanges: InterchangeEvents[], config: AggregationConfig): Promise<BatchOutcome> {
    for (let attempt = 0; ; attempt++) {
      const computed = await this.compute(interchanges, config);
      const reply = await this.commit(computed, undefined, undefined);
      if (reply.kind === 'ok') return computed.outcome;
      if (reply.kind === 'stale' && attempt < 100) continue;
      throw new Error(`applyBatch: could not commit (${reply.kind})`);
    }
  }

  /**
   * Queue mode: applies one part of an input in arrival order. Waits up to `waitMs` for the
   * predecessor; a part already applied returns its stored outcome and applies nothing.
   */
  async applyInOrder(
    pos: PartPosition,
    interchanges: InterchangeEvents[],
    config: AggregationConfig,
    options: OrderedOptions = {},
  ): Promise<OrderedResult> {
    assertPosition(pos);
    for (let attempt = 0; attempt < 100; attempt++) {
      const waitStarted = performance.now();
      const relation = await this.waitForTurn(pos, options.waitMs ?? 0, options.signal);
      this.timings.waitMs += performance.now() - waitStarted;
      if (relation.relation === 'applied') return this.alreadyApplied(pos);
      if (relation.relation === 'waiting') return { status: 'not-ready', gate: relation.gate };
      const computed = await this.compute(interchanges, config);
      const reply = await this.commit(computed, pos, options.reason);
      if (reply.kind === 'ok')
        return { status: 'applied', outcome: computed.outcome, rounds: computed.rounds };
      // 'gate': another holder of this part committed it first (a redelivered job) or the gate moved
      // for another reason; 'stale': an unordered writer got in between. Both: look again.
    }
    throw new Error(`part ${pos.seq}.${pos.part}: gave up after 100 conflicting commits`);
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

  private async alreadyApplied(pos: PartPosition): Promise<OrderedResult> {
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

  // ---- computing a batch ------------------------------------------------------------------------

  private async compute(interchanges: InterchangeEvents[], config: AggregationConfig): Promise<Computed> {
    for (let restart = 0; restart < 20; restart++) {
      try {
        return await this.computeOnce(interchanges, config);
      } catch (err) {
        if (err instanceof StaleReadError) continue; // a commit happened between two read rounds
        throw err;
      }
    }
    throw new Error('the store kept changing while a batch was read (20 restarts)');
  }

  private async computeOnce(interchanges: InterchangeEvents[], config: AggregationConfig): Promise<Computed> {
    const state = new LoadedState();
    const first = new Misses();
    const icFields = interchanges.map((ic) => interchangeField(ic.sender, ic.controlNumber, ic.fingerprint));
    for (const ic of interchanges) preloadFor(ic.events, first);
    await this.load(state, first, icFields);

    const outcome: BatchOutcome = { decisions: [], audit: [], duplicates: [], eventsApplied: 0 };
    const fresh: InterchangeEvents[] = [];
    const freshFields: Array<{ f: string; file: string }> = [];
    const seen = new Map<string, string>();
    interchanges.forEach((ic, i) => {
      const field = icFields[i] as string;
      const firstFile = seen.get(field) ?? state.interchanges.get(field) ?? undefined;
      if (firstFile !== undefined && firstFile !== null) {
        outcome.duplicates.push({
          sender: ic.sender,
          controlNumber: ic.controlNumber,
          file: ic.file,
          firstFile,
        });
        return;
      }
      seen.set(field, ic.file);
      freshFields.push({ f: field, file: ic.file });
      fresh.push(ic);
    });
    const events: ShipmentEvent[] =
      fresh.length === 1 ? (fresh[0] as InterchangeEvents).events : fresh.flatMap((ic) => ic.events);
    // Member lists are read only for person-days that cross their threshold; loading the likely
    // ones now saves running the whole batch a second time to find them (a guess: never a decision).
    const likely = likelyCrossings(events, state, config);
    if (!likely.empty) await this.load(state, likely, []);

    for (let round = 1; round <= this.maxRounds; round++) {
      const misses = new Misses();
      const computeStarted = performance.now();
      const changes = applyEvents(events, state.view(misses), config);
      this.timings.computeMs += performance.now() - computeStarted;
      if (misses.empty) {
        this.timings.batches += 1;
        this.timings.rounds += round;
        outcome.decisions = changes.decisions;
        outcome.audit = changes.audit;
        outcome.eventsApplied = events.length;
        return {
          state,
          changes,
          outcome,
          interchanges: freshFields,
          files: [...new Set(fresh.map((ic) => ic.file))],
          rounds: round,
        };
      }
      await this.load(state, misses, []);
    }
    throw new Error(`batch still needed unloaded state after ${this.maxRounds} rounds`);
  }

  /**
   * Loads what `need` names, plus what it implies (a bill's current person-day; a member set's
   * bills), in consistent snapshots: every read round runs in MULTI and must see the same version.
   */
  private async load(state: LoadedState, need: Misses, icFields: string[]): Promise<void> {
    const started = performance.now();
    try {
      await this.loadRounds(state, need, icFields);
    } finally {
      this.timings.loadMs += performance.now() - started;
    }
  }

  private async loadRounds(state: LoadedState, need: Misses, icFields: string[]): Promise<void> {
    let bills = [...need.bills].filter((k) => !state.bills.has(k));
    let pds = [...need.personDays].filter((f) => !state.personDays.has(f));
    let members = [...need.members].filter((f) => !state.members.has(f));
    let ics = icFields.filter((f) => !state.interchanges.has(f));
    let first = state.version === undefined;
    for (
      let pass = 0;
      pass < 3 && (first || bills.length + pds.length + members.length + ics.length > 0);
      pass++
    ) {
      const multi = this.client.multi();
      multi.hmget(this.keys.meta, 'version', 'dseq', 'aseq');
      for (const chunk of chunks(bills)) multi.hmget(this.keys.bills, ...chunk);
      for (const chunk of chunks(pds)) multi.hmget(this.keys.personDays, ...chunk);
      for (const chunk of chunks(ics)) multi.hmget(this.keys.interchanges, ...chunk);
      for (const f of members) {
        const { day, consigneeKey } = splitPersonDayField(f);
        multi.zrange(this.keys.members(consigneeKey, day), '0', '-1', 'WITHSCORES');
      }
      this.timings.memberLists += members.length;
      const replies = await multi.exec();
      if (replies === null) throw new StaleReadError();
      let at = 0;
      const next = (): unknown => {
        const r = replies[at++];
        if (r === undefined) throw new Error('short MULTI reply');
        if (r[0] !== null) throw r[0];
        return r[1];
      };
      const [version, dseq, aseq] = next() as Array<string | null>;
      const v = version === null || version === undefined ? 0 : Number(version);
      if (first) {
        state.version = v;
        state.decisionSeq = dseq === null || dseq === undefined ? 0 : Number(dseq);
        state.acceptSeq = aseq === null || aseq === undefined ? 0 : Number(aseq);
        first = false;
      } else if (state.version !== v) {
        throw new StaleReadError();
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
      for (const chunk of chunks(pds)) {
        const values = next() as Array<string | null>;
        chunk.forEach((f, i) => {
          const raw = values[i] ?? null;
          state.personDays.set(f, raw === null ? null : (JSON.parse(raw) as PersonDayRecord));
        });
      }
      for (const chunk of chunks(ics)) {
        const values = next() as Array<string | null>;
        chunk.forEach((f, i) => {
          state.interchanges.set(f, values[i] ?? null);
        });
      }
      const memberKeys: string[] = [];
      for (const f of members) {
        const list = memberListOf(next() as string[]);
        state.members.set(f, list);
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
    computed: Computed,
    pos: PartPosition | undefined,
    reason: string | undefined,
  ): Promise<CommitReply> {
    const commitStarted = performance.now();
    const { state, changes, outcome } = computed;
    // The script's arguments, flat and section by section (see commit-batch.lua for the layout).
    const billArgs: string[] = [];
    const zremArgs: string[] = [];
    const zaddArgs: string[] = [];
    for (const bill of changes.bills.values()) {
      billArgs.push(bill.key, encodeBillValue(bill));
      const prev = state.storedBill(bill.key);
      const prevPd =
        prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined
          ? memberSuffix(prev.consigneeKey, prev.day)
          : undefined;
      const nextPd =
        bill.counted && bill.consigneeKey !== undefined && bill.day !== undefined
          ? memberSuffix(bill.consigneeKey, bill.day)
          : undefined;
      if (prevPd !== undefined && prevPd !== nextPd) zremArgs.push(prevPd, bill.key);
      if (nextPd !== undefined && !(prevPd === nextPd && prev?.acceptedSeq === bill.acceptedSeq)) {
        zaddArgs.push(nextPd, String(bill.acceptedSeq), bill.key);
      }
    }
    const pdArgs: string[] = [];
    for (const pd of changes.personDays.values())
      pdArgs.push(personDayField(pd.consigneeKey, pd.day), JSON.stringify(pd));
    const decArgs: string[] = [];
    for (const d of changes.decisions) decArgs.push(d.decisionId, String(d.seq), JSON.stringify(d));
    const auditArgs = changes.audit.map((a) => JSON.stringify(a));
    const icArgs: string[] = [];
    for (const ic of computed.interchanges) icArgs.push(ic.f, ic.file);
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
        files: computed.files,
        ...(reason !== undefined ? { reason } : {}),
      };
      header.gate = { seq: pos.seq, part: pos.part, last: pos.last };
      header.outcome = JSON.stringify(record);
      header.ttl = this.outcomeTtl;
    }
    const reply = await this.client.s321CommitBatch(
      this.keys.meta,
      this.keys.prefix,
      JSON.stringify(header),
      billArgs.concat(pdArgs, zremArgs, zaddArgs, decArgs, auditArgs, icArgs),
    );
    this.timings.commitMs += performance.now() - commitStarted;
    const kind = String(reply[0]);
    if (kind === 'OK') return { kind: 'ok' };
    if (kind === 'GATE') return { kind: 'gate' };
    if (kind === 'STALE') return { kind: 'stale' };
    if (kind === 'CONFIG') throw new StoreConfigMismatchError(String(reply[1]), this.configId);
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
        out.push(JSON.parse(v) as Decision);
      });
    }
    return out;
  }

  async reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number> {
    const first = await this.client.s321ReserveControl(
      this.keys.control,
      JSON.stringify([partner, kind]),
      String(count),
      String(max),
    );
    return Number(first);
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
      if (/\bSTORE_(NOT_PENDING|FILE_EXISTS)\b/.test(message)) throw new OutboundConflictError(message);
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
    const records: PersonDayRecord[] = [];
    let cursor = '0';
    do {
      const [nextCursor, flat] = await this.client.hscan(
        this.keys.personDays,
        cursor,
        'MATCH',
        day === undefined ? '*' : `${day}:*`,
        'COUNT',
        1000,
      );
      cursor = nextCursor;
      for (let i = 1; i < flat.length; i += 2) records.push(JSON.parse(flat[i] as string) as PersonDayRecord);
    } while (cursor !== '0');
    records.sort((a, b) =>
      a.day === b.day ? compareText(a.consigneeKey, b.consigneeKey) : compareText(a.day, b.day),
    );
    const pipeline = this.client.pipeline();
    for (const pd of records) pipeline.zrange(this.keys.members(pd.consigneeKey, pd.day), '0', '-1');
    const replies = records.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    return records.map((pd, i) => {
      const reply = replies[i];
      if (reply === undefined || reply[0] !== null) throw reply?.[0] ?? new Error('missing member reply');
      return { ...pd, billKeys: reply[1] as string[] };
    });
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

interface Computed {
  state: LoadedState;
  changes: ChangeSet;
  outcome: BatchOutcome;
  interchanges: Array<{ f: string; file: string }>;
  files: string[];
  rounds: number;
}

type CommitReply = { kind: 'ok' } | { kind: 'gate' } | { kind: 'stale' };

/**
 * Person-days this batch may push over their era's threshold: stored total, less what the batch's
 * amendments may take out of it, at or below it, and that plus every declared or amended value the
 * batch brings (an over-estimate) above it.
 * Their member lists are what the core reads on a crossing ("earlier" notifications); a crossing
 * the guess misses (a day pushed back under and over again within the batch) is read in a second
 * round, as any miss.
 */
function likelyCrossings(
  events: readonly ShipmentEvent[],
  state: LoadedState,
  config: AggregationConfig,
): Misses {
  const incoming = new Map<string, number>();
  const add = (consigneeKey: string, day: string | undefined, cents: number): void => {
    if (day === undefined || cents === 0) return;
    const f = personDayField(consigneeKey, day);
    incoming.set(f, (incoming.get(f) ?? 0) + cents);
  };
  // What may leave a stored person-day during the batch (amended, deleted or moved bills): its total
  // can dip to the threshold and cross it again.
  const outgoing = new Map<string, number>();
  for (const ev of events) {
    const prev = state.storedBill(ev.bill.key);
    if (prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined) {
      const f = personDayField(prev.consigneeKey, prev.day);
      outgoing.set(f, (outgoing.get(f) ?? 0) + prev.cents);
    }
    if (ev.consigneeKey !== undefined) {
      const cents = ev.value?.usdCents ?? 0;
      add(ev.consigneeKey, ev.eda, cents);
      add(ev.consigneeKey, ev.arrivalDate, cents);
    } else if (ev.arrivalDate !== undefined) {
      // A status line with an arrival may move a stored bill to that day.
      if (prev?.consigneeKey !== undefined) add(prev.consigneeKey, ev.arrivalDate, prev.cents);
    }
  }
  const need = new Misses();
  for (const [f, cents] of incoming) {
    if (state.members.has(f)) continue;
    let era: { aggregation: boolean; thresholdCents: number };
    try {
      era = config.rules.eraFor(splitPersonDayField(f).day);
    } catch {
      continue; // a day without rules: the core reports it; nothing to guess
    }
    // Only a person-day that is, or may drop to, at most its threshold can cross it (the core
    // reads the member list only then). One that stays over it — a heavy importer's day — must
    // not have its whole member list and every member bill read again for each part: that made a
    // part's reads grow with the day's size (queue mode at 1M shipments: 2.4k shipments/s against
    // 11k at 100k).
    const stored = state.personDays.get(f)?.totalCents ?? 0;
    const lowest = stored - (outgoing.get(f) ?? 0);
    if (era.aggregation && lowest <= era.thresholdCents && lowest + cents > era.thresholdCents)
      need.members.add(f);
  }
  return need;
}

function sameGate(a: GateState, b: GateState): boolean {
  return a.seq === b.seq && a.part === b.part && a.done === b.done;
}

/** Keys the batch will surely read: its bills and the person-days its declarations name. */
function preloadFor(events: readonly ShipmentEvent[], need: Misses): void {
  for (const ev of events) {
    need.bills.add(ev.bill.key);
    if (ev.consigneeKey !== undefined) {
      if (ev.eda !== undefined) need.personDays.add(personDayField(ev.consigneeKey, ev.eda));
      if (ev.arrivalDate !== undefined) need.personDays.add(personDayField(ev.consigneeKey, ev.arrivalDate));
    }
  }
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
