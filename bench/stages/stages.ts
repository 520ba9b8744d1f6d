/**
 * The measured stages. Each returns counts only; timing and RSS are taken around it by stage-main.
 * Stages that depend on modules other helpers are still writing load them dynamically and report
 * `pending` when the module or export is not there yet.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ThreadTimes } from '../../src/app/ingest-thread.js';
import { partnerLookup } from '../../src/app/partner-profiles.js';
import type {
  EdifactInterchangeHeader,
  MessageHeader,
  MessageResult,
  ReaderSink,
  StreamReader,
  X12InterchangeHeader,
} from '../../src/core/model/reader.js';
import type { EdifactSegment, X12Segment } from '../../src/core/model/segment.js';
import { AIR_PORT_AIRPORTS, CURRENCIES } from '../traffic/catalog.js';
import { createBareEdifactTokenizer, createBareX12Tokenizer } from './bare-tokenizer.js';
import { queueStage } from './queue-stage.js';
import { listInputs, streamFile } from './read-files.js';
import type { StageInput, StageName, StageStatus } from './stage-result.js';

export interface StageOutcome {
  status: StageStatus;
  note?: string;
  bytes: number;
  bytesTotal: number;
  files: number;
  counts: Record<string, number>;
  /**
   * Work after the measured part (deleting the stage's scratch files), run by stage.ts once wall and
   * CPU time are taken: at 1M the replay's scratch directory took ~9 s of the main thread to unlink.
   */
  cleanup?: () => void;
}

function totalBytes(paths: readonly string[]): number {
  let n = 0;
  for (const p of paths) n += statSync(p).size;
  return n;
}

function pending(note: string): StageOutcome {
  return { status: 'pending', note, bytes: 0, bytesTotal: 0, files: 0, counts: {} };
}

/** a) the bare tokenizer over every file. */
export function tokenizerStage(input: StageInput): StageOutcome {
  const files = listInputs(input.dir);
  const counts = {
    segments: 0,
    shipmentLoops: 0,
    interchanges: 0,
    x12Segments: 0,
    edifactSegments: 0,
    elements: 0,
  };
  let bytes = 0;
  // The consumer touches every segment so the work cannot be optimized away.
  const onSegment = (seg: { elements: unknown[] }): void => {
    counts.elements += seg.elements.length;
  };
  for (const f of files) {
    const t =
      f.standard === 'x12' ? createBareX12Tokenizer(onSegment) : createBareEdifactTokenizer(onSegment);
    bytes += streamFile(f.path, (c) => t.push(c));
    t.end();
    counts.segments += t.counts.segments;
    counts.shipmentLoops += t.counts.shipmentLoops;
    counts.interchanges += t.counts.interchanges;
    if (f.standard === 'x12') counts.x12Segments += t.counts.segments;
    else counts.edifactSegments += t.counts.segments;
  }
  return { status: 'ok', bytes, bytesTotal: bytes, files: files.length, counts };
}

interface NodeX12Segment {
  tag: string;
}
interface NodeX12Interchange {
  functionalGroups: { transactions: { segments: NodeX12Segment[] }[] }[];
}

/** b) node-x12 whole-document parse of the X12 files, time-boxed. */
export async function nodeX12Stage(input: StageInput): Promise<StageOutcome> {
  const files = listInputs(input.dir, 'x12');
  const bytesTotal = totalBytes(files.map((f) => f.path));
  const { X12Parser } = await import('node-x12');
  const counts = { interchanges: 0, transactions: 0, segments: 0, shipmentLoops: 0, skippedLargeFiles: 0 };
  let bytes = 0;
  let done = 0;
  const started = performance.now();
  for (const f of files) {
    if (performance.now() - started > input.budgetMs) break;
    const size = statSync(f.path).size;
    if (size > input.maxWholeFileBytes) {
      counts.skippedLargeFiles++;
      continue;
    }
    const text = readFileSync(f.path, 'utf8');
    // node-x12 takes its delimiters from the first ISA of a document; partners differ, so each
    // interchange is handed over as its own document (what a per-interchange caller would do).
    for (const doc of text.split(/(?<=~\n?)(?=ISA)/)) {
      const parsed = new X12Parser(true).parse(doc) as unknown;
      const interchanges = (Array.isArray(parsed) ? parsed : [parsed]) as NodeX12Interchange[];
      for (const ic of interchanges) {
        counts.interchanges++;
        for (const g of ic.functionalGroups) {
          for (const t of g.transactions) {
            counts.transactions++;
            counts.segments += t.segments.length;
            for (const s of t.segments) if (s.tag === 'LX') counts.shipmentLoops++;
          }
        }
      }
    }
    bytes += size;
    done++;
  }
  const partial = done < files.length;
  const out: StageOutcome = { status: partial ? 'partial' : 'ok', bytes, bytesTotal, files: done, counts };
  if (partial) {
    out.note =
      counts.skippedLargeFiles > 0
        ? `${counts.skippedLargeFiles} file(s) above ${Math.round(input.maxWholeFileBytes / 1e6)} MB not parsed whole`
        : `time-boxed at ${Math.round(input.budgetMs / 1000)} s: ${done}/${files.length} X12 files; rates are for that share`;
  }
  return out;
}

