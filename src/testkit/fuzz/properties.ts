/**
 * The properties every input must satisfy, checked by one function shared by the suite
 * (test/fuzz/fuzz.test.ts) and the open-ended run (scripts/fuzz.ts):
 * - no-throw: neither inspect nor intake throws, whatever the bytes;
 * - time-bound / memory-bound: each pass within a time limit per MB, heap growth within a bound;
 * - positioned-rejection: what is not ok carries an error Issue with segmentIndex or byteOffset;
 * - ok-has-content: ok with no message only when the input really holds none;
 * - chunk-invariance-*: the same bytes give identical inspect reports and identical intake outcomes
 *   (events, issues, fingerprints) whatever the chunk split;
 * - inspect-intake-agree: both paths see the same interchanges and messages and reader issues;
 * - issue-well-formed / event-schema: every Issue has a registered code and sane positions, every
 *   event passes the ShipmentEvent zod schema.
 * Clock and heap readings are injected so this module stays pure.
 */
import { CODES } from '../../core/errors/registry.js';
import { type InspectReport, InspectSink } from '../../core/inspect/inspect-sink.js';
import type { Issue } from '../../core/model/issue.js';
import type { Standard } from '../../core/model/reader.js';
import { ShipmentEventSchema } from '../../core/model/shipment-event.js';
import { createFileReader } from '../../core/pipeline/file-reader.js';
import { ascii, utf8Bytes } from './bytes.js';
import { type ChunkPlan, chunksOf, describePlan } from './chunk-plans.js';
import { describeShape, type EdiShape, segmentBounds } from './edi-shape.js';
import { type IntakeNormalizers, type IntakeResult, intakeChunks } from './intake.js';

export type PropertyName =
  | 'no-throw'
  | 'time-bound'
  | 'memory-bound'
  | 'positioned-rejection'
  | 'ok-has-content'
  | 'chunk-invariance-inspect'
  | 'chunk-invariance-intake'
  | 'inspect-intake-agree'
  | 'issue-well-formed'
  | 'event-schema';

export interface Violation {
  property: PropertyName;
  message: string;
  /** The chunk plan or pass concerned. */
  pass?: string;
  stack?: string;
}

export interface CheckEnv {
  normalizers: IntakeNormalizers;
  /** Milliseconds, monotonic. */
  now: () => number;
  /** Heap in use after a full collection; absent: memory is not measured. */
  settledHeap?: () => number;
  /** Heap in use now (garbage included). */
  heapUsed?: () => number;
  /** Longest one pass (one read of the input) may take. */
  timeLimitMs: (bytes: number) => number;
  /** Most heap one input may add while its outcome is held. */
  heapLimitBytes: (bytes: number) => number;
}

export interface FuzzInput {
  bytes: Uint8Array;
  name: string;
  strict: boolean;
  /** Plans compared with the whole-input pass ('whole' is always run first). */
  plans: readonly ChunkPlan[];
  /** Most pieces one plan may cut the input into (default MAX_PIECES). */
  maxPieces?: number;
  /** Reader segment limit (default 1 MiB); small values reach the oversized-segment paths cheaply. */
  maxSegmentLength?: number;
}

export interface CheckOutcome {
  violations: Violation[];
  /** Slowest single pass (one read of the whole input) and which one. */
  slowestPassMs: number;
  slowestPass: string;
  heapGrowth: number | null;
  report: InspectReport | null;
  events: number;
}

/** 2 s per MiB, never less than 2 s: the bound the brief sets (2 s for inputs up to 1 MB). */
export const DEFAULT_TIME_LIMIT_MS = (bytes: number): number => 2000 * Math.max(1, bytes / (1 << 20));
/** A fixed allowance plus a multiple of the input (strings, chunks and the outcome are all held). */
export const DEFAULT_HEAP_LIMIT = (bytes: number): number => 96 * (1 << 20) + 32 * bytes;

/** `inspectBytes` over explicit chunks (inspectBytes itself only cuts fixed sizes). */
export function inspectChunks(
  chunks: readonly Uint8Array[],
  bytes: number,
  name: string,
  strict: boolean,
  maxSegmentLength?: number,
): InspectReport {
  const sink = new InspectSink(name);
  let standard: Standard | null = null;
  const reader = createFileReader(
    { fileName: name, strict, ...(maxSegmentLength !== undefined ? { maxSegmentLength } : {}) },
    {
      x12: () => sink,
      edifact: () => sink,
      standard: (s) => {
        standard = s;
      },
      fileIssue: (i) => sink.fileIssue(i),
    },
  );
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return sink.finish(bytes, standard);
}

