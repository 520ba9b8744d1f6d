/**
 * Plans the content of each shipment (action, bill, type, parties, goods) independently of the
 * syntax it will be written in. One mutable PlannedShipment is reused for every shipment; each
 * carrier keeps a small ring of its recent bills so amendments, deletions and status messages refer
 * to bills that were really declared, with memory bounded whatever the traffic size.
 */
import {
  BROKERS,
  CARRIERS,
  type Carrier,
  CURRENCIES,
  GOODS,
  MODE_WEIGHTS,
  ORIGINS,
  SHIPPERS,
  type StandardName,
} from './catalog.js';
import { type ConsigneeFields, emptyConsignee, Population } from './population.js';
import { Prng } from './prng.js';

export type Action = 'A' | 'C' | 'D';

export const MAX_GOODS = 3;

export interface PlannedShipment {
  action: Action;
  /** Bill sequence number inside its carrier (the bill text is derived from it). */
  seq: number;
  /** Day index (0-based from the start day) of the estimated arrival. */
  day: number;
  pieces: number;
  type: 'S321' | 'ET86';
  express: boolean;
  broker: number;
  entryNo: number;
  consignee: ConsigneeFields;
  /** Layout variants of the same identity (both normalize to one consignee key). */
  longSuffix: boolean;
  zip4: boolean;
  /** 0 and 1: the person as consignee (CN); 2: the same with the forwarder as notify party (N1*NP / NAD+NI). */
  partyLayout: 0 | 1 | 2;
  shipper: number;
  withShipper: boolean;
  goodsCount: number;
  goods: Int32Array;
  qty: Int32Array;
  /** Value in the line's currency, cents (minor units). */
  amount: Int32Array;
  /** USD value of the line, cents. */
  usdCents: Int32Array;
  /** -1 = USD (currency element omitted), else index into CURRENCIES. */
  currency: Int32Array;
  origin: Int32Array;
}

const RING = 4096;

export class CarrierState {
  readonly carrier: Carrier;
  readonly index: number;
  /** Interchange, group and message control numbers (unique per sender). */
  interchangeCtrl: number;
  groupCtrl = 0;
  messageCtrl = 0;
  /** Next bill sequence number. */
  nextSeq: number;
  private readonly ringSeq = new Int32Array(RING).fill(-1);
  private readonly ringRef = new Int32Array(RING);
  private readonly ringDay = new Int32Array(RING);
  private ringHead = 0;
  private ringSize = 0;

  constructor(carrier: Carrier, index: number, rng: Prng) {
    this.carrier = carrier;
    this.index = index;
    this.interchangeCtrl = rng.range(1, 400000);
    this.nextSeq = rng.range(100000, 900000);
  }

  remember(seq: number, ref: number, day: number): void {
    this.ringSeq[this.ringHead] = seq;
    this.ringRef[this.ringHead] = ref;
    this.ringDay[this.ringHead] = day;
    this.ringHead = (this.ringHead + 1) % RING;
    if (this.ringSize < RING) this.ringSize++;
  }

  /** A live recent bill (its ring slot), or -1 when there is none. */
  pickRecent(rng: Prng): number {
    for (let tries = 0; tries < 4 && this.ringSize > 0; tries++) {
      const slot = (this.ringHead - 1 - rng.int(this.ringSize) + RING) % RING;
      if ((this.ringSeq[slot] as number) >= 0) return slot;
    }
    return -1;
  }

  seqAt(slot: number): number {
    return this.ringSeq[slot] as number;
  }
  refAt(slot: number): number {
    return this.ringRef[slot] as number;
  }
  dayAt(slot: number): number {
    return this.ringDay[slot] as number;
  }
  forget(slot: number): void {
    this.ringSeq[slot] = -1;
  }
}

export interface PlanRates {
  amend: number;
  delete: number;
  et86: number;
  expressAir: number;
  foreignCurrency: boolean;
}

export class ShipmentPlanner {
  readonly rng: Prng;
  readonly population: Population;
  readonly carriers: CarrierState[];
  private readonly byStandard: Record<StandardName, { states: CarrierState[]; cumulative: number[] }>;
  private readonly originCumulative: number[];
  private readonly currencyCumulative: number[];
  readonly rates: PlanRates;
  readonly shipment: PlannedShipment;

  constructor(seed: number, shipments: number, rates: PlanRates) {
    this.rng = new Prng(seed);
    this.population = new Population({ seed, shipments });
    this.rates = rates;
    this.carriers = CARRIERS.map((c, i) => new CarrierState(c, i, this.rng));
    this.byStandard = { x12: this.table('x12'), edifact: this.table('edifact') };
    this.originCumulative = cumulative(ORIGINS.map(([, w]) => w));
    this.currencyCumulative = cumulative(CURRENCIES.map(([, , share]) => share));
    this.shipment = {
      action: 'A',
      seq: 0,
      day: 0,
      pieces: 1,
      type: 'S321',
      express: false,
      broker: 0,
      entryNo: 0,
      consignee: emptyConsignee(),
      longSuffix: false,
      zip4: false,
      partyLayout: 0,
      shipper: 0,
      withShipper: true,
      goodsCount: 1,
      goods: new Int32Array(MAX_GOODS),
      qty: new Int32Array(MAX_GOODS),
      amount: new Int32Array(MAX_GOODS),
      usdCents: new Int32Array(MAX_GOODS),
      currency: new Int32Array(MAX_GOODS),
      origin: new Int32Array(MAX_GOODS),
    };
  }

