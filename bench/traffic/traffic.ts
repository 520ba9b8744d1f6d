/**
 * Deterministic inbound traffic: a stream of files, each holding several X12 or EDIFACT interchanges
 * (manifests and status messages) of the day(s) being generated. Same options, same bytes.
 * Files are produced one at a time (the day is never held in memory): iterate and write, or call
 * writeTraffic. The ground truth is counted while writing and is complete once iteration ends.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteWriter } from './byte-writer.js';
import { trafficDays } from './calendar.js';
import type { Carrier, StandardName } from './catalog.js';
import { EdifactFormat } from './edifact-format.js';
import { addTally, emptyTruth, type GroundTruth, type InterchangeTally } from './ground-truth.js';
import { type PlannedShipment, ShipmentPlanner } from './shipment-plan.js';
import { X12Format } from './x12-format.js';

export interface TrafficOptions {
  seed: number;
  /** Manifest shipment loops (LX / CNI) in first deliveries: declarations + amendments + deletions. */
  shipments: number;
  /** Share of shipments sent as X12 (the rest EDIFACT). Default 0.6. */
  x12Share?: number;
  /** First estimated-arrival day, 'YYYY-MM-DD'. Default 2025-06-10 (release2). */
  startDay?: string;
  /** Number of days the traffic spreads over. Default 3. */
  days?: number;
  /** Shipment loops per manifest interchange. Default [500, 2000]. */
  interchangeSize?: readonly [number, number];
  /** Interchanges (manifests) per file. Default [3, 8]. */
  interchangesPerFile?: readonly [number, number];
  /** Share of shipment loops that amend / delete an earlier bill. Defaults 0.03 / 0.01. */
  amendRate?: number;
  deleteRate?: number;
  /** Share of manifest interchanges delivered a second time, byte for byte, in a later file. Default 0.01. */
  duplicateRate?: number;
  /** Status lines per manifest shipment (350 / CUSRES). Default 0.35. */
  statusRate?: number;
  /** Share of status lines that refer to bills not declared yet (out of order). Default 0.05. */
  statusAheadRate?: number;
  /** Share of non-mail shipments entered as ET86 through a broker. Default 0.08. */
  et86Rate?: number;
  /** Share of an express carrier's shipments flagged as express consignments. Default 0.9. */
  expressRate?: number;
  /** Goods lines in EUR/CAD/GBP/CNY (about 8%). Default true. */
  foreignCurrency?: boolean;
  /** Count person-days and their $800 crossings into the ground truth (holds a map: small runs only). */
  personDayStats?: boolean;
}

export interface TrafficFile {
  fileName: string;
  content: Uint8Array;
}

/** An iterable of files whose `truth` is complete once iteration has finished. */
export interface Traffic extends Iterable<TrafficFile> {
  readonly truth: GroundTruth;
}

interface Resolved {
  seed: number;
  shipments: number;
  x12Share: number;
  startDay: string;
  days: number;
  interchangeSize: readonly [number, number];
  interchangesPerFile: readonly [number, number];
  amendRate: number;
  deleteRate: number;
  duplicateRate: number;
  statusRate: number;
  statusAheadRate: number;
  et86Rate: number;
  expressRate: number;
  foreignCurrency: boolean;
  personDayStats: boolean;
}

function resolve(o: TrafficOptions): Resolved {
  if (!Number.isInteger(o.shipments) || o.shipments < 0)
    throw new Error('shipments must be a non-negative integer');
  return {
    seed: o.seed >>> 0,
    shipments: o.shipments,
    x12Share: o.x12Share ?? 0.6,
    startDay: o.startDay ?? '2025-06-10',
    days: Math.max(1, Math.floor(o.days ?? 3)),
    interchangeSize: o.interchangeSize ?? [500, 2000],
    interchangesPerFile: o.interchangesPerFile ?? [3, 8],
    amendRate: o.amendRate ?? 0.03,
    deleteRate: o.deleteRate ?? 0.01,
    duplicateRate: o.duplicateRate ?? 0.01,
    statusRate: o.statusRate ?? 0.35,
    statusAheadRate: o.statusAheadRate ?? 0.05,
    et86Rate: o.et86Rate ?? 0.08,
    expressRate: o.expressRate ?? 0.9,
    foreignCurrency: o.foreignCurrency ?? true,
    personDayStats: o.personDayStats ?? false,
  };
}

export function generateTraffic(options: TrafficOptions): Traffic {
  const o = resolve(options);
  const truth = emptyTruth(o.seed, o.startDay, o.days);
  return {
    truth,
    [Symbol.iterator]: () => produce(o, truth),
  };
}