/** Sink counting what the s321 readers deliver; optionally hands messages to normalizers. */
class CountingSink<H extends X12InterchangeHeader | EdifactInterchangeHeader, S extends { tag: string }>
  implements ReaderSink<H, S>
{
  readonly counts: Record<string, number> = {
    interchanges: 0,
    interchangesNotOk: 0,
    messages: 0,
    messagesNotOk: 0,
    segments: 0,
    shipmentLoops: 0,
    issues: 0,
    fileIssues: 0,
  };
  readonly issueCodes = new Map<string, number>();

  interchangeStart(): void {
    this.counts.interchanges = (this.counts.interchanges ?? 0) + 1;
  }
  messageStart(_ic: H, _msg: MessageHeader): void {
    this.counts.messages = (this.counts.messages ?? 0) + 1;
  }
  segment(seg: S): void {
    this.counts.segments = (this.counts.segments ?? 0) + 1;
    if (seg.tag === 'LX' || seg.tag === 'CNI')
      this.counts.shipmentLoops = (this.counts.shipmentLoops ?? 0) + 1;
  }
  messageEnd(_ic: H, _msg: MessageHeader, result: MessageResult): void {
    if (!result.ok) this.counts.messagesNotOk = (this.counts.messagesNotOk ?? 0) + 1;
  }
  interchangeEnd(_h: H, result: { ok: boolean; issues: { code: string }[] }): void {
    if (!result.ok) this.counts.interchangesNotOk = (this.counts.interchangesNotOk ?? 0) + 1;
    this.counts.issues = (this.counts.issues ?? 0) + result.issues.length;
    for (const i of result.issues) this.issueCodes.set(i.code, (this.issueCodes.get(i.code) ?? 0) + 1);
  }
  fileIssue(issue: { code: string }): void {
    this.counts.fileIssues = (this.counts.fileIssues ?? 0) + 1;
    this.issueCodes.set(issue.code, (this.issueCodes.get(issue.code) ?? 0) + 1);
  }
}

type ReaderFactories = {
  x12: (
    sink: ReaderSink<X12InterchangeHeader, X12Segment>,
    o: { fileName: string; strict: boolean },
  ) => StreamReader;
  edifact: (
    sink: ReaderSink<EdifactInterchangeHeader, EdifactSegment>,
    o: { fileName: string; strict: boolean },
  ) => StreamReader;
};

async function loadReaders(): Promise<ReaderFactories | string> {
  try {
    const x12 = await import('../../src/core/x12/reader.js');
    const edifact = await import('../../src/core/edifact/reader.js');
    if (typeof x12.createX12Reader !== 'function' || typeof edifact.createEdifactReader !== 'function') {
      return 'createX12Reader / createEdifactReader not exported yet';
    }
    return { x12: x12.createX12Reader, edifact: edifact.createEdifactReader };
  } catch (e) {
    return `readers not loadable: ${(e as Error).message.split('\n')[0]}`;
  }
}

function topCodes(map: Map<string, number>, into: Record<string, number>): void {
  for (const [code, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, 8)) into[`issue:${code}`] = n;
}

