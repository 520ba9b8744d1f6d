/**
 * Writes UN/EDIFACT interchanges in CBP's layouts (docs/conformance.md): CUSCAR (BGM 9 originals, 5
 * amendments, 3 deletions — one function per message, so amendments and deletions travel in their
 * own messages) and CUSRES status messages, directory D:03B, one carrier per interchange.
 * Partners differ: most send a UNA and UNOC (latin-1, accented names as single bytes), some UNOA
 * without UNA (defaults, ASCII), one uses a decimal comma. Data with service characters is released.
 */
import type { ByteWriter, Delims } from './byte-writer.js';
import type { TrafficDay } from './calendar.js';
import { BROKERS, CURRENCIES, CUSRES_SHIPMENT_CODES, EDIFACT_MODE_CODE, GOODS, ORIGINS } from './catalog.js';
import { type InterchangeTally, zeroEvents } from './ground-truth.js';
import type { ConsigneeFields } from './population.js';
import type { CarrierState, PlannedShipment, ShipmentPlanner } from './shipment-plan.js';
import { TemplateCache } from './template-cache.js';
import { hhmmOf, type ShipmentObserver, writeBill } from './x12-format.js';

const PLUS = 43;
const COLON = 58;
const APOS = 39;
const QMARK = 63;
const LF = 10;
const SPACE = 32;

interface EdifactLayout {
  d: Delims;
  una: boolean;
  /** UNOC (latin-1 letters allowed) or UNOA (ASCII upper case). */
  syntax: 'UNOC:3' | 'UNOA:2';
  newline: boolean;
}

function layoutFor(state: CarrierState): EdifactLayout {
  const decimal = state.carrier.scac === 'HRBR' ? 44 : 46;
  const d: Delims = { segment: APOS, element: PLUS, component: COLON, release: QMARK, decimal };
  if (state.carrier.scac === 'VRTL' || state.carrier.scac === 'INPO') {
    return { d, una: false, syntax: 'UNOA:2', newline: false };
  }
  return { d, una: true, syntax: 'UNOC:3', newline: state.index % 2 === 0 };
}

type CuscarFunction = '9' | '5' | '3';

/** Template kinds (see template-cache.ts). */
const T_GOODS = 0;
const T_ORIGIN = 1;
const T_DOC = 2;
const T_BROKER = 3;
const T_FORWARDER = 4;
const T_CURRENCY = 5;

export class EdifactFormat {
  private segs = 0;
  /** Layout id for the template cache: the carrier's index (each carrier has one layout). */
  private layoutId = 0;
  private readonly cache = new TemplateCache();
  private readonly render = (kind: number, entity: number): number => this.renderTemplate(kind, entity);
  private layout: EdifactLayout = {
    d: { segment: APOS, element: PLUS, component: COLON, release: QMARK, decimal: 46 },
    una: true,
    syntax: 'UNOC:3',
    newline: false,
  };

  constructor(
    private readonly w: ByteWriter,
    private readonly planner: ShipmentPlanner,
    private readonly days: readonly TrafficDay[],
    private readonly observe: ShipmentObserver,
  ) {}

  private end(): void {
    this.w.byte(this.layout.d.segment);
    if (this.layout.newline) this.w.byte(LF);
    this.segs++;
    // One bounds check per segment (segments are far shorter than RESERVE).
    this.w.reserve();
  }

  private el(s: string): void {
    this.w.byte(PLUS);
    this.w.str(s);
  }

  /** Element with text that may hold service characters. */
  private text(s: string): void {
    this.w.byte(PLUS);
    this.w.escaped(s, this.layout.d);
  }

  private open(state: CarrierState, day: TrafficDay, hhmm: string): number {
    const w = this.w;
    w.reserve();
    this.layout = layoutFor(state);
    this.layoutId = state.index;
    const d = this.layout.d;
    if (this.layout.una) {
      w.str('UNA');
      w.byte(d.component);
      w.byte(d.element);
      w.byte(d.decimal);
      w.byte(d.release);
      w.byte(SPACE);
      w.byte(d.segment);
      if (this.layout.newline) w.byte(LF);
    }
    const ctrl = state.interchangeCtrl++ % 100000000000000;
    w.str('UNB');
    this.el(this.layout.syntax);
    this.el(`${state.carrier.scac}EDI:ZZ`);
    this.el('CBPACE:ZZ');
    this.el(day.yymmdd);
    w.byte(COLON);
    w.str(hhmm);
    w.byte(PLUS);
    w.uint(ctrl);
    this.end();
    return ctrl;
  }

