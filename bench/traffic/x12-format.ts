/**
 * Writes X12 interchanges in CBP's layouts (docs/conformance.md): 309 manifests (GS01 AQ) and 350 status
 * messages (GS01 AU), version 004060, one carrier per interchange.
 */
import type { ByteWriter } from './byte-writer.js';
import type { TrafficDay } from './calendar.js';
import {
  BILL_TYPE,
  BROKERS,
  type Carrier,
  CURRENCIES,
  GOODS,
  ORIGINS,
  OTHER_STATUS_CODES,
  SHIPPERS,
  X12_MODE_CODE,
} from './catalog.js';
import { type InterchangeTally, zeroEvents } from './ground-truth.js';
import type { ConsigneeFields } from './population.js';
import type { Action, CarrierState, PlannedShipment, ShipmentPlanner } from './shipment-plan.js';
import { TemplateCache } from './template-cache.js';

const STAR = 42;
const TILDE = 126;
const LF = 10;
const DOT = 46;
const SPACE = 32;

/** Per-partner layout: most send `*` `>` `~` + LF; some omit the LF; one uses `|` elements. */
interface X12Layout {
  element: number;
  component: number;
  newline: boolean;
}

function layoutFor(state: CarrierState): X12Layout {
  if (state.carrier.scac === 'MXCF') return { element: 124, component: 58, newline: true };
  return { element: STAR, component: 62, newline: state.index % 3 !== 0 };
}

const RECEIVER = 'CBPACE         ';

export type ShipmentObserver = (s: PlannedShipment, carrier: Carrier) => void;

/** Template kinds (see template-cache.ts). */
const T_SHIPPER = 0;
const T_FORWARDER = 1;
const T_GOODS = 2;
const T_ORIGIN = 3;
const T_N9 = 4;
const T_BROKER = 5;
const T_CURRENCY = 6;

export class X12Format {
  private segs = 0;
  private e = STAR;
  private nl = true;
  /** Layout id for the template cache: the carrier's index (each carrier has one layout). */
  private layoutId = 0;
  private readonly cache = new TemplateCache();
  private readonly render = (kind: number, entity: number): number => this.renderTemplate(kind, entity);

  constructor(
    private readonly w: ByteWriter,
    private readonly planner: ShipmentPlanner,
    private readonly days: readonly TrafficDay[],
    private readonly observe: ShipmentObserver,
  ) {}

  private end(): void {
    this.w.byte(TILDE);
    if (this.nl) this.w.byte(LF);
    this.segs++;
    // One bounds check per segment (segments are far shorter than RESERVE).
    this.w.reserve();
  }

  /** Element separator then text. */
  private el(s: string): void {
    this.w.byte(this.e);
    this.w.str(s);
  }

  private open(state: CarrierState, day: TrafficDay, hhmm: string, functional: string): number {
    const w = this.w;
    w.reserve();
    const layout = layoutFor(state);
    this.layoutId = state.index;
    this.e = layout.element;
    this.nl = layout.newline;
    const e = this.e;
    const ctrl = state.interchangeCtrl++ % 1000000000;
    const group = ++state.groupCtrl;
    const sender = `${state.carrier.scac}EDI`.padEnd(15, ' ');
    w.str('ISA');
    this.el('00');
    this.el('          ');
    this.el('00');
    this.el('          ');
    this.el('ZZ');
    this.el(sender);
    this.el('ZZ');
    this.el(RECEIVER);
    this.el(day.yymmdd);
    this.el(hhmm);
    this.el('^');
    this.el('00406');
    w.byte(e);
    w.padded(ctrl, 9);
    this.el('0');
    this.el('P');
    w.byte(e);
    w.byte(layout.component);
    this.end();
    w.str('GS');
    this.el(functional);
    this.el(`${state.carrier.scac}EDI`);
    this.el('CBPACE');
    this.el(day.ccyymmdd);
    this.el(hhmm);
    w.byte(e);
    w.uint(group);
    this.el('X');
    this.el('004060');
    this.end();
    return ctrl;
  }

  private close(ctrl: number, group: number, messages: number): void {
    const w = this.w;
    w.str('GE');
    w.byte(this.e);
    w.uint(messages);
    w.byte(this.e);
    w.uint(group);
    this.end();
    w.str('IEA');
    this.el('1');
    w.byte(this.e);
    w.padded(ctrl, 9);
    this.end();
  }