/** JSON with sorted keys, so two outcomes compare by content whatever order their fields were set in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

const positioned = (i: Issue): boolean =>
  i.severity === 'error' && (i.segmentIndex !== undefined || i.byteOffset !== undefined);

function intakeIssues(r: IntakeResult): Issue[] {
  const out = [...r.fileIssues];
  for (const ic of r.interchanges) {
    out.push(...ic.issues);
    for (const m of ic.messages) {
      out.push(...m.issues);
      for (const rej of m.rejected) out.push(...rej.issues);
    }
  }
  return out;
}

function delimiterToBytes(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return utf8Bytes(text);
  return ascii(text);
}

/**
 * Segments whose tag is ST or UNH, cut with the delimiters the reader reported: the oracle behind
 * ok-has-content (a reader that is ok with zero messages must not have skipped one).
 */
export function messageHeaderCount(bytes: Uint8Array, report: InspectReport): number {
  const d = report.delimiters;
  if (d === null) return 0;
  const term = delimiterToBytes(d.segment);
  const release = 'release' in d && d.release !== null ? delimiterToBytes(d.release) : null;
  const element = delimiterToBytes(d.element).at(0);
  const component = 'release' in d ? delimiterToBytes(d.component).at(0) : undefined;
  const wanted = report.standard === 'edifact' ? ['UNH'] : ['ST'];
  let count = 0;
  for (const [s, e] of segmentBounds(bytes, term, release)) {
    let i = s;
    while (i < e && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0d || bytes[i] === 0x0a)) i++;
    for (const tag of wanted) {
      let k = 0;
      while (k < tag.length && bytes[i + k] === tag.charCodeAt(k)) k++;
      const after = bytes[i + tag.length];
      if (k === tag.length && (after === element || after === component || i + tag.length >= e - term.length))
        count++;
    }
  }
  return count;
}

function checkIssue(issue: Issue, where: string, bytes: number, name: string, out: Violation[]): void {
  const problems: string[] = [];
  if (!Object.hasOwn(CODES, issue.code)) problems.push(`unregistered code ${String(issue.code)}`);
  if (issue.severity !== 'error' && issue.severity !== 'warning')
    problems.push(`severity ${String(issue.severity)}`);
  if (typeof issue.message !== 'string' || issue.message === '') problems.push('empty message');
  const int = (v: number | undefined, min: number, max: number, label: string): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) problems.push(`${label} ${v}`);
  };
  int(issue.segmentIndex, 0, Number.MAX_SAFE_INTEGER, 'segmentIndex');
  int(issue.byteOffset, 0, bytes, 'byteOffset');
  int(issue.positionInMessage, 1, Number.MAX_SAFE_INTEGER, 'positionInMessage');
  int(issue.element, 1, Number.MAX_SAFE_INTEGER, 'element');
  int(issue.component, 1, Number.MAX_SAFE_INTEGER, 'component');
  if (issue.file !== undefined && issue.file !== name) problems.push(`file ${issue.file}`);
  if (problems.length > 0) {
    out.push({
      property: 'issue-well-formed',
      pass: where,
      message: `${issue.code}: ${problems.join(', ')} (${issue.message.slice(0, 120)})`,
    });
  }
}

function checkReport(r: InspectReport, bytes: Uint8Array, name: string, out: Violation[]): void {
  if (!r.ok && !r.issues.some(positioned)) {
    out.push({
      property: 'positioned-rejection',
      pass: 'inspect',
      message: `inspect not ok without a positioned error (${r.issues.map((i) => i.code).join(', ') || 'no issues'})`,
    });
  }
  if (r.ok && r.interchanges === 0)
    out.push({ property: 'ok-has-content', pass: 'inspect', message: 'ok with zero interchanges' });
  if (r.ok && r.messages === 0 && r.otherDelimiters.length === 0) {
    const headers = messageHeaderCount(bytes, r);
    if (headers > 0) {
      out.push({
        property: 'ok-has-content',
        pass: 'inspect',
        message: `ok with zero messages, yet ${headers} ST/UNH segment(s) in the input`,
      });
    }
  }
  for (const i of r.issues) checkIssue(i, 'inspect', bytes.length, name, out);
}