  private close(ctrl: number, messages: number): void {
    this.w.str('UNZ');
    this.w.byte(PLUS);
    this.w.uint(messages);
    this.w.byte(PLUS);
    this.w.uint(ctrl);
    this.end();
  }

  private unh(state: CarrierState, type: string): number {
    const ref = ++state.messageCtrl;
    this.w.str('UNH');
    this.w.byte(PLUS);
    this.w.uint(ref);
    this.el(type);
    this.w.str(':D:03B:UN');
    this.end();
    return ref;
  }

  private unt(ref: number, startSegs: number): void {
    this.w.str('UNT');
    this.w.byte(PLUS);
    this.w.uint(this.segs - startSegs + 1);
    this.w.byte(PLUS);
    this.w.uint(ref);
    this.end();
  }

  private dtm(qualifier: string, day: TrafficDay, hhmm: string): void {
    this.w.str('DTM');
    this.el(qualifier);
    this.w.byte(COLON);
    this.w.str(day.ccyymmdd);
    this.w.str(hhmm);
    this.w.str(':203');
    this.end();
  }

  /** Transport header shared by CUSCAR and CUSRES: TDT (mode), NAD+CA (carrier), LOC+60 (port). */
  private transport(state: CarrierState, port: string): void {
    const w = this.w;
    const c = state.carrier;
    w.str('TDT');
    this.el('20');
    this.el(c.mode === 'air' ? 'FL' : c.mode === 'truck' ? 'TRIP' : 'V');
    w.padded(this.planner.rng.range(1, 99999), 5);
    this.el(EDIFACT_MODE_CODE[c.mode]);
    this.end();
    w.str('NAD');
    this.el('CA');
    this.el(c.scac);
    w.str(':172:20');
    this.end();
    w.str('LOC');
    this.el('60');
    this.el(port);
    this.end();
  }

