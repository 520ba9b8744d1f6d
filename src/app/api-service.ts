/**
 * The API's answers over a store (ports/api.ts ApiPort), for `s321 api` (SQLite) and `s321 serve`
 * (Redis): a pre-check runs the shipments through the one batch engine (apply-batch.ts
 * computeDiscarded) over a snapshot of the store and discards the result; the listings read the
 * store's ApiReads and judge "exceeded" by the era in force on each day (core/rules calendar).
 */
import { createHash } from 'node:crypto';
import type { AggregationConfig, EventObserver, StepReader } from '../core/aggregate/aggregator.js';
import type { InterchangeEvents } from '../core/aggregate/engine.js';
import type { BillRecord, PersonDayRecord } from '../core/aggregate/state.js';
import { type ConsigneeIdentity, consigneeKey, normalizeName } from '../core/consignee/consignee-key.js';
import { splitSuspects } from '../core/consignee/split-suspects.js';
import type {
  BillDetail,
  PersonDayItem,
  PersonDaysPage,
  PersonDaysQuery,
  PrecheckAnswer,
  PrecheckShipment,
  SplitSuspectsAnswer,
} from '../core/model/api.js';
import type { Party, ShipmentEvent } from '../core/model/shipment-event.js';
import { parseDecimal, type RateTable, toUsdCents } from '../core/money/index.js';
import {
  ApiNotImplementedError,
  type ApiPort,
  type ApiReads,
  ApiRequestError,
  type ListedPersonDay,
  type PartitionSnapshots,
} from '../ports/api.js';
import type { DecisionStore, ReadSession } from '../ports/decision-store.js';
import { computeDiscarded } from './apply-batch.js';

/** The sender a pre-check's hypothetical interchange carries: no partner sends it, so it is never a duplicate. */
export const PRECHECK_SENDER = 'S321-PRECHECK';

export interface ApiServiceOptions {
  aggregation: AggregationConfig;
  /** Rates converting amounts other than USD (the replay's --rates / config currency.rateTablePath). */
  rates?: RateTable;
}

/**
 * What the API reads: a store with one snapshot of its whole state (`openSnapshot`: SQLite, memory,
 * a one-gate Redis store), or a store split by consignee into partitions (`partitionSnapshots`: a
 * partitioned queue-mode store, adapters/store/redis/partitioned-api-reads.ts), whose pre-check
 * runs each partition's shipments over that partition's snapshot.
 */
export type ApiStore = ApiReads &
  (
    | Pick<DecisionStore, 'openSnapshot'>
    | { openSnapshot?: undefined; partitionSnapshots: PartitionSnapshots }
  );

export function createApiService(store: ApiStore, options: ApiServiceOptions): ApiPort {
  const config = options.aggregation;
  const rates = options.rates ?? {};
  return {
    precheck: (shipments) => precheck(store, shipments, config, rates),
    personDays: (query) => personDays(store, query, config),
    bill: (key) => billDetail(store, key),
    splitSuspects: (day) => daySplitSuspects(store, day, config),
  };
}

// ---- split-shipment suspects ------------------------------------------------------------------------

/** The day's suspect groups (core/consignee/split-suspects.ts), each judged against the day's threshold. */
async function daySplitSuspects(
  store: ApiStore,
  day: string,
  config: AggregationConfig,
): Promise<SplitSuspectsAnswer | undefined> {
  if (store.splitCandidateBlocks === undefined) return undefined;
  const thresholdCents = config.rules.eraFor(day).thresholdCents;
  const groups = splitSuspects(await store.splitCandidateBlocks(day)).map((g) => ({
    id: g.id,
    day: g.day,
    members: g.members.map((m) => ({
      consigneeKey: m.consigneeKey,
      consignee: apiParty(m.party),
      totalCents: m.totalCents,
      bills: m.bills,
    })),
    pairs: g.pairs.map((p) => ({ a: p.a, b: p.b, reason: p.reason })),
    combinedCents: g.combinedCents,
    thresholdCents,
    combinedExceeds: g.combinedCents > thresholdCents,
  }));
  return { day, groups };
}