  private table(standard: StandardName): { states: CarrierState[]; cumulative: number[] } {
    const states = this.carriers.filter((s) => s.carrier.standard === standard);
    // Weight = share of the mode x share of the carrier inside its mode and standard.
    const weights = states.map((s) => {
      const peers = states.filter((p) => p.carrier.mode === s.carrier.mode);
      const total = peers.reduce((sum, p) => sum + p.carrier.weight, 0);
      return (MODE_WEIGHTS[s.carrier.mode] * s.carrier.weight) / total;
    });
    return { states, cumulative: cumulative(weights) };
  }

  pickCarrier(standard: StandardName): CarrierState {
    const t = this.byStandard[standard];
    return t.states[pickIndex(t.cumulative, this.rng.float())] as CarrierState;
  }

  /**
   * Fills `this.shipment` for the next shipment of `carrier` arriving on `day`. `wanted` C or D
   * falls back to A when the carrier has no live recent bill.
   */
  plan(carrier: CarrierState, day: number, wanted: Action): PlannedShipment {
    const rng = this.rng;
    const s = this.shipment;
    let action = wanted;
    let slot = -1;
    if (action !== 'A') {
      slot = carrier.pickRecent(rng);
      if (slot < 0) action = 'A';
    }
    s.action = action;
    if (action === 'A') {
      s.seq = carrier.nextSeq++;
      s.day = day;
      const ref = this.population.sample(rng);
      this.population.describe(ref, s.consignee);
      carrier.remember(s.seq, ref, day);
    } else {
      s.seq = carrier.seqAt(slot);
      s.day = carrier.dayAt(slot);
      if (action === 'D') {
        carrier.forget(slot);
        return s;
      }
      this.population.describe(carrier.refAt(slot), s.consignee);
    }
    const mode = carrier.carrier.mode;
    s.express = carrier.carrier.express && rng.float() < this.rates.expressAir;
    s.type = mode !== 'mail' && !s.express && rng.float() < this.rates.et86 ? 'ET86' : 'S321';
    if (s.type === 'ET86') {
      s.broker = rng.int(BROKERS.length);
      s.entryNo = rng.range(10000000, 99999999);
    }
    // Layout choices from the bits of one draw (10 bits each: resolution 1/1024 is plenty here).
    const bits = rng.u32();
    const layout = bits & 1023;
    s.partyLayout = layout < 614 ? 0 : layout < 870 ? 1 : 2;
    s.longSuffix = ((bits >>> 10) & 1023) < 102;
    s.zip4 = ((bits >>> 20) & 1023) < 205;
    const bits2 = rng.u32();
    s.withShipper = (bits2 & 1023) < 717;
    s.shipper = ((bits2 >>> 10) & 1023) % SHIPPERS.length;
    const company = s.consignee.ref < 0;
    const g2 = (bits2 >>> 20) & 1023;
    s.goodsCount = 1 + (g2 < 256 ? 1 : 0) + (g2 < 82 ? 1 : 0);
    // One currency per shipment (a seller invoices in one currency; about 8% are not USD).
    const c = this.rates.foreignCurrency ? pickIndex(this.currencyCumulative, rng.float() / 0.08) : -1;
    let pieces = 0;
    for (let i = 0; i < s.goodsCount; i++) {
      const g = rng.int(GOODS.length);
      const qty = company ? rng.range(1, 24) : rng.float() < 0.8 ? 1 : rng.range(2, 4);
      // Log-normal around the item's median: most parcels are cheap, a few are not.
      const unit = (GOODS[g]?.medianCents ?? 1000) * Math.exp(0.5 * rng.normal());
      // Rail Section 321 is residue cargo (bill type 23): ACE rejects a value over $200 (CSMS
      // 12-000064), so rail values stay well under it, conversions included.
      const raw = Math.max(50, Math.round(unit * qty));
      const usd = mode === 'rail' ? Math.min(raw, Math.floor(15000 / s.goodsCount)) : raw;
      s.goods[i] = g;
      s.qty[i] = qty;
      s.usdCents[i] = usd;
      s.origin[i] = Math.min(ORIGINS.length - 1, pickIndex(this.originCumulative, rng.float()));
      if (c >= 0 && c < CURRENCIES.length) {
        const rate = (CURRENCIES[c] as readonly [string, number, number])[1];
        s.currency[i] = c;
        s.amount[i] = Math.max(1, Math.round(usd / rate));
      } else {
        s.currency[i] = -1;
        s.amount[i] = usd;
      }
      pieces += qty;
    }
    s.pieces = pieces;
    return s;
  }
}

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => {
    acc += w / total;
    return acc;
  });
}

/** Index of the first cumulative bound above u; `cumulative.length` when u is past the last (>= 1). */
function pickIndex(cum: readonly number[], u: number): number {
  for (let i = 0; i < cum.length; i++) if (u < (cum[i] as number)) return i;
  return cum.length;
}
