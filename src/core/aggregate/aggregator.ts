/**
 * The decision core (rules.md §1–§6): applies shipment events, in processing order, to the per
 * (ultimate consignee, day) totals and returns the notifications to send. Pure: state comes in
 * through a StateView, every change goes out in a ChangeSet the store commits atomically.
 */
import type { Decision } from '../model/decision.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import { murmur3x86_128 } from '../normalize/hash128.js';
import type { RuleEra, RuleSelector } from '../rules/calendar.js';
import { type HoldCodes, type NotifyRole, brokerOf, planNotifications } from './notification-plan.js';
import { type BillRecord, type ChangeSet, type StateView, notificationKey } from './state.js';
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

/** Applies a batch of events in order. The returned ChangeSet holds decisions in processing order. */
export function applyEvents(
  events: readonly ShipmentEvent[],
  view: StateView,
  config: AggregationConfig,
): ChangeSet {
  const ws = new WorkingSet(view);
  for (const event of events) applyEvent(ws, event, config);
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
  const next = billFromEvent(ev, prev);
  if (
    prev !== undefined &&
    !prev.deleted &&
    prev.consigneeKey !== undefined &&
    prev.versionHash === next.versionHash
  ) {
    return; // the same shipment version again: changes nothing, notifies nothing (rules.md §2)
  }
  place(ws, prev, next, ev, config);
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
      ...optional('arrivalDate', ev.arrivalDate),
      ...optional('arrivalTime', ev.arrivalTime),
      ...optional('lastDisposition', ev.disposition),
    };
    ws.putBill(stub);
    ws.audit.push({
      kind: 'status-before-declaration',
      bill: ev.bill.key,
      causeEventId: ev.eventId,
      detail: `status ${ev.disposition ?? ''} before any declaration`,
    });
    return;
  }
  const next: BillRecord = {
    ...prev,
    lastEventId: ev.eventId,
    ...optional('lastDisposition', ev.disposition),
    ...optional('arrivalDate', ev.arrivalDate),
    ...optional('arrivalTime', ev.arrivalTime),
  };
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