  private stOpen(type: string, state: CarrierState): number {
    const ref = (++state.messageCtrl % 100000000) + 1000;
    this.w.str('ST');
    this.el(type);
    this.w.byte(this.e);
    this.w.uint(ref);
    this.end();
    return ref;
  }

  private stClose(ref: number, startSegs: number): void {
    this.w.str('SE');
    this.w.byte(this.e);
    this.w.uint(this.segs - startSegs + 1);
    this.w.byte(this.e);
    this.w.uint(ref);
    this.end();
  }

  private m10p4(state: CarrierState, port: string, day: TrafficDay, hhmm: string | null): void {
    const w = this.w;
    const c = state.carrier;
    w.str('M10');
    this.el(c.scac);
    this.el(X12_MODE_CODE[c.mode]);
    this.el('US');
    w.byte(this.e);
    w.byte(this.e);
    w.byte(this.e);
    w.str(c.mode === 'air' ? 'FL' : c.mode === 'truck' ? 'TRIP' : 'V');
    w.padded(this.planner.rng.range(1, 99999), 5);
    this.end();
    w.str('P4');
    this.el(port);
    this.el(day.ccyymmdd);
    if (hhmm !== null) {
      w.byte(this.e);
      w.byte(this.e);
      this.el(hhmm);
    }
    this.end();
  }

  /** A 309 interchange of `count` shipment loops in 1–3 manifests; returns its counts. */
  manifest(
    state: CarrierState,
    dayIndex: number,
    count: number,
    amendRate: number,
    deleteRate: number,
  ): InterchangeTally {
    const rng = this.planner.rng;
    const day = this.days[dayIndex] as TrafficDay;
    const hhmm = hhmmOf(rng.range(0, 1439));
    const startSegs = this.segs;
    const ctrl = this.open(state, day, hhmm, 'AQ');
    const group = state.groupCtrl;
    const tally: InterchangeTally = {
      standard: 'x12',
      messageType: '309',
      messages: 0,
      segments: 0,
      events: zeroEvents(),
    };
    const manifests = count < 800 ? 1 : rng.range(1, 3);
    let left = count;
    for (let m = 0; m < manifests; m++) {
      const n = m === manifests - 1 ? left : Math.floor(count / manifests);
      left -= n;
      const port = rng.pick(state.carrier.ports);
      const stSegs = this.segs;
      const ref = this.stOpen('309', state);
      this.m10p4(state, port, day, rng.chance(0.7) ? hhmmOf(rng.range(0, 1439)) : null);
      for (let i = 1; i <= n; i++) {
        const u = rng.float();
        const wanted: Action = u < deleteRate ? 'D' : u < deleteRate + amendRate ? 'C' : 'A';
        const s = this.planner.plan(state, dayIndex, wanted);
        this.shipmentLoop(state, port, i, s);
        if (s.action === 'A') tally.events.declared++;
        else if (s.action === 'C') tally.events.amended++;
        else tally.events.deleted++;
        this.observe(s, state.carrier);
      }
      this.stClose(ref, stSegs);
      tally.messages++;
    }
    this.close(ctrl, group, manifests);
    tally.segments = this.segs - startSegs;
    return tally;
  }

  private bill(state: CarrierState, seq: number): void {
    writeBill(this.w, state.carrier, seq);
  }