  /**
   * A CUSCAR interchange carrying `count` consignments: one original (BGM 9) message, plus an
   * amendment (5) and a deletion (3) message when the draw asks for them.
   */
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
    const ctrl = this.open(state, day, hhmm);
    const tally: InterchangeTally = {
      standard: 'edifact',
      messageType: 'CUSCAR',
      messages: 0,
      segments: 0,
      events: zeroEvents(),
    };
    // Draw how many of the consignments are amendments and deletions (binomial by trials).
    let amend = 0;
    let del = 0;
    for (let i = 0; i < count; i++) {
      const u = rng.float();
      if (u < deleteRate) del++;
      else if (u < deleteRate + amendRate) amend++;
    }
    const port = rng.pick(state.carrier.ports);
    const eda = hhmmOf(rng.range(0, 1439));
    const parts: [CuscarFunction, number][] = [
      ['9', count - amend - del],
      ['5', amend],
      ['3', del],
    ];
    for (const [fn, n] of parts) {
      if (n === 0) continue;
      const stSegs = this.segs;
      const ref = this.unh(state, 'CUSCAR');
      const w = this.w;
      w.str('BGM');
      this.el('85');
      w.byte(PLUS);
      w.str(state.carrier.scac);
      w.padded(ref, 8);
      this.el(fn);
      this.end();
      this.dtm('137', day, hhmm);
      this.transport(state, port);
      this.dtm('132', day, eda);
      for (let i = 1; i <= n; i++) {
        const s = this.planner.plan(state, dayIndex, fn === '9' ? 'A' : fn === '5' ? 'C' : 'D');
        // A 5/3 draw without a recent bill to point at falls back to a new bill (still counted by BGM).
        this.consignment(state, i, s, fn);
        if (fn === '9') tally.events.declared++;
        else if (fn === '5') tally.events.amended++;
        else tally.events.deleted++;
        this.observe(s, state.carrier);
      }
      this.unt(ref, stSegs);
      tally.messages++;
    }
    this.close(ctrl, tally.messages);
    tally.segments = this.segs - startSegs;
    return tally;
  }

  private consignment(state: CarrierState, n: number, s: PlannedShipment, fn: CuscarFunction): void {
    const w = this.w;
    // CNI with its action (23 add, 24 change, 22 cancel), then the declaration type DOC+929 (13 /
    // 35 Section 321, 86 entry type 86) and the shipment control number in RFF+AAM, as ACE truck
    // CUSCAR carry them (docs/conformance.md).
    w.str('CNI');
    w.byte(PLUS);
    w.uint(n);
    w.str(fn === '9' ? '+:23' : fn === '5' ? '+:24' : '+:22');
    this.end();
    if (fn !== '3')
      this.tpl(T_DOC, s.type === 'ET86' ? 1 : state.carrier.mode === 'truck' && s.seq % 5 === 0 ? 2 : 0);
    w.str('RFF');
    this.el('AAM');
    w.byte(COLON);
    writeBill(w, state.carrier, s.seq);
    this.end();
    if (fn === '3') return;
    if (s.type === 'ET86') {
      const broker = BROKERS[s.broker] ?? BROKERS[0];
      w.str('RFF');
      this.el('ABT');
      w.byte(COLON);
      w.str(broker?.filer ?? 'XXX');
      w.uint(s.entryNo);
      this.end();
      this.tpl(T_BROKER, s.broker);
    }
    if (s.partyLayout === 2) this.tpl(T_FORWARDER, 0);
    this.party('CN', s.consignee, s.longSuffix, s.zip4);
    const mark = this.layout.d.decimal;
    for (let g = 0; g < s.goodsCount; g++) {
      w.str('GID');
      w.byte(PLUS);
      w.uint(g + 1);
      w.byte(PLUS);
      w.uint(s.qty[g] as number);
      w.str(':PK');
      this.end();
      this.tpl(T_GOODS, s.goods[g] as number);
      this.tpl(T_ORIGIN, s.origin[g] as number);
      w.str('MOA');
      this.el('40');
      w.byte(COLON);
      w.cents(s.amount[g] as number, mark);
      const c = s.currency[g] as number;
      this.tpl(T_CURRENCY, c >= 0 ? c : CURRENCIES.length);
    }
  }

  private tpl(kind: number, entity: number): void {
    const before = this.segs;
    this.segs = before + this.cache.write(this.w, this.layoutId, kind, entity, this.render);
  }

  /** Renders one cacheable piece for the current layout; returns the segments it ended. */
  private renderTemplate(kind: number, entity: number): number {
    const w = this.w;
    const before = this.segs;
    switch (kind) {
      case T_GOODS: {
        const goods = GOODS[entity] ?? GOODS[0];
        w.str('FTX');
        this.el('AAA');
        w.byte(PLUS);
        w.byte(PLUS);
        this.text(goods?.description ?? '');
        this.end();
        w.str('PIA');
        this.el('5');
        this.el(goods?.hts ?? '');
        w.str(':HS');
        this.end();
        break;
      }
      case T_ORIGIN:
        w.str('LOC');
        this.el('27');
        this.el(ORIGINS[entity]?.[0] ?? 'US');
        this.end();
        break;
      case T_DOC:
        w.str('DOC');
        this.el(entity === 0 ? '929:::13' : entity === 1 ? '929:::86' : '929:::35');
        this.end();
        break;
      case T_BROKER: {
        const broker = BROKERS[entity] ?? BROKERS[0];
        w.str('NAD');
        this.el('CB');
        this.el(broker?.filer ?? '');
        w.str('::ZZ');
        w.byte(PLUS);
        this.text(broker?.name ?? '');
        this.end();
        break;
      }
      case T_FORWARDER:
        // The forwarder as notify party: the consignee ACE aggregates on is the person (NAD+CN).
        w.str('NAD');
        this.el('NI');
        w.str('+++GLOBAL PARCEL FORWARDING INC+2200 COMMERCE DR+LAREDO+TX+78045+US');
        this.end();
        break;
      case T_CURRENCY:
        // MOA currency component and the segment end.
        w.byte(COLON);
        w.str(CURRENCIES[entity]?.[0] ?? 'USD');
        this.end();
        break;
    }
    return this.segs - before;
  }

  private party(role: string, c: ConsigneeFields, longSuffix: boolean, zip4: boolean): void {
    const w = this.w;
    const d = this.layout.d;
    const latin1 = this.layout.syntax === 'UNOC:3';
    w.str('NAD');
    this.el(role);
    w.byte(PLUS);
    if (c.id !== null) {
      w.str(c.id);
      w.str(':EI');
    }
    w.byte(PLUS);
    w.byte(PLUS);
    if (c.company !== null) {
      w.escaped(c.company, d);
    } else {
      w.escaped((latin1 ? c.first?.latin1 : c.first?.ascii) ?? '', d);
      w.byte(SPACE);
      w.escaped((latin1 ? c.last?.latin1 : c.last?.ascii) ?? '', d);
    }
    w.byte(PLUS);
    w.uint(c.houseNo);
    w.byte(SPACE);
    w.str(c.street.name);
    w.byte(SPACE);
    w.str(longSuffix ? c.street.long : c.street.short);
    if (c.apt > 0) {
      w.byte(COLON);
      w.str(c.company !== null ? 'SUITE ' : longSuffix ? 'APARTMENT ' : 'APT ');
      w.uint(c.apt);
    }
    this.text(c.city.city);
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
   * A CUSRES interchange as ACE truck CUSRES are written: BGM+34, the trip part (DTM+132/163, TDT,
   * NAD+CA, LOC+60, ERP+1, ERC+SN030 "trip arrived" on most trips, else SN038), then per bill
   * DOC+929, RFF+AAM, DTM+163, ERP+2, ERC+SN053/SN050/SN105, sometimes FTX. The trip's arrival (its
   * DTM+163) is every bill's actual arrival.
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
    const ctrl = this.open(state, day, hhmm);
    const w = this.w;
    const stSegs = this.segs;
    const ref = this.unh(state, 'CUSRES');
    w.str('BGM');
    this.el('34:::ST');
    w.byte(PLUS);
    w.str(state.carrier.scac);
    w.padded(ref, 8);
    this.end();
    const minute = rng.range(0, 1439);
    const arrived = rng.float() < 0.85;
    this.dtm('132', day, hhmm);
    this.dtm('163', day, hhmmOf(minute));
    this.transport(state, rng.pick(state.carrier.ports));
    w.str('ERP');
    this.el('1');
    this.end();
    w.str('ERC');
    this.el(arrived ? 'SN030' : 'SN038');
    this.end();
    let ahead = 0;
    for (let i = 0; i < count; i++) {
      const slot = rng.float() < aheadRate ? -1 : state.pickRecent(rng);
      let seq: number;
      if (slot < 0) {
        seq = state.nextSeq + rng.range(0, 200);
        ahead++;
      } else {
        seq = state.seqAt(slot);
      }
      const code = rng.pick(CUSRES_SHIPMENT_CODES);
      w.str('DOC');
      this.el('929:::13');
      w.byte(PLUS);
      writeBill(w, state.carrier, seq);
      this.end();
      w.str('RFF');
      this.el('AAM');
      w.byte(COLON);
      writeBill(w, state.carrier, seq);
      this.end();
      this.dtm('163', day, hhmmOf((minute + 5) % 1440));
      w.str('ERP');
      this.el('2');
      this.end();
      w.str('ERC');
      this.el(code);
      this.end();
      if (code !== 'SN053' && rng.float() < 0.5) {
        w.str('FTX');
        this.el('AAO');
        w.str('+++');
        w.str(code === 'SN050' ? 'HOLD' : 'STATUS UPDATE');
        this.end();
      }
    }
    const arrivals = arrived ? count : 0;
    this.unt(ref, stSegs);
    this.close(ctrl, 1);
    return {
      standard: 'edifact',
      messageType: 'CUSRES',
      messages: 1,
      segments: this.segs - startSegs,
      events: { declared: 0, amended: 0, deleted: 0, status: count },
      arrivals,
      ahead,
    };
  }
}