function checkIntake(r: IntakeResult, bytes: Uint8Array, name: string, out: Violation[]): number {
  let events = 0;
  if (r.interchanges.length === 0 && !r.fileIssues.some(positioned)) {
    out.push({
      property: 'positioned-rejection',
      pass: 'intake',
      message: `no interchange and no positioned file error (${r.fileIssues.map((i) => i.code).join(', ') || 'no issues'})`,
    });
  }
  for (const [n, ic] of r.interchanges.entries()) {
    if (!ic.ok && !ic.issues.some(positioned)) {
      out.push({
        property: 'positioned-rejection',
        pass: 'intake',
        message: `interchange #${n} (${ic.header.controlNumber}) rejected without a positioned error (${ic.issues.map((i) => i.code).join(', ') || 'no issues'})`,
      });
    }
    if (!ic.ok && ic.events.length > 0)
      out.push({
        property: 'positioned-rejection',
        pass: 'intake',
        message: `rejected interchange #${n} still carries ${ic.events.length} event(s)`,
      });
    for (const m of ic.messages) {
      if ((!m.ok || !m.supported) && !m.issues.some(positioned)) {
        out.push({
          property: 'positioned-rejection',
          pass: 'intake',
          message: `message ${m.header.type}/${m.header.reference} not ok without a positioned error (${m.issues.map((i) => i.code).join(', ') || 'no issues'})`,
        });
      }
      for (const rej of m.rejected) {
        if (!rej.issues.some(positioned)) {
          out.push({
            property: 'positioned-rejection',
            pass: 'intake',
            message: `shipment ${rej.bill ?? '?'} rejected without a positioned error (${rej.issues.map((i) => i.code).join(', ') || 'no issues'})`,
          });
        }
      }
    }
    for (const e of ic.events) {
      events++;
      const parsed = ShipmentEventSchema.safeParse(e);
      if (!parsed.success) {
        out.push({
          property: 'event-schema',
          pass: 'intake',
          message: `event ${e.bill?.key ?? '?'}: ${parsed.error.issues
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ')
            .slice(0, 400)}`,
        });
      } else if (e.source.byteOffset > bytes.length || e.source.file !== name) {
        out.push({
          property: 'event-schema',
          pass: 'intake',
          message: `event ${e.bill.key}: source ${e.source.file}@${e.source.byteOffset} outside the input`,
        });
      }
    }
  }
  for (const i of intakeIssues(r)) checkIssue(i, 'intake', bytes.length, name, out);
  return events;
}

function checkAgreement(report: InspectReport, intake: IntakeResult, out: Violation[]): void {
  const messages = intake.interchanges.reduce((n, ic) => n + ic.messages.length, 0);
  if (
    report.interchanges !== intake.interchanges.length ||
    report.messages !== messages ||
    report.standard !== intake.standard
  ) {
    out.push({
      property: 'inspect-intake-agree',
      message: `inspect ${report.standard}: ${report.interchanges} interchange(s)/${report.messages} message(s), intake ${intake.standard}: ${intake.interchanges.length}/${messages}`,
    });
  }
  if (report.ok && intake.interchanges.some((ic) => !ic.ok || ic.messages.some((m) => !m.ok))) {
    out.push({
      property: 'inspect-intake-agree',
      message: 'inspect ok but intake rejected an interchange or message envelope',
    });
  }
  // Every reader issue inspect saw must reach the intake outcome too (the collector may only add).
  const pool = new Map<string, number>();
  for (const i of intakeIssues(intake)) {
    const k = stableJson(i);
    pool.set(k, (pool.get(k) ?? 0) + 1);
  }
  for (const i of report.issues) {
    const k = stableJson(i);
    const left = pool.get(k) ?? 0;
    if (left === 0) {
      out.push({
        property: 'inspect-intake-agree',
        message: `reader issue missing from the intake outcome: ${k.slice(0, 300)}`,
      });
      break;
    }
    pool.set(k, left - 1);
  }
}