/** c) the s321 streaming readers with a counting sink. */
export async function readersStage(input: StageInput): Promise<StageOutcome> {
  const readers = await loadReaders();
  if (typeof readers === 'string') return pending(readers);
  const files = listInputs(input.dir);
  const x12Sink = new CountingSink<X12InterchangeHeader, X12Segment>();
  const edifactSink = new CountingSink<EdifactInterchangeHeader, EdifactSegment>();
  let bytes = 0;
  for (const f of files) {
    const options = { fileName: f.name, strict: false };
    const reader =
      f.standard === 'x12' ? readers.x12(x12Sink, options) : readers.edifact(edifactSink, options);
    bytes += streamFile(f.path, (c) => reader.push(c));
    reader.end();
  }
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(x12Sink.counts)) counts[k] = v + (edifactSink.counts[k] ?? 0);
  counts.x12Segments = x12Sink.counts.segments ?? 0;
  counts.edifactSegments = edifactSink.counts.segments ?? 0;
  const codes = new Map([...x12Sink.issueCodes]);
  for (const [c, n] of edifactSink.issueCodes) codes.set(c, (codes.get(c) ?? 0) + n);
  topCodes(codes, counts);
  return { status: 'ok', bytes, bytesTotal: bytes, files: files.length, counts };
}

/** Outbound partner profiles as a site would set them: CAMIR airports for the generator's air ports. */
function benchPartners(): import('../../src/app/emit-outbound.js').PartnerLookup {
  return partnerLookup({ all: { camir: { airportByPort: AIR_PORT_AIRPORTS } } }, 'bench partner profiles');
}

/** The generator's currencies as a rate table (the normalizers convert to USD cents with it). */
export function benchRates(): Record<string, { from: string; usdPerUnit: string }[]> {
  const table: Record<string, { from: string; usdPerUnit: string }[]> = {};
  for (const [code, usdPerUnit] of CURRENCIES)
    table[code] = [{ from: '2000-01-01', usdPerUnit: String(usdPerUnit) }];
  return table;
}

/** d) readers + normalizers: shipment events per kind, rejections, issue codes. */
export async function normalizeStage(input: StageInput): Promise<StageOutcome> {
  const readers = await loadReaders();
  if (typeof readers === 'string') return pending(readers);
  let normalize: typeof import('../../src/core/normalize/index.js');
  let profiles: typeof import('../../src/core/profiles/index.js');
  try {
    normalize = await import('../../src/core/normalize/index.js');
    profiles = await import('../../src/core/profiles/index.js');
  } catch (e) {
    return pending(`normalizers not loadable: ${(e as Error).message.split('\n')[0]}`);
  }
  if (
    typeof normalize.createX12Normalizer !== 'function' ||
    typeof normalize.createEdifactNormalizer !== 'function'
  ) {
    return pending('createX12Normalizer / createEdifactNormalizer not exported yet');
  }
  const files = listInputs(input.dir);
  const counts: Record<string, number> = {
    declared: 0,
    amended: 0,
    deleted: 0,
    status: 0,
    rejected: 0,
    messages: 0,
    messagesNotOk: 0,
    unsupported: 0,
    issues: 0,
  };
  const codes = new Map<string, number>();
  const note = (code: string): void => {
    codes.set(code, (codes.get(code) ?? 0) + 1);
  };
  const add = (out: import('../../src/core/normalize/index.js').NormalizeOutput): void => {
    for (const e of out.events) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    counts.rejected = (counts.rejected ?? 0) + out.rejected.length;
    counts.issues = (counts.issues ?? 0) + out.issues.length;
    for (const r of out.rejected) for (const i of r.issues) note(i.code);
    for (const i of out.issues) note(i.code);
  };
  const rates = benchRates();
  const profile = profiles.DEFAULT_INBOUND_PROFILE;
  let bytes = 0;
  for (const f of files) {
    const ctx = { file: f.name, profile, rates };
    let reader: StreamReader;
    if (f.standard === 'x12') {
      let current: import('../../src/core/normalize/index.js').MessageNormalizer<X12Segment> | undefined;
      reader = readers.x12(
        {
          interchangeStart() {},
          messageStart(ic, msg) {
            counts.messages = (counts.messages ?? 0) + 1;
            current = normalize.createX12Normalizer(ic, msg, ctx);
            if (current === undefined) counts.unsupported = (counts.unsupported ?? 0) + 1;
          },
          segment(seg) {
            current?.segment(seg);
          },
          messageEnd(_ic, _msg, result) {
            if (!result.ok) counts.messagesNotOk = (counts.messagesNotOk ?? 0) + 1;
            if (current !== undefined) add(current.finish(result));
            current = undefined;
          },
          interchangeEnd(_h, result) {
            for (const i of result.issues) note(i.code);
          },
          fileIssue(i) {
            note(i.code);
          },
        },
        { fileName: f.name, strict: false },
      );
    } else {
      let current: import('../../src/core/normalize/index.js').MessageNormalizer<EdifactSegment> | undefined;
      reader = readers.edifact(
        {
          interchangeStart() {},
          messageStart(ic, msg) {
            counts.messages = (counts.messages ?? 0) + 1;
            current = normalize.createEdifactNormalizer(ic, msg, ctx);
            if (current === undefined) counts.unsupported = (counts.unsupported ?? 0) + 1;
          },
          segment(seg) {
            current?.segment(seg);
          },
          messageEnd(_ic, _msg, result) {
            if (!result.ok) counts.messagesNotOk = (counts.messagesNotOk ?? 0) + 1;
            if (current !== undefined) add(current.finish(result));
            current = undefined;
          },
          interchangeEnd(_h, result) {
            for (const i of result.issues) note(i.code);
          },
          fileIssue(i) {
            note(i.code);
          },
        },
        { fileName: f.name, strict: false },
      );
    }
    bytes += streamFile(f.path, (c) => reader.push(c));
    reader.end();
  }
  topCodes(codes, counts);
  return { status: 'ok', bytes, bytesTotal: bytes, files: files.length, counts };
}

