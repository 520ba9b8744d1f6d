/**
 * The decision core (rules.md §1–§6): applies shipment events, in processing order, to the per
 * (ultimate consignee, day) totals and returns the notifications to send. Pure: state comes in
 * through a StateView, every change goes out in a ChangeSet the store commits atomically.
 */
import { type Decision, FLIGHT_DESIGNATOR } from '../model/decision.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { RuleEra, RuleSelector } from '../rules/calendar.js';
import { brokerOf, type HoldCodes, planNotifications } from './notification-plan.js';
import {
  type BillRecord,
  type ChangeSet,
  type NotifiedStanding,
  notificationKey,
  type PersonDayRecord,
  type StateView,
} from './state.js';
import { eventVersionHash } from './version-hash.js';
import { WorkingSet } from './working-set.js';

export interface IneligibleCommodity {
  /** HTS prefix (digits only), e.g. '2208' spirits, '2402' cigarettes. */
  htsPrefix: string;
  reason: string;
}

export interface AggregationConfig {
  rules: RuleSelector;
  hold: HoldCodes;
  ineligibleCommodities: IneligibleCommodity[];
}

/** The state between two events of a batch, as an observer may read it (nothing is created by reading). */
export interface StepReader {
  bill(key: string): BillRecord | undefined;
  personDay(consigneeKey: string, day: string): PersonDayRecord | undefined;
}

/**
 * Watches a batch event by event (the pre-check, issue #16: what each shipment of a hypothetical
 * batch finds and leaves). Called before and after each event with the batch's state at that point;
 * records read are the working set's own: copy what must outlive the call.
 */
export interface EventObserver {
  before(index: number, read: StepReader): void;
  after(index: number, read: StepReader): void;
}

/** Applies a batch of events in order. The returned ChangeSet holds decisions in processing order. */
export function applyEvents(
  events: readonly ShipmentEvent[],
  view: StateView,
  config: AggregationConfig,
  observer?: EventObserver,
): ChangeSet {
  const ws = new WorkingSet(view);
  if (observer === undefined) for (const event of events) applyEvent(ws, event, config);
  else {
    const read: StepReader = {
      bill: (key) => ws.bill(key),
      personDay: (consigneeKey, day) => ws.peekPersonDay(consigneeKey, day),
    };
    events.forEach((event, index) => {
      observer.before(index, read);
      applyEvent(ws, event, config);
      observer.after(index, read);
    });
  }
  return ws.changes();
}

function applyEvent(ws: WorkingSet, ev: ShipmentEvent, config: AggregationConfig): void {
  const prev = ws.bill(ev.bill.key);
  if (ev.kind === 'status') {
    applyStatus(ws, prev, ev, config);
    return;
  }
  if (ev.kind === 'deleted') {
    if (prev === undefined || prev.deleted || prev.consigneeKey === undefined) {
      ws.audit.push({
        kind: 'status-before-declaration',
        bill: ev.bill.key,
        causeEventId: ev.eventId,
        detail: 'deletion of a bill that is not on record',
      });
      return;
    }
    const next: BillRecord = {
      ...prev,
      deleted: true,
      counted: false,
      lastEventId: ev.eventId,
      versionHash: 'deleted',
    };
    place(ws, prev, next, ev, config);
    return;
  }
  // Computed before any record is built (a repeated version needs none); carried by events the
  // replay's ingest thread hashed already (version-hash.ts).
  const versionHash = eventVersionHash(ev);
  if (
    prev !== undefined &&
    !prev.deleted &&
    prev.consigneeKey !== undefined &&
    prev.versionHash === versionHash
  ) {
    return; // the same shipment version again: changes nothing, notifies nothing (rules.md §2)
  }
  place(ws, prev, billFromEvent(ev, prev, versionHash), ev, config);
}

