/**
 * Who receives the shipments. Two groups:
 * - heavy importers (companies with an EIN): few, Zipf-distributed, many shipments each — the hot keys;
 * - persons: a Zipf–Mandelbrot law over a population sized from the traffic, so a handful of frequent
 *   buyers get dozens of parcels a day while most persons are one-time buyers.
 * A consignee is a number (ref >= 0 person rank, ref < 0 company); its name and address are derived
 * from (seed, ref) by hashing, so nothing per person is stored and memory stays flat at any size.
 */
import {
  CITIES,
  type City,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FIRST_NAMES,
  LAST_NAMES,
  STREETS,
  type Street,
  type Word,
} from './catalog.js';
import { hash32, type Prng } from './prng.js';

/** Fields of one consignee, filled in place (the generator reuses one instance). */
export interface ConsigneeFields {
  ref: number;
  company: string | null;
  first: Word | null;
  last: Word | null;
  /** EIN (companies), written as N1-03/04 `24` / NAD C082. */
  id: string | null;
  houseNo: number;
  street: Street;
  apt: number;
  city: City;
  /** Last two digits of the ZIP after the city's 3-digit prefix. */
  zipTail: number;
  plus4: number;
}

export interface PopulationOptions {
  seed: number;
  /** Expected number of shipments (sizes the person population). */
  shipments: number;
  /** Share of shipments that go to heavy importers. */
  companyShare?: number;
}

const COMPANY_COUNT = 300;

export class Population {
  private readonly seed: number;
  private readonly persons: number;
  /** Zipf–Mandelbrot offset: flattens the head so the most frequent person stays a person. */
  private readonly q: number;
  private readonly logSpan: number;
  private readonly companyShare: number;
  private readonly companyLogSpan: number;

  constructor(options: PopulationOptions) {
    this.seed = options.seed >>> 0;
    this.persons = Math.max(1000, Math.round(options.shipments * 2));
    this.q = Math.max(5, Math.round(this.persons / 100));
    this.logSpan = Math.log((this.persons + this.q) / this.q);
    this.companyShare = options.companyShare ?? 0.06;
    this.companyLogSpan = Math.log(COMPANY_COUNT + 1);
  }

  /** Draws the consignee of the next shipment. */
  sample(rng: Prng): number {
    if (rng.float() < this.companyShare) {
      // Zipf with s = 1 over the companies: rank = floor((N+1)^u) - 1.
      const rank = Math.min(COMPANY_COUNT - 1, Math.floor(Math.exp(rng.float() * this.companyLogSpan)) - 1);
      return -1 - rank;
    }
    // Inverse CDF of p(x) ∝ 1/(x+q) on [0, persons).
    const x = this.q * Math.exp(rng.float() * this.logSpan) - this.q;
    return Math.min(this.persons - 1, Math.floor(x));
  }

  isCompany(ref: number): boolean {
    return ref < 0;
  }

  describe(ref: number, out: ConsigneeFields): void {
    const h1 = hash32(this.seed, ref);
    const h2 = hash32(this.seed ^ 0x5bd1e995, ref);
    const h3 = hash32(this.seed ^ 0x1b873593, ref);
    out.ref = ref;
    out.houseNo = 1 + (h2 % 9899);
    out.street = STREETS[(h2 >>> 14) % STREETS.length] as Street;
    out.city = CITIES[h3 % CITIES.length] as City;
    out.zipTail = (h3 >>> 8) % 100;
    out.plus4 = 1 + ((h3 >>> 15) % 9998);
    if (ref < 0) {
      const a = COMPANY_WORDS[h1 % COMPANY_WORDS.length] as string;
      const b = COMPANY_SUFFIXES[(h1 >>> 8) % COMPANY_SUFFIXES.length] as string;
      out.company = `${a} ${b}`;
      out.first = null;
      out.last = null;
      out.id = `${10 + (h1 % 89)}${String(1000000 + ((h1 >>> 7) % 8999999)).slice(-7)}`;
      out.apt = 100 + ((h2 >>> 3) % 800);
    } else {
      out.company = null;
      out.first = FIRST_NAMES[h1 % FIRST_NAMES.length] as Word;
      out.last = LAST_NAMES[(h1 >>> 10) % LAST_NAMES.length] as Word;
      out.id = null;
      out.apt = (h1 >>> 20) % 4 === 0 ? 1 + ((h2 >>> 5) % 400) : 0;
    }
  }
}

export function emptyConsignee(): ConsigneeFields {
  return {
    ref: 0,
    company: null,
    first: null,
    last: null,
    id: null,
    houseNo: 1,
    street: STREETS[0] as Street,
    apt: 0,
    city: CITIES[0] as City,
    zipTail: 0,
    plus4: 0,
  };
}