function apiParty(party: ConsigneeIdentity): PersonDayItem['consignee'] & object {
  const { idQualifier, id, ...rest } = party;
  return {
    ...rest,
    ...(idQualifier !== undefined ? { idQualifier } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

// ---- pre-check ------------------------------------------------------------------------------------

/** A pre-check shipment as the shipment event a manifest line declaring it would normalize to. */
export function shipmentEventOf(s: PrecheckShipment, index: number, rates: RateTable): ShipmentEvent {
  const slash = s.bill.indexOf('/');
  const issuer = s.bill.slice(0, slash);
  const scn = s.bill.slice(slash + 1);
  const party: Party = {
    role: 'CN',
    name: s.consignee.name,
    street: s.consignee.street,
    city: s.consignee.city,
    state: s.consignee.state,
    postal: s.consignee.postal,
    country: s.consignee.country,
    ...(s.consignee.idQualifier !== undefined ? { idQualifier: s.consignee.idQualifier } : {}),
    ...(s.consignee.id !== undefined ? { id: s.consignee.id } : {}),
  };
  const amount = parseDecimal(s.value);
  if (!amount.ok) throw new ApiRequestError(amount.detail, `shipments.${index}.value`);
  const usd = toUsdCents(amount.value, s.currency, s.day, rates);
  if (!usd.ok) throw new ApiRequestError(usd.detail, `shipments.${index}.currency`);
  const event: ShipmentEvent = {
    eventId: `precheck-${index}`,
    kind: 'declared',
    bill: { issuer, scn, key: s.bill },
    mode: s.mode,
    shipmentType: s.shipmentType,
    express: s.express,
    carrierScac: s.carrierScac ?? issuer,
    consignee: party,
    consigneeKey: consigneeKey(party),
    value: { usdCents: usd.usdCents, amount: s.value, currency: s.currency },
    eda: s.day,
    origins: s.origin === undefined ? [] : [s.origin],
    hts: s.hts,
    unmapped: [],
    source: {
      file: 'precheck',
      standard: 'x12',
      sender: PRECHECK_SENDER,
      interchangeControl: '0',
      groupControl: '',
      messageRef: '0',
      messageType: '309',
      segmentIndex: index,
      byteOffset: 0,
    },
  };
  if (s.brokerId !== undefined) event.brokerId = s.brokerId;
  if (s.origin !== undefined) event.origin = s.origin;
  return event;
}

interface Step {
  prev?: { counted: boolean; consigneeKey?: string; day?: string; cents: number; versionHash: string };
  next?: BillRecord;
  totalAfter: number;
}

/** Records, for each event, the bill before it and the bill and person-day total after it. */
function stepRecorder(events: readonly ShipmentEvent[]): { steps: Step[]; observer: EventObserver } {
  const steps: Step[] = [];
  const totalOf = (read: StepReader, ck: string, day: string): number =>
    read.personDay(ck, day)?.totalCents ?? 0;
  return {
    steps,
    observer: {
      before(index, read) {
        const prev = read.bill((events[index] as ShipmentEvent).bill.key);
        steps[index] = {
          totalAfter: 0,
          ...(prev !== undefined
            ? {
                prev: {
                  counted: prev.counted,
                  cents: prev.cents,
                  versionHash: prev.versionHash,
                  ...(prev.consigneeKey !== undefined ? { consigneeKey: prev.consigneeKey } : {}),
                  ...(prev.day !== undefined ? { day: prev.day } : {}),
                },
              }
            : {}),
        };
      },
      after(index, read) {
        const event = events[index] as ShipmentEvent;
        const step = steps[index] as Step;
        const next = read.bill(event.bill.key);
        if (next !== undefined) step.next = { ...next };
        const ck = next?.counted === true ? (next.consigneeKey as string) : (event.consigneeKey as string);
        const day = next?.counted === true ? (next.day as string) : (next?.day ?? (event.eda as string));
        step.totalAfter = totalOf(read, ck, day);
      },
    },
  };
}

async function precheck(
  store: ApiStore,
  shipments: readonly PrecheckShipment[],
  config: AggregationConfig,
  rates: RateTable,
): Promise<PrecheckAnswer[]> {
  const events = shipments.map((s, i) => shipmentEventOf(s, i, rates));
  const fingerprint = createHash('sha256').update(JSON.stringify(shipments)).digest('hex');
  if (store.openSnapshot !== undefined)
    return precheckOver(store.openSnapshot.bind(store), events, fingerprint, config);
  // A partitioned store: every decision a shipment can cause is taken in its person-day's
  // partition, so each partition's shipments (in request order) are one hypothetical batch over
  // that partition's snapshot, and the answers go back in request order.
  const snapshots = store.partitionSnapshots;
  const partitionOf = await snapshots.route(events);
  if (partitionOf === undefined)
    throw new ApiNotImplementedError(
      'a shipment of this pre-check names a bill on record in another partition than its consignee’s (the bill would move between partitions), which the pre-check on a partitioned queue-mode store does not evaluate yet; pre-check it with its consignee on record, or on a store created with partitions 0',
    );
  const groups = new Map<number, ShipmentEvent[]>();
  events.forEach((event, i) => {
    const p = partitionOf[i] as number;
    groups.set(p, [...(groups.get(p) ?? []), event]);
  });
  const answers: PrecheckAnswer[] = [];
  await Promise.all(
    [...groups].map(async ([p, group]) => {
      const answered = await precheckOver(() => snapshots.openSnapshot(p), group, fingerprint, config);
      for (const a of answered) answers[a.index] = a;
    }),
  );
  return answers;
}

/**
 * `events` as one hypothetical batch over the snapshots `openSnapshot` gives; each answer's `index`
 * is its shipment's in the request (the event's `segmentIndex`).
 */
async function precheckOver(
  openSnapshot: () => ReadSession,
  events: ShipmentEvent[],
  fingerprint: string,
  config: AggregationConfig,
): Promise<PrecheckAnswer[]> {
  const interchange: InterchangeEvents = {
    sender: PRECHECK_SENDER,
    controlNumber: '0',
    fingerprint,
    file: 'precheck',
    events,
  };
  let recorder = stepRecorder(events);
  const { outcome } = await computeDiscarded({ openSnapshot }, [interchange], config, () => {
    recorder = stepRecorder(events);
    return recorder.observer;
  });
  return events.map((event, at) => {
    const index = event.source.segmentIndex;
    const step = recorder.steps[at] as Step;
    const next = step.next;
    const counted = next?.counted === true;
    const ck = counted ? (next?.consigneeKey as string) : (event.consigneeKey as string);
    const day = next?.day ?? (event.eda as string);
    const era = config.rules.eraFor(day);
    const prev = step.prev;
    const prevHere = prev?.counted === true && prev.consigneeKey === ck && prev.day === day;
    // The total before this shipment: the one after, less what this event changed in the person-day.
    const before = counted
      ? step.totalAfter - (next?.cents ?? 0) + (prevHere ? (prev?.cents ?? 0) : 0)
      : step.totalAfter + (prevHere ? (prev?.cents ?? 0) : 0);
    const notes = outcome.audit.filter((a) => a.causeEventId === event.eventId).map((a) => a.detail);
    if (prev !== undefined && prev.versionHash === next?.versionHash && prev.counted === counted)
      notes.push('this version of the bill is already on record: applying it again changes nothing');
    const notifications = outcome.decisions
      .filter((d) => d.causeEventId === event.eventId)
      .map((d) => ({
        bill: d.bill,
        channel: d.channel,
        code: d.code,
        text: d.text,
        recipient: d.recipient,
        role: d.role,
        withhold: d.withhold,
        mode: d.mode,
      }));
    return {
      index,
      bill: event.bill.key,
      consigneeKey: ck,
      day,
      profile: era.profile,
      thresholdCents: era.thresholdCents,
      valueCents: event.value?.usdCents ?? 0,
      currentTotalCents: before,
      totalAfterCents: step.totalAfter,
      alreadyExceeded: before > era.thresholdCents,
      wouldExceed: counted && before <= era.thresholdCents && step.totalAfter > era.thresholdCents,
      counted,
      notifications,
      notes,
    };
  });
}

// ---- person-days ------------------------------------------------------------------------------------

function encodeCursor(pd: { day: string; consigneeKey: string }): string {
  return Buffer.from(JSON.stringify([pd.day, pd.consigneeKey]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { day: string; consigneeKey: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    )
      return { day: value[0], consigneeKey: value[1] };
  } catch {
    // fall through: not one of ours
  }
  throw new ApiRequestError('the cursor is not one this API handed out (pass `next` unchanged)', 'cursor');
}

/**
 * The consignee filter: a consignee key (`na|…`, `id|…`) matches exactly; any other text matches the
 * person-days whose name-and-address key holds it once folded as names are (case, spaces, accents).
 */
function consigneeMatcher(filter: string | undefined): (ck: string) => boolean {
  if (filter === undefined) return () => true;
  if (filter.startsWith('na|') || filter.startsWith('id|')) return (ck) => ck === filter;
  const folded = normalizeName(filter);
  if (folded === '') return () => true;
  return (ck) => ck.startsWith('na|') && ck.slice(3, ck.indexOf('|', 3)).includes(folded);
}

async function personDays(
  store: ApiStore,
  query: PersonDaysQuery,
  config: AggregationConfig,
): Promise<PersonDaysPage> {
  const matches = consigneeMatcher(query.consignee);
  const exceeded = (pd: PersonDayRecord): boolean =>
    pd.totalCents > config.rules.eraFor(pd.day).thresholdCents;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await store.scanPersonDays({
    ...(query.day !== undefined ? { day: query.day } : {}),
    ...(after !== undefined ? { after } : {}),
    // One more than asked: whether there is a next page.
    limit: query.limit + 1,
    accept: (pd) =>
      matches(pd.consigneeKey) && (query.exceeded === undefined || exceeded(pd) === query.exceeded),
  });
  const items = rows.slice(0, query.limit).map((pd) => personDayItem(pd, config));
  const last = items[items.length - 1];
  return rows.length > query.limit && last !== undefined ? { items, next: encodeCursor(last) } : { items };
}

function personDayItem(pd: ListedPersonDay, config: AggregationConfig): PersonDayItem {
  const era = config.rules.eraFor(pd.day);
  const item: PersonDayItem = {
    day: pd.day,
    consigneeKey: pd.consigneeKey,
    totalCents: pd.totalCents,
    bills: pd.bills,
    billKeys: pd.billKeys,
    thresholdCents: era.thresholdCents,
    profile: era.profile,
    exceeded: pd.totalCents > era.thresholdCents,
  };
  if (pd.party !== undefined) {
    const { idQualifier, id, ...rest } = pd.party;
    item.consignee = {
      ...rest,
      ...(idQualifier !== undefined ? { idQualifier } : {}),
      ...(id !== undefined ? { id } : {}),
    };
  }
  return item;
}

// ---- bills ----------------------------------------------------------------------------------------

async function billDetail(store: ApiStore, key: string): Promise<BillDetail | undefined> {
  const found = await store.billOnRecord(key);
  if (found === undefined) return undefined;
  const { bill, personDay } = found;
  // Every notification of a bill is recorded on it as `${channel}|${code}`, the tail of its decision id.
  const decisions = await store.decisionsWithStatus(bill.notified.map((n) => `${bill.key}|${n}`));
  return {
    bill: bill.key,
    issuer: bill.issuer,
    scn: bill.scn,
    carrierScac: bill.carrierScac,
    versions: [
      {
        eventId: bill.lastEventId,
        versionHash: bill.versionHash,
        mode: bill.mode,
        shipmentType: bill.shipmentType,
        cents: bill.cents,
        deleted: bill.deleted,
        ...(bill.consigneeKey !== undefined ? { consigneeKey: bill.consigneeKey } : {}),
        ...(bill.day !== undefined ? { day: bill.day } : {}),
        ...(bill.lastDisposition !== undefined ? { lastDisposition: bill.lastDisposition } : {}),
        ...(bill.profile !== undefined ? { profile: bill.profile } : {}),
      },
    ],
    contribution: {
      counted: bill.counted,
      cents: bill.counted ? bill.cents : 0,
      ...(bill.consigneeKey !== undefined ? { consigneeKey: bill.consigneeKey } : {}),
      ...(bill.day !== undefined ? { day: bill.day } : {}),
      ...(bill.counted && personDay !== undefined ? { personDayTotalCents: personDay.totalCents } : {}),
    },
    notifications: {
      sent: decisions.filter((d) => d.emitted).map((d) => d.decision),
      pending: decisions.filter((d) => !d.emitted).map((d) => d.decision),
    },
  };
}