function applyStatus(
  ws: WorkingSet,
  prev: BillRecord | undefined,
  ev: ShipmentEvent,
  config: AggregationConfig,
): void {
  if (prev === undefined) {
    // Status before the manifest (out-of-order arrival): keep the arrival on a stub so the
    // declaration, when it comes, counts on the right day.
    const stub: BillRecord = {
      key: ev.bill.key,
      issuer: ev.bill.issuer,
      scn: ev.bill.scn,
      mode: ev.mode,
      shipmentType: ev.shipmentType,
      express: ev.express,
      standard: ev.source.standard,
      carrierScac: ev.carrierScac,
      cents: 0,
      hts: [],
      counted: false,
      deleted: false,
      acceptedSeq: 0,
      versionHash: '',
      lastEventId: ev.eventId,
      notified: [],
    };
    if (ev.arrivalDate !== undefined) stub.arrivalDate = ev.arrivalDate;
    if (ev.arrivalTime !== undefined) stub.arrivalTime = ev.arrivalTime;
    if (ev.disposition !== undefined) stub.lastDisposition = ev.disposition;
    ws.putBill(stub);
    ws.audit.push({
      kind: 'status-before-declaration',
      bill: ev.bill.key,
      causeEventId: ev.eventId,
      detail: `status ${ev.disposition ?? ''} before any declaration`,
    });
    return;
  }
  // One copy per status line (a quarter of the events), its fields set in place rather than spread
  // from `optional()` objects; the same fields in the same order.
  const next: BillRecord = { ...prev, lastEventId: ev.eventId };
  if (ev.disposition !== undefined) next.lastDisposition = ev.disposition;
  if (ev.arrivalDate !== undefined) next.arrivalDate = ev.arrivalDate;
  if (ev.arrivalTime !== undefined) next.arrivalTime = ev.arrivalTime;
  if (
    prev.consigneeKey === undefined ||
    prev.deleted ||
    ev.arrivalDate === undefined ||
    ev.arrivalDate === prev.arrivalDate
  ) {
    ws.putBill(next);
    return;
  }
  // A new actual arrival may move the bill to another day (release3 counts on arrival).
  place(ws, prev, next, ev, config);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function billFromEvent(ev: ShipmentEvent, prev: BillRecord | undefined, versionHash: string): BillRecord {
  const cents = ev.value?.usdCents ?? 0;
  const bill: BillRecord = {
    key: ev.bill.key,
    issuer: ev.bill.issuer,
    scn: ev.bill.scn,
    mode: ev.mode,
    shipmentType: ev.shipmentType,
    express: ev.express,
    standard: ev.source.standard,
    carrierScac: ev.carrierScac,
    cents,
    hts: ev.hts,
    counted: false,
    deleted: false,
    acceptedSeq: prev?.acceptedSeq ?? 0,
    versionHash,
    lastEventId: ev.eventId,
    notified: prev?.notified ?? [],
  };
  if (prev?.standing !== undefined) bill.standing = prev.standing;
  // Assigned one by one rather than spread from `optional()`: this runs once per shipment, and the
  // spreads allocated a dozen short-lived objects each time (profile: ~4% of a replay).
  if (ev.brokerId !== undefined) bill.brokerId = ev.brokerId;
  if (ev.entryNumber !== undefined) bill.entryNumber = ev.entryNumber;
  if (ev.port !== undefined) bill.port = ev.port;
  if (ev.pieces !== undefined) bill.pieces = ev.pieces;
  // The FSN's ARR line needs the flight; a conveyance reference that is not a flight designator
  // (a trip or vessel reference) is no flight, and the FSN then goes out without ARR.
  if (ev.mode === 'air' && ev.conveyanceRef !== undefined && FLIGHT_DESIGNATOR.test(ev.conveyanceRef))
    bill.flight = ev.conveyanceRef;
  if (ev.consigneeKey !== undefined) bill.consigneeKey = ev.consigneeKey;
  if (ev.eda !== undefined) bill.eda = ev.eda;
  const origin = ev.origins.find((o) => o !== '') ?? ev.origin;
  if (origin !== undefined) bill.origin = origin;
  if (prev?.arrivalDate !== undefined) bill.arrivalDate = prev.arrivalDate;
  if (prev?.arrivalTime !== undefined) bill.arrivalTime = prev.arrivalTime;
  if (prev?.lastDisposition !== undefined) bill.lastDisposition = prev.lastDisposition;
  return bill;
}

interface Placement {
  day: string;
  era: RuleEra;
}

/** The counting day and the era in force for it (EDA, or actual arrival where the era says so). */
function placementOf(bill: BillRecord, rules: RuleSelector): Placement | undefined {
  const base = bill.eda ?? bill.arrivalDate;
  if (base === undefined) return undefined;
  const era = rules.eraFor(base);
  if (era.dayBasis === 'arrival' && bill.arrivalDate !== undefined && bill.arrivalDate !== base) {
    return { day: bill.arrivalDate, era: rules.eraFor(bill.arrivalDate) };
  }
  return { day: base, era };
}

type Ineligibility = { code: string; text: string } | undefined;

function ineligibility(bill: BillRecord, era: RuleEra, config: AggregationConfig): Ineligibility {
  // Suspended (or repealed): the shipment stays reported as ineligible, with what ACE does with the claim.
  if (era.suspended)
    return era.ineligible ?? { code: 'INELIGIBLE-SUSPENDED', text: 'DE MINIMIS SUSPENDED FOR ALL COUNTRIES' };
  if (bill.origin !== undefined && era.excludedOrigins.includes(bill.origin)) {
    return { code: 'INELIGIBLE-ORIGIN', text: `ORIGIN ${bill.origin} NOT ELIGIBLE FOR DE MINIMIS` };
  }
  for (const hts of bill.hts) {
    const digits = hts.replace(/\D/g, '');
    const hit = config.ineligibleCommodities.find((c) => digits.startsWith(c.htsPrefix));
    if (hit !== undefined) return { code: 'INELIGIBLE-COMMODITY', text: `HTS ${hts}: ${hit.reason}` };
  }
  if (!era.aggregation && bill.cents > era.thresholdCents) {
    return { code: 'INELIGIBLE-VALUE', text: `VALUE EXCEEDS ${era.thresholdCents / 100} USD DE MINIMIS` };
  }
  return undefined;
}

/**
 * Moves a bill's contribution from its previous person-day to its new one, atomically per
 * person-day: an amendment within one person-day changes its total once, by the difference, and a
 * move leaves one person-day and joins another. What is decided — a drop below the threshold, a
 * crossing, a later shipment of an exceeded day — follows from each person-day's total before and
 * after the event, never from an intermediate total (issue #13: taking the old amount out and
 * adding the new one back made every amendment on an exceeded day look like a drop and a crossing).
 */
function place(
  ws: WorkingSet,
  prev: BillRecord | undefined,
  next: BillRecord,
  ev: ShipmentEvent,
  config: AggregationConfig,
): void {
  const wasCounted = prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined;
  next.counted = false;
  const placement =
    next.deleted || next.consigneeKey === undefined ? undefined : placementOf(next, config.rules);
  if (placement !== undefined) {
    next.day = placement.day;
    next.profile = placement.era.profile;
  }
  const countable =
    placement !== undefined &&
    next.mode !== 'mail' &&
    (next.shipmentType === 'S321' || next.shipmentType === 'ET86');
  const notEligible = countable ? ineligibility(next, placement.era, config) : undefined;

  if (
    wasCounted &&
    countable &&
    notEligible === undefined &&
    prev.consigneeKey === next.consigneeKey &&
    prev.day === placement.day
  ) {
    // Same person-day: the contribution changes by the difference, the bill keeps its place.
    const pd = ws.personDay(prev.consigneeKey as string, placement.day);
    const before = pd.totalCents;
    pd.totalCents += next.cents - prev.cents;
    next.counted = true;
    next.acceptedSeq = prev.acceptedSeq;
    ws.putBill(next);
    decide(ws, pd, before, next, false, placement.era, config, ev);
    return;
  }

  if (wasCounted) leave(ws, prev, ev, config);
  if (!countable) {
    ws.putBill(next);
    return;
  }
  if (notEligible !== undefined) {
    report(ws, next, notEligible, placement.era, ev);
    ws.putBill(next);
    return;
  }
  const pd = ws.personDay(next.consigneeKey as string, placement.day);
  const before = pd.totalCents;
  next.counted = true;
  next.acceptedSeq = ws.takeAcceptSeq();
  pd.totalCents += next.cents;
  pd.bills += 1;
  const left = wasCounted
    ? { consigneeKey: prev.consigneeKey as string, day: prev.day as string }
    : undefined;
  ws.joinMember(pd, next.key, next.acceptedSeq, ev, left);
  ws.putBill(next);
  decide(ws, pd, before, next, true, placement.era, config, ev);
}

/** The bill's contribution leaves its person-day; a real drop to or below the threshold is audited. */
function leave(ws: WorkingSet, prev: BillRecord, ev: ShipmentEvent, config: AggregationConfig): void {
  const pd = ws.personDay(prev.consigneeKey as string, prev.day as string);
  const before = pd.totalCents;
  pd.totalCents -= prev.cents;
  pd.bills -= 1;
  const era = config.rules.eraFor(pd.day);
  if (era.aggregation && before > era.thresholdCents && pd.totalCents <= era.thresholdCents)
    auditDrop(ws, pd, prev.key, ev);
}

function auditDrop(ws: WorkingSet, pd: PersonDayRecord, bill: string, ev: ShipmentEvent): void {
  ws.audit.push({
    kind: 'below-threshold-after-exceeded',
    consigneeKey: pd.consigneeKey,
    day: pd.day,
    bill,
    totalCents: pd.totalCents,
    causeEventId: ev.eventId,
    detail: 'person-day dropped to or below the threshold; notifications already sent are not retracted',
  });
}

/**
 * Decides for a person-day whose total went from `before` to its current total because of `bill`
 * (counted in it now; `joined` when the bill has just entered it).
 */
function decide(
  ws: WorkingSet,
  pd: PersonDayRecord,
  before: number,
  bill: BillRecord,
  joined: boolean,
  era: RuleEra,
  config: AggregationConfig,
  ev: ShipmentEvent,
): void {
  if (!era.aggregation) return;
  const threshold = era.thresholdCents;
  const after = pd.totalCents;
  if (after <= threshold) {
    if (before > threshold) auditDrop(ws, pd, bill.key, ev);
    return;
  }
  const crossing = before <= threshold;
  if (crossing) {
    // The day crosses: every member not notified yet is an earlier bill, in acceptance order. A
    // member that already has a standing (notified on another day, or before a real drop) is sent
    // only what that standing allows; for most that is nothing new.
    for (const member of ws.membersFrom(pd, pd.unnotifiedFrom ?? 0)) {
      if (member.key === bill.key) continue;
      notify(
        ws,
        member,
        standingOf(member, config.hold) ?? { role: 'earlier', withhold: false },
        era,
        config,
        after,
        ev,
      );
    }
  }
  // The causing bill is the crossing shipment, or a later one of an exceeded day, treated alike —
  // unless it was already notified: then it keeps that standing (a released bill is not withheld
  // afterwards, a withheld one is not told it may go), and an arrival or an amendment that would
  // have given it another is recorded.
  const fresh: NotifiedStanding = { role: 'crossing', withhold: era.withhold };
  const kept = standingOf(bill, config.hold);
  if (
    kept !== undefined &&
    (crossing || joined) &&
    (kept.role !== fresh.role || kept.withhold !== fresh.withhold)
  ) {
    ws.audit.push({
      kind: 'notification-role-kept',
      consigneeKey: pd.consigneeKey,
      day: pd.day,
      bill: bill.key,
      totalCents: after,
      causeEventId: ev.eventId,
      detail: `${crossing ? 'crossed the threshold' : 'joined the exceeded person-day'} as a bill already notified as ${describe(kept)}; it keeps that standing`,
    });
  }
  notify(ws, bill, kept ?? fresh, era, config, after, ev);
  if (crossing) ws.settleMembers(pd);
  pd.everExceeded = true;
}

function describe(standing: NotifiedStanding): string {
  return standing.role === 'earlier'
    ? 'an earlier bill'
    : standing.withhold
      ? 'withheld'
      : 'the crossing shipment (not withheld)';
}

/**
 * The standing a bill was notified in. Bills stored before standings were kept carry only their
 * notification keys: a hold code means withheld; an 098 / 284 (crossing-only) a crossing shipment;
 * any other carrier or broker notification an earlier bill (which, where release 2 sends the crossing
 * shipment the same codes, changes nothing that is sent).
 */
function standingOf(bill: BillRecord, hold: HoldCodes): NotifiedStanding | undefined {
  if (bill.standing !== undefined) return bill.standing;
  const sent = bill.notified.filter((key) => !key.startsWith('report|'));
  if (sent.length === 0) return undefined;
  const holdKeys = new Set([
    `truck-x12-350|${hold.truckX12}`,
    `truck-cusres|${hold.truckEdifact}`,
    `air-camir-fsn|${hold.carrier}`,
    `carrier-x12-350|${hold.carrier}`,
    `broker-abi-so|${hold.abi}`,
  ]);
  if (sent.some((key) => holdKeys.has(key))) return { role: 'crossing', withhold: true };
  if (sent.some((key) => key === 'air-camir-fer|098' || key === 'broker-abi-sx|284'))
    return { role: 'crossing', withhold: false };
  return { role: 'earlier', withhold: false };
}

function notify(
  ws: WorkingSet,
  bill: BillRecord,
  standing: NotifiedStanding,
  era: RuleEra,
  config: AggregationConfig,
  totalCents: number,
  ev: ShipmentEvent,
): void {
  const planned = planNotifications(bill, standing.role, standing.withhold, config.hold);
  // One new record for whatever this call adds (standing, notification keys), not one per key:
  // decisionOf reads only fields that stay as they are, and keeps nothing of the record.
  let changed: BillRecord | undefined =
    bill.standing === undefined ? { ...bill, standing: { ...standing } } : undefined;
  for (const n of planned) {
    const key = notificationKey(n.channel, n.code);
    if ((changed ?? bill).notified.includes(key)) continue;
    changed ??= { ...bill };
    changed.notified = [...changed.notified, key];
    ws.decisions.push(
      decisionOf(
        ws,
        changed,
        n.channel,
        n.code,
        n.text,
        n.recipient,
        standing.role,
        n.withhold,
        era,
        totalCents,
        ev,
      ),
    );
  }
  if (changed === undefined) return; // nothing new: already notified in this standing
  ws.putBill(changed);
  if (bill.shipmentType === 'ET86' && brokerOf(bill) === undefined) {
    ws.audit.push({
      kind: 'no-broker-for-et86',
      bill: bill.key,
      causeEventId: ev.eventId,
      detail: 'ET86 bill without broker id or entry number: broker not notified',
    });
  }
}

/** Reports a placed bill (its `day` is the placement's) as ineligible, once per reason. */
function report(
  ws: WorkingSet,
  bill: BillRecord,
  why: { code: string; text: string },
  era: RuleEra,
  ev: ShipmentEvent,
): void {
  const key = notificationKey('report', why.code);
  if (bill.notified.includes(key)) return;
  bill.notified = [...bill.notified, key];
  ws.decisions.push(
    decisionOf(ws, bill, 'report', why.code, why.text, bill.carrierScac, 'ineligible', false, era, 0, ev),
  );
}

function decisionOf(
  ws: WorkingSet,
  bill: BillRecord,
  channel: Decision['channel'],
  code: string,
  text: string,
  recipient: string,
  role: Decision['role'],
  withhold: boolean,
  era: RuleEra,
  totalCents: number,
  ev: ShipmentEvent,
): Decision {
  return {
    decisionId: `${bill.key}|${channel}|${code}`,
    seq: ws.takeDecisionSeq(),
    bill: bill.key,
    issuer: bill.issuer,
    scn: bill.scn,
    carrierScac: bill.carrierScac,
    mode: bill.mode,
    channel,
    code,
    text,
    recipient,
    role,
    withhold,
    consigneeKey: bill.consigneeKey ?? '',
    day: bill.day ?? '',
    totalCents,
    profile: era.profile,
    ...optional('entryNumber', bill.entryNumber),
    ...optional('pieces', bill.pieces),
    ...optional('port', bill.port),
    ...optional('flight', bill.flight),
    causeEventId: ev.eventId,
    cause: ev.source,
  };
}