/** e) the embedded end-to-end replay (SQLite store, outbound files) into a scratch directory. */
export async function replayStage(input: StageInput): Promise<StageOutcome> {
  let replay: typeof import('../../src/app/replay.js');
  try {
    replay = await import('../../src/app/replay.js');
  } catch (e) {
    return pending(`src/app/replay.js not loadable: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof replay.runReplay !== 'function') return pending('runReplay not exported yet');
  const files = listInputs(input.dir);
  const bytesTotal = totalBytes(files.map((f) => f.path));
  const scratch = mkdtempSync(join(tmpdir(), 's321-bench-replay-'));
  const cleanup = (): void => rmSync(scratch, { recursive: true, force: true });
  let threads: ThreadTimes | undefined;
  try {
    const summary = await replay.runReplay({
      inputs: files.map((f) => f.path),
      dbPath: join(scratch, 's321.db'),
      outDir: join(scratch, 'out'),
      now: '2025-06-30T12:00',
      // The generator's currencies; without them every EUR/CAD/GBP/CNY shipment is rejected.
      normalize: { rates: benchRates() },
      // The replay's own heap budgets (s321 replay sets them itself); only the transfer can be
      // switched, to compare the encodings back to back (S321_BENCH_TRANSFER=clone).
      ingestThread: {
        ...(process.env.S321_BENCH_TRANSFER === 'clone' ? { transfer: 'clone' as const } : {}),
        onThreadTimes: (t) => {
          threads = t;
        },
      },
      partners: benchPartners(),
    });
    const counts: Record<string, number> = {
      files: summary.files,
      interchanges: summary.interchanges,
      interchangesRejected: summary.interchangesRejected,
      duplicates: summary.duplicates,
      messages: summary.messages,
      messagesRejected: summary.messagesRejected,
      // Every shipment event, as the other stages count them: the replay's summary counts manifest
      // shipments and status events (350, CUSRES) apart.
      shipments: summary.shipments + summary.statusEvents,
      shipmentsRejected: summary.shipmentsRejected,
      decisions: summary.decisions,
      outboundFiles: summary.outboundFiles,
      quarantined: summary.quarantined.length,
      // Decisions whose outbound file could not be generated (a missing partner setting, say).
      emitErrors: summary.emitIssues.length,
      // Event-loop busy time of each thread (ms): the bench reports µs per shipment and busy share.
      ...(threads !== undefined
        ? {
            ingestThreadActiveMs: Math.round(threads.ingest.active),
            ingestThreadIdleMs: Math.round(threads.ingest.idle),
            mainThreadActiveMs: Math.round(threads.consumer.active),
            mainThreadIdleMs: Math.round(threads.consumer.idle),
            ...(threads.ingest.cpuMs !== undefined ? { ingestThreadCpuMs: threads.ingest.cpuMs } : {}),
            ...(threads.consumer.cpuMs !== undefined ? { mainThreadCpuMs: threads.consumer.cpuMs } : {}),
          }
        : {}),
    };
    const codes = new Map<string, number>();
    for (const r of summary.rejections) codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    topCodes(codes, counts);
    return { status: 'ok', bytes: summary.bytes, bytesTotal, files: summary.files, counts, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

export const STAGE_RUNNERS: Record<StageName, (input: StageInput) => StageOutcome | Promise<StageOutcome>> = {
  tokenizer: tokenizerStage,
  'node-x12': nodeX12Stage,
  readers: readersStage,
  normalize: normalizeStage,
  replay: replayStage,
  queue: queueStage,
};