function billFromEvent(ev: ShipmentEvent, prev: BillRecord | undefined): BillRecord {
  const cents = ev.value?.usdCents ?? 0;
  // Only equality matters, so the counting-relevant content is kept as a 128-bit hash (32 hex
  // characters instead of ~100: the bill row is written once per shipment).
  const versionHash = murmur3x86_128(
    [
      ev.consigneeKey ?? '',
      ev.eda ?? '',
      cents,
      ev.mode,
      ev.shipmentType,
      ev.express ? 'X' : '',
      ev.origins.join(','),
      ev.hts.join(','),
      ev.brokerId ?? '',
      ev.entryNumber ?? '',
      ev.carrierScac,
    ].join('|'),
  );
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
  // Assigned one by one rather than spread from `optional()`: this runs once per shipment, and the
  // spreads allocated a dozen short-lived objects each time (profile: ~4% of a replay).
  if (ev.brokerId !== undefined) bill.brokerId = ev.brokerId;
  if (ev.entryNumber !== undefined) bill.entryNumber = ev.entryNumber;
  if (ev.port !== undefined) bill.port = ev.port;
  if (ev.pieces !== undefined) bill.pieces = ev.pieces;
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
  if (era.suspended) return { code: 'INELIGIBLE-SUSPENDED', text: 'DE MINIMIS SUSPENDED FOR ALL COUNTRIES' };
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

/** Moves a bill's contribution from its previous person-day to its new one and notifies. */
function place(
  ws: WorkingSet,
  prev: BillRecord | undefined,
  next: BillRecord,
  ev: ShipmentEvent,
  config: AggregationConfig,
): void {
  // 1. The old contribution leaves its old person-day.
  if (prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined) {
    const old = ws.personDay(prev.consigneeKey, prev.day);
    const oldEra = config.rules.eraFor(prev.day);
    const wasOver = old.totalCents > oldEra.thresholdCents;
    old.totalCents -= prev.cents;
    old.bills -= 1;
    ws.removeMember(prev.consigneeKey, prev.day, prev.key);
    if (wasOver && old.totalCents <= oldEra.thresholdCents) {
      ws.audit.push({
        kind: 'below-threshold-after-exceeded',
        consigneeKey: prev.consigneeKey,
        day: prev.day,
        bill: prev.key,
        totalCents: old.totalCents,
        causeEventId: ev.eventId,
        detail: 'person-day dropped to or below the threshold; notifications already sent are not retracted',
      });
    }
  }

  next.counted = false;
  const placement =
    next.deleted || next.consigneeKey === undefined ? undefined : placementOf(next, config.rules);
  if (placement === undefined) {
    ws.putBill(next);
    return;
  }
  const { day, era } = placement;
  next.day = day;
  next.profile = era.profile;
  const consigneeKey = next.consigneeKey as string;

  const countable = next.mode !== 'mail' && (next.shipmentType === 'S321' || next.shipmentType === 'ET86');
  if (!countable) {
    ws.putBill(next);
    return;
  }
  const notEligible = ineligibility(next, era, config);
  if (notEligible !== undefined) {
    report(ws, next, notEligible, era, day, ev);
    ws.putBill(next);
    return;
  }

  // 2. The new contribution joins its person-day.
  const pd = ws.personDay(consigneeKey, day);
  const samePersonDay = prev?.counted === true && prev.consigneeKey === consigneeKey && prev.day === day;
  next.counted = true;
  next.acceptedSeq = samePersonDay ? (prev as BillRecord).acceptedSeq : ws.takeAcceptSeq();
  const before = pd.totalCents;
  pd.totalCents += next.cents;
  pd.bills += 1;
  ws.addMember(consigneeKey, day, next.key);
  ws.putBill(next);

  if (!era.aggregation || pd.totalCents <= era.thresholdCents) return;

  // 3. Exceeded: the causing bill is treated as the crossing shipment; on the transition every
  //    earlier accepted bill of the person-day is notified too. Each notification at most once.
  if (before <= era.thresholdCents) {
    for (const key of ws.billsOf(consigneeKey, day)) {
      if (key === next.key) continue;
      const member = ws.bill(key);
      if (member !== undefined) notify(ws, member, 'earlier', era, config.hold, pd.totalCents, ev);
    }
  }
  notify(ws, next, 'crossing', era, config.hold, pd.totalCents, ev);
  pd.everExceeded = true;
}

function notify(
  ws: WorkingSet,
  bill: BillRecord,
  role: NotifyRole,
  era: RuleEra,
  hold: HoldCodes,
  totalCents: number,
  ev: ShipmentEvent,
): void {
  const planned = planNotifications(bill, role, era, hold);
  if (bill.shipmentType === 'ET86' && brokerOf(bill) === undefined) {
    ws.audit.push({
      kind: 'no-broker-for-et86',
      bill: bill.key,
      causeEventId: ev.eventId,
      detail: 'ET86 bill without broker id or entry number: broker not notified',
    });
  }
  let changed: BillRecord | undefined;
  for (const n of planned) {
    const key = notificationKey(n.channel, n.code);
    const current = changed ?? bill;
    if (current.notified.includes(key)) continue;
    changed = { ...current, notified: [...current.notified, key] };
    ws.decisions.push(
      decisionOf(ws, changed, n.channel, n.code, n.text, n.recipient, role, n.withhold, era, totalCents, ev),
    );
  }
  if (changed !== undefined) ws.putBill(changed);
}

function report(
  ws: WorkingSet,
  bill: BillRecord,
  why: { code: string; text: string },
  era: RuleEra,
  day: string,
  ev: ShipmentEvent,
): void {
  const key = notificationKey('report', why.code);
  if (bill.notified.includes(key)) return;
  bill.notified = [...bill.notified, key];
  ws.decisions.push(
    decisionOf(
      ws,
      { ...bill, day },
      'report',
      why.code,
      why.text,
      bill.carrierScac,
      'ineligible',
      false,
      era,
      0,
      ev,
    ),
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
    causeEventId: ev.eventId,
    cause: ev.source,
  };
}