  private shipmentLoop(state: CarrierState, port: string, lx: number, s: PlannedShipment): void {
    const w = this.w;
    const e = this.e;
    const scac = state.carrier.scac;
    w.str('LX');
    w.byte(e);
    w.uint(lx);
    this.end();
    if (s.action !== 'A' || lx % 16 === 0) {
      w.str('M13');
      this.el(scac);
      this.el(port);
      w.byte(e);
      w.byte(s.action === 'A' ? 65 : s.action === 'C' ? 67 : 68);
      this.end();
    }
    w.str('M11');
    w.byte(e);
    this.bill(state, s.seq);
    this.el(port);
    if (s.action === 'D') {
      this.end();
      return;
    }
    w.byte(e);
    w.uint(s.pieces);
    this.el('PCS');
    const mode = state.carrier.mode;
    if (s.type === 'S321') {
      // M11-05..08 empty, M11-09 the Section 321 bill type (truck: every fifth one 35, with FDA).
      w.byte(e);
      w.byte(e);
      w.byte(e);
      w.byte(e);
      this.el(mode === 'truck' && s.seq % 5 === 0 ? '35' : BILL_TYPE[mode]);
    }
    this.end();
    if (s.type === 'S321' && mode === 'rail') {
      // Rail residue cargo: its rail bill in N9*ZF (CSMS 12-000064).
      w.str('N9');
      this.el('ZF');
      w.byte(e);
      this.bill(state, s.seq);
      this.end();
    }
    if (s.type === 'ET86') {
      this.tpl(T_N9, 1);
      const broker = BROKERS[s.broker] ?? BROKERS[0];
      w.str('N9');
      this.el('EN');
      this.el(broker?.filer ?? 'XXX');
      w.uint(s.entryNo);
      this.end();
    }
    if (s.withShipper) this.tpl(T_SHIPPER, s.shipper);
    if (s.partyLayout === 2) this.tpl(T_FORWARDER, 0);
    this.party('CN', s.consignee, s.longSuffix, s.zip4);
    if (s.type === 'ET86') this.tpl(T_BROKER, s.broker);
    for (let g = 0; g < s.goodsCount; g++) {
      w.str('N10');
      w.byte(e);
      w.uint(s.qty[g] as number);
      this.tpl(T_GOODS, s.goods[g] as number);
      w.cents(s.amount[g] as number, DOT);
      this.tpl(T_ORIGIN, s.origin[g] as number);
      const c = s.currency[g] as number;
      if (c >= 0) this.tpl(T_CURRENCY, c);
      this.end();
    }
  }

  private tpl(kind: number, entity: number): void {
    const before = this.segs;
    this.segs = before + this.cache.write(this.w, this.layoutId, kind, entity, this.render);
  }

  /** Renders one cacheable piece for the current layout; returns the segments it ended. */
  private renderTemplate(kind: number, entity: number): number {
    const w = this.w;
    const e = this.e;
    const before = this.segs;
    switch (kind) {
      case T_SHIPPER: {
        const sh = SHIPPERS[entity] ?? SHIPPERS[0];
        w.str('N1');
        this.el('SH');
        this.el(sh?.name ?? '');
        this.end();
        w.str('N4');
        this.el(sh?.city ?? '');
        w.byte(e);
        this.el(sh?.postal ?? '');
        this.el(sh?.country ?? '');
        this.end();
        break;
      }
      case T_FORWARDER:
        // The forwarder as notify party: the consignee ACE aggregates on is the person (N1*CN).
        w.str('N1');
        this.el('NP');
        this.el('GLOBAL PARCEL FORWARDING INC');
        this.end();
        w.str('N3');
        this.el('2200 COMMERCE DR');
        this.end();
        w.str('N4');
        this.el('LAREDO');
        this.el('TX');
        this.el('78045');
        this.el('US');
        this.end();
        break;
      case T_GOODS: {
        // N10-02 description, N10-04 HS, N10-05 HTS, then the separator before N10-06 (amount).
        const goods = GOODS[entity] ?? GOODS[0];
        this.el(goods?.description ?? '');
        w.byte(e);
        this.el('HS');
        this.el(goods?.hts ?? '');
        w.byte(e);
        break;
      }
      case T_ORIGIN:
        // N10-07..10 empty, N10-11 origin.
        w.byte(e);
        w.byte(e);
        w.byte(e);
        w.byte(e);
        this.el(ORIGINS[entity]?.[0] ?? 'US');
        break;
      case T_CURRENCY:
        // N10-12 empty, N10-13 currency.
        w.byte(e);
        this.el(CURRENCIES[entity]?.[0] ?? 'USD');
        break;
      case T_N9:
        // Entry type 86 (the profile's N9 entry type qualifier, an unconfirmed default).
        w.str('N9');
        this.el('ET');
        this.el('86');
        this.end();
        break;
      case T_BROKER: {
        const broker = BROKERS[entity] ?? BROKERS[0];
        w.str('N1');
        this.el('CB');
        this.el(broker?.name ?? '');
        this.el('ZZ');
        this.el(broker?.filer ?? '');
        this.end();
        break;
      }
    }
    return this.segs - before;
  }