/**
 * Where two JSON texts first differ, with the issue code and the field being written there
 * ("[EDIFACT_SEGMENT_TOO_LONG segmentTag] …"): the bracket names the kind of difference, so the
 * script can group failures by it.
 */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const before = a.slice(0, i);
  const code = /"code":"([A-Z0-9_]+)"(?!.*"code":")/s.exec(before)?.[1] ?? '-';
  const keys = [...before.matchAll(/"([A-Za-z0-9_]+)":/g)];
  const key = keys.at(-1)?.[1] ?? '-';
  const from = Math.max(0, i - 80);
  return `[${code} ${key}] at char ${i}: whole …${a.slice(from, i + 80)}… vs split …${b.slice(from, i + 80)}…`;
}

/** Runs every property on one input. Never throws (a throw of the code under test is a violation). */
export function checkInput(input: FuzzInput, env: CheckEnv): CheckOutcome {
  const { bytes, name, strict, maxSegmentLength } = input;
  const intakeOptions = {
    strict,
    normalizers: env.normalizers,
    ...(maxSegmentLength !== undefined ? { maxSegmentLength } : {}),
  };
  const violations: Violation[] = [];
  const limit = env.timeLimitMs(bytes.length);
  let slowestPassMs = 0;
  let slowestPass = '';
  const pass = <T>(label: string, run: () => T): T | undefined => {
    const t0 = env.now();
    let value: T | undefined;
    try {
      value = run();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      violations.push({
        property: 'no-throw',
        pass: label,
        message: `${err.name}: ${err.message}`,
        ...(err.stack !== undefined ? { stack: err.stack } : {}),
      });
    }
    const ms = env.now() - t0;
    if (ms > slowestPassMs) {
      slowestPassMs = ms;
      slowestPass = label;
    }
    if (ms > limit)
      violations.push({
        property: 'time-bound',
        pass: label,
        message: `${ms.toFixed(0)} ms for ${bytes.length} bytes (limit ${limit.toFixed(0)} ms)`,
      });
    return value;
  };

  let shape: EdiShape;
  try {
    shape = describeShape(bytes);
  } catch {
    shape = describeShape(new Uint8Array(0));
  }
  const base = env.settledHeap?.();
  const report = pass('inspect whole', () =>
    inspectChunks([bytes], bytes.length, name, strict, maxSegmentLength),
  );
  const intake = pass('intake whole', () => intakeChunks([bytes], name, intakeOptions));
  let heapGrowth: number | null = null;
  if (base !== undefined && env.heapUsed !== undefined) {
    heapGrowth = env.heapUsed() - base;
    const max = env.heapLimitBytes(bytes.length);
    if (heapGrowth > max) {
      violations.push({
        property: 'memory-bound',
        message: `heap grew ${(heapGrowth / 2 ** 20).toFixed(1)} MiB for ${bytes.length} bytes (bound ${(max / 2 ** 20).toFixed(1)} MiB)`,
      });
    }
  }
  let events = 0;
  if (report !== undefined) checkReport(report, bytes, name, violations);
  if (intake !== undefined) events = checkIntake(intake, bytes, name, violations);
  if (report !== undefined && intake !== undefined) checkAgreement(report, intake, violations);

  const wholeReport = report === undefined ? undefined : stableJson(report);
  const wholeIntake = intake === undefined ? undefined : stableJson(intake);
  for (const plan of input.plans) {
    if (plan.kind === 'whole') continue;
    const label = describePlan(plan);
    const chunks = chunksOf(bytes, plan, shape, input.maxPieces);
    const r = pass(`inspect ${label}`, () =>
      inspectChunks(chunks, bytes.length, name, strict, maxSegmentLength),
    );
    if (r !== undefined && wholeReport !== undefined) {
      const split = stableJson(r);
      if (split !== wholeReport)
        violations.push({
          property: 'chunk-invariance-inspect',
          pass: label,
          message: firstDifference(wholeReport, split),
        });
    }
    const i = pass(`intake ${label}`, () => intakeChunks(chunks, name, intakeOptions));
    if (i !== undefined && wholeIntake !== undefined) {
      const split = stableJson(i);
      if (split !== wholeIntake)
        violations.push({
          property: 'chunk-invariance-intake',
          pass: label,
          message: firstDifference(wholeIntake, split),
        });
    }
  }
  return { violations, slowestPassMs, slowestPass, heapGrowth, report: report ?? null, events };
}