function* produce(o: Resolved, truth: GroundTruth): Generator<TrafficFile> {
  // Re-iterating starts over with fresh counts: the same bytes and the same truth.
  Object.assign(truth, emptyTruth(o.seed, o.startDay, o.days));
  delete truth.personDays;
  const planner = new ShipmentPlanner(o.seed, o.shipments, {
    amend: o.amendRate,
    delete: o.deleteRate,
    et86: o.et86Rate,
    expressAir: o.expressRate,
    foreignCurrency: o.foreignCurrency,
  });
  const rng = planner.rng;
  const days = trafficDays(o.startDay, o.days + 1);
  const personDays = o.personDayStats ? new Map<string, { cents: number; n: number }>() : null;
  const observe = (s: PlannedShipment, carrier: Carrier): void => {
    truth.byMode[carrier.mode]++;
    if (s.action === 'D') return;
    if (s.type === 'ET86') truth.et86++;
    if (s.express) truth.express++;
    let cents = 0;
    for (let g = 0; g < s.goodsCount; g++) {
      truth.goodsLines++;
      if ((s.currency[g] as number) >= 0) truth.foreignCurrencyLines++;
      const origin = s.origin[g] as number;
      if (origin <= 1) truth.cnHkOriginLines++; // ORIGINS[0] = CN, [1] = HK
      cents += s.usdCents[g] as number;
    }
    if (personDays !== null && s.action === 'A' && carrier.mode !== 'mail') {
      const key = `${s.consignee.ref}|${s.day}`;
      const pd = personDays.get(key);
      if (pd) {
        pd.cents += cents;
        pd.n++;
      } else personDays.set(key, { cents, n: 1 });
    }
  };
  const w = new ByteWriter(1 << 23);
  const x12 = new X12Format(w, planner, days, observe);
  const edifact = new EdifactFormat(w, planner, days, observe);
  let pending: { standard: StandardName; bytes: Uint8Array; tally: InterchangeTally } | null = null;
  let produced = 0;
  let x12Shipments = 0;
  let fileNo = 0;
  while (produced < o.shipments) {
    // Keep the X12 share of shipments on target as files go (a coin per file drifts on small runs).
    const standard: StandardName = x12Shipments < o.x12Share * (produced + 1) ? 'x12' : 'edifact';
    const fmt = standard === 'x12' ? x12 : edifact;
    const firstDay = Math.min(o.days - 1, Math.floor((produced * o.days) / o.shipments));
    w.reset();
    if (pending !== null && pending.standard === standard) {
      w.bytes(pending.bytes);
      addTally(truth, pending.tally, true);
      pending = null;
    }
    const count = rng.range(o.interchangesPerFile[0], o.interchangesPerFile[1]);
    for (let i = 0; i < count && produced < o.shipments; i++) {
      const dayIndex = Math.min(o.days - 1, Math.floor((produced * o.days) / o.shipments));
      const carrier = planner.pickCarrier(standard);
      const n = Math.min(o.shipments - produced, rng.range(o.interchangeSize[0], o.interchangeSize[1]));
      const start = w.pos;
      const tally = fmt.manifest(carrier, dayIndex, n, o.amendRate, o.deleteRate);
      addTally(truth, tally, false);
      produced += n;
      if (standard === 'x12') x12Shipments += n;
      if (pending === null && rng.float() < o.duplicateRate) {
        pending = { standard, bytes: w.copy(start), tally };
      }
      const statusLines = Math.round(n * o.statusRate * (0.5 + rng.float()));
      if (statusLines > 0) {
        const st = fmt.status(carrier, dayIndex, statusLines, o.statusAheadRate);
        addTally(truth, st, false);
        truth.arrivals += st.arrivals;
        truth.statusAhead += st.ahead;
      }
    }
    const content = w.copy();
    truth.files++;
    truth.bytes += content.length;
    truth.bytesByStandard[standard] += content.length;
    const day = days[firstDay]?.ccyymmdd ?? '';
    yield {
      fileName: `${day}-${String(fileNo++).padStart(6, '0')}.${standard === 'x12' ? 'x12' : 'edi'}`,
      content,
    };
  }
  if (personDays !== null) {
    let exceeded = 0;
    let maxShipments = 0;
    for (const pd of personDays.values()) {
      if (pd.cents > 80000) exceeded++;
      if (pd.n > maxShipments) maxShipments = pd.n;
    }
    truth.personDays = {
      personDays: personDays.size,
      exceeded,
      maxShipments,
      exceededShare: personDays.size === 0 ? 0 : exceeded / personDays.size,
    };
  }
}

export interface WriteResult {
  truth: GroundTruth;
  files: string[];
  bytes: number;
  /** Whole call, and the part spent writing files (the rest is generation). */
  ms: number;
  writeMs: number;
}

/** Writes the traffic into `dir` (created if needed), one file at a time. */
export function writeTraffic(dir: string, options: TrafficOptions): WriteResult {
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const traffic = generateTraffic(options);
  const files: string[] = [];
  let bytes = 0;
  let writeMs = 0;
  for (const f of traffic) {
    const path = join(dir, f.fileName);
    const t = performance.now();
    writeFileSync(path, f.content);
    writeMs += performance.now() - t;
    files.push(path);
    bytes += f.content.length;
  }
  return { truth: traffic.truth, files, bytes, ms: performance.now() - started, writeMs };
}