  private party(role: string, c: ConsigneeFields, longSuffix: boolean, zip4: boolean): void {
    const w = this.w;
    const e = this.e;
    w.str('N1');
    this.el(role);
    w.byte(e);
    if (c.company !== null) {
      w.str(c.company);
      this.el('24');
      this.el(c.id ?? '');
    } else {
      w.str(c.first?.ascii ?? '');
      w.byte(SPACE);
      w.str(c.last?.ascii ?? '');
    }
    this.end();
    w.str('N3');
    w.byte(e);
    w.uint(c.houseNo);
    w.byte(SPACE);
    w.str(c.street.name);
    w.byte(SPACE);
    w.str(longSuffix ? c.street.long : c.street.short);
    if (c.apt > 0) {
      this.el(c.company !== null ? 'SUITE ' : longSuffix ? 'APARTMENT ' : 'APT ');
      w.uint(c.apt);
    }
    this.end();
    w.str('N4');
    this.el(c.city.city);
    this.el(c.city.state);
    this.el(c.city.zip3);
    w.padded(c.zipTail, 2);
    if (zip4) {
      w.byte(45);
      w.padded(c.plus4, 4);
    }
    this.el('US');
    this.end();
  }

  /**
   * A 350 interchange with one X4 per bill: mostly 19 (actual conveyance arrival) of recent bills of the carrier; a
   * share refers to bills the carrier has not declared yet (status ahead of its manifest).
   */
  status(
    state: CarrierState,
    dayIndex: number,
    count: number,
    aheadRate: number,
  ): InterchangeTally & { arrivals: number; ahead: number } {
    const rng = this.planner.rng;
    const day = this.days[dayIndex] as TrafficDay;
    const hhmm = hhmmOf(rng.range(0, 1439));
    const startSegs = this.segs;
    const ctrl = this.open(state, day, hhmm, 'AU');
    const group = state.groupCtrl;
    const w = this.w;
    const e = this.e;
    const stSegs = this.segs;
    const ref = this.stOpen('350', state);
    this.m10p4(state, rng.pick(state.carrier.ports), day, null);
    let arrivals = 0;
    let ahead = 0;
    for (let i = 0; i < count; i++) {
      const slot = rng.float() < aheadRate ? -1 : state.pickRecent(rng);
      let seq: number;
      let d = dayIndex;
      if (slot < 0) {
        seq = state.nextSeq + rng.range(0, 200);
        ahead++;
      } else {
        seq = state.seqAt(slot);
        d = state.dayAt(slot);
      }
      const minute = rng.range(0, 1439);
      // Arrivals late in the evening sometimes land on the next calendar day.
      const arrivalDay = this.days[Math.min(this.days.length - 1, d + (minute > 1380 ? 1 : 0))] as TrafficDay;
      const code = rng.float() < 0.85 ? '19' : rng.pick(OTHER_STATUS_CODES);
      if (code === '19') arrivals++;
      w.str('X4');
      w.byte(e);
      writeBill(w, state.carrier, seq);
      w.byte(e);
      w.uint(rng.range(1, 5));
      w.byte(e);
      w.byte(e);
      w.byte(e);
      w.str(arrivalDay.ccyymmdd);
      this.el(hhmmOf((minute + 60) % 1440));
      this.el(code);
      w.byte(e);
      this.el(state.carrier.scac);
      this.end();
      if (code !== '19' && rng.float() < 0.5) {
        w.str('K1');
        this.el(code === '95' ? 'S321 AGGREGATE VALUE WARNING' : 'STATUS UPDATE');
        this.end();
      }
    }
    this.stClose(ref, stSegs);
    this.close(ctrl, group, 1);
    return {
      standard: 'x12',
      messageType: '350',
      messages: 1,
      segments: this.segs - startSegs,
      events: { declared: 0, amended: 0, deleted: 0, status: count },
      arrivals,
      ahead,
    };
  }
}

/** Bill / SCN text: air waybill (prefix + 7-digit serial + mod-7 check digit), else SCAC + 10 digits. */
export function writeBill(w: ByteWriter, carrier: Carrier, seq: number): void {
  if (carrier.awbPrefix !== undefined) {
    const serial = seq % 10000000;
    w.str(carrier.awbPrefix);
    w.padded(serial, 7);
    w.byte(48 + (serial % 7));
  } else {
    w.str(carrier.scac);
    w.padded(seq, 10);
  }
}

const HHMM: string[] = Array.from(
  { length: 1440 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`,
);

export function hhmmOf(minute: number): string {
  return HHMM[minute] as string;
}
