/**
 * The benchmark driver: per size, generate the traffic once into a temp directory, then run every
 * stage in its own child process (peak RSS per stage), check what each stage found against the
 * generator's ground truth, and derive throughput, scaling and the issue's targets.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPLAY_HEAP_FLAGS } from '../../src/cli/heap-budget.js';
import { STAGE_TIMEOUT_ENV } from '../stages/queue-stage.js';
import type { StageName, StageResult } from '../stages/stage-result.js';
import type { GroundTruth } from '../traffic/index.js';
import { writeTraffic } from '../traffic/index.js';
import { type BenchOptions, formatSize } from './options.js';

export interface Check {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface StageReport extends StageResult {
  seconds: number;
  /** Share of the input the stage processed (1 unless time-boxed or skipped). */
  coverage: number;
  /** Manifest shipments per second (the size's shipments x coverage / seconds). */
  shipmentsPerS: number | null;
  mbPerS: number | null;
  /** Same bytes over CPU time: steadier than wall time when other work shares the machine. */
  cpuMbPerS: number | null;
  /** Wall time relative to the bare tokenizer (for parsing stages: the issue wants ≤ 2). */
  vsTokenizer: number | null;
  checks: Check[];
}

export interface SizeReport {
  label: string;
  shipments: number;
  data: { files: number; bytes: number; bytesPerShipment: number; x12Bytes: number; edifactBytes: number };
  /** Generation + writing the files; `generateMbPerS` leaves the file writes out. */
  generation: { ms: number; writeMs: number; mbPerS: number; generateMbPerS: number; shipmentsPerS: number };
  truth: GroundTruth;
  stages: StageReport[];
}

export interface Target {
  name: string;
  target: string;
  measured: string;
  /** null: not measurable in this run (stage pending, size not run). */
  ok: boolean | null;
}

export interface BenchReport {
  startedAt: string;
  machine: {
    cpus: number;
    model: string;
    node: string;
    platform: string;
    loadAverage: number[];
    totalMemMB: number;
    freeMemMB: number;
  };
  options: Omit<BenchOptions, 'jsonPath'>;
  sizes: SizeReport[];
  /** Per stage: wall time per shipment at the largest size / at the smallest (1 = linear). */
  scaling: Partial<Record<StageName, number | null>>;
  targets: Target[];
}

const STAGE_SCRIPT = fileURLToPath(new URL('../stage.js', import.meta.url));

/**
 * V8 heap flags of each stage's process. The embedded replay runs with the budget `s321 replay`
 * gives itself (src/cli/heap-budget.ts; its ingest thread's default is in ingest-thread.ts), so the
 * bench measures what a user gets with no flags. The reference stages keep room: node-x12 holds
 * whole documents.
 */
const STAGE_HEAP_FLAGS: Partial<Record<StageName, string[]>> = {
  replay: REPLAY_HEAP_FLAGS,
};

function runStage(stage: StageName, dir: string, o: BenchOptions): StageResult {
  const child = spawnSync(
    process.execPath,
    [
      ...(STAGE_HEAP_FLAGS[stage] ?? ['--max-old-space-size=4096']),
      STAGE_SCRIPT,
      stage,
      '--dir',
      dir,
      '--budget-ms',
      String(o.nodeX12BudgetMs),
      '--max-whole-file-mb',
      String(o.maxWholeFileMB),
    ],
    {
      encoding: 'utf8',
      timeout: o.stageTimeoutMs,
      // The queue stage stops its redis-server and workers itself a little before this limit.
      env: { ...process.env, [STAGE_TIMEOUT_ENV]: String(o.stageTimeoutMs) },
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const last = (child.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as StageResult;
  } catch {
    const timedOut = (child.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    const why = timedOut
      ? `killed after the stage time limit of ${Math.round(o.stageTimeoutMs / 1000)} s`
      : child.error !== undefined
        ? child.error.message
        : `exit ${child.status ?? child.signal}`;
    return {
      stage,
      status: 'failed',
      note: `child gave no result (${why})`,
      wallMs: timedOut ? o.stageTimeoutMs : 0,
      cpuMs: 0,
      bytes: 0,
      bytesTotal: 0,
      files: 0,
      counts: {},
      maxRssMB: 0,
    };
  }
}

function check(name: string, expected: number, actual: number | undefined): Check {
  return { name, expected, actual: actual ?? -1, ok: actual === expected };
}

/** What each stage must have found, from the generator's ground truth. */
export function checksFor(r: StageResult, t: GroundTruth): Check[] {
  if (r.status !== 'ok') return [];
  const loops = t.events.declared + t.events.amended + t.events.deleted;
  const x = t.eventsByStandard.x12;
  const interchanges = t.interchanges.x12 + t.interchanges.edifact;
  const shipmentEvents = loops + t.events.status;
  const c = r.counts;
  switch (r.stage) {
    case 'tokenizer':
      return [
        check('segments', t.segments.x12 + t.segments.edifact, c.segments),
        check('shipment loops (LX+CNI)', loops, c.shipmentLoops),
      ];
    case 'node-x12':
      return [check('X12 shipment loops (LX)', x.declared + x.amended + x.deleted, c.shipmentLoops)];
    case 'readers':
      return [
        check('interchanges', interchanges, c.interchanges),
        check(
          'messages',
          t.messages['309'] + t.messages['350'] + t.messages.CUSCAR + t.messages.CUSRES,
          c.messages,
        ),
        check('shipment loops (LX+CNI)', loops, c.shipmentLoops),
        check('interchanges not ok', 0, c.interchangesNotOk),
      ];
    case 'normalize':
      return [
        check('declared', t.events.declared, c.declared),
        check('amended', t.events.amended, c.amended),
        check('deleted', t.events.deleted, c.deleted),
        check('status', t.events.status, c.status),
        check('rejected', 0, c.rejected),
      ];
    case 'replay':
      return [
        check('interchanges', interchanges, c.interchanges),
        check('interchanges rejected', 0, c.interchangesRejected),
        check('shipment events', shipmentEvents, c.shipments),
        check('duplicate interchanges', t.duplicateInterchanges, c.duplicates),
        check('shipments rejected', 0, c.shipmentsRejected),
        check('files quarantined', 0, c.quarantined),
        check('outbound generation errors', 0, c.emitErrors),
      ];
    case 'queue':
      return [
        check('inputs', t.files, c.inputs),
        check('interchanges', interchanges, c.interchanges),
        check('inputs rejected', 0, c.inputsRejected),
        check('shipment events', shipmentEvents, c.shipments),
        check('duplicate interchanges', t.duplicateInterchanges, c.duplicates),
        check(
          'events applied (first deliveries)',
          t.uniqueEvents.declared + t.uniqueEvents.amended + t.uniqueEvents.deleted + t.uniqueEvents.status,
          c.eventsApplied,
        ),
        check('parts without a stored outcome', 0, c.missingOutcomes),
        check('dead letters', 0, c.deadLetters),
      ];
  }
}

/**
 * The queue stage runs several processes and times its own phases (start-up of redis-server and
 * workers left out): its figures are its measured time and the sum of its processes' peak RSS.
 */
function measuredOf(r: StageResult): StageResult {
  if (r.stage !== 'queue' || r.status !== 'ok') return r;
  const ms = r.counts.measuredMs;
  const rss = r.counts.rssSumMB;
  const cpu = r.counts.cpuSumMs;
  return {
    ...r,
    ...(cpu !== undefined ? { cpuMs: cpu } : {}),
    ...(ms !== undefined && ms > 0 ? { wallMs: ms } : {}),
    ...(rss !== undefined ? { maxRssMB: rss } : {}),
  };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function stageReport(
  raw: StageResult,
  size: number,
  truth: GroundTruth,
  tokenizer: StageResult | undefined,
): StageReport {
  const r = measuredOf(raw);
  const measured = r.status === 'ok' || r.status === 'partial';
  const seconds = r.wallMs / 1000;
  const coverage = r.bytesTotal > 0 ? r.bytes / r.bytesTotal : 0;
  // node-x12 reads the X12 part only: its shipments are that part's share.
  const shipmentShare =
    r.stage === 'node-x12'
      ? (truth.eventsByStandard.x12.declared +
          truth.eventsByStandard.x12.amended +
          truth.eventsByStandard.x12.deleted) /
        Math.max(1, truth.events.declared + truth.events.amended + truth.events.deleted)
      : 1;
  const ok = measured && seconds > 0 && r.bytes > 0;
  return {
    ...r,
    seconds: round(seconds, 2),
    coverage: round(coverage, 3),
    shipmentsPerS: ok ? Math.round((size * shipmentShare * coverage) / seconds) : null,
    mbPerS: ok ? round(r.bytes / 1e6 / seconds) : null,
    cpuMbPerS: ok && r.cpuMs > 0 ? round(r.bytes / 1e6 / (r.cpuMs / 1000)) : null,
    vsTokenizer:
      ok &&
      tokenizer !== undefined &&
      tokenizer.status === 'ok' &&
      tokenizer.wallMs > 0 &&
      r.stage !== 'tokenizer' &&
      r.stage !== 'node-x12' &&
      r.stage !== 'queue'
        ? round(r.wallMs / tokenizer.wallMs, 2)
        : null,
    checks: checksFor(r, truth),
  };
}

export async function runBench(o: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverage: loadavg().map((l) => round(l, 2)),
      totalMemMB: Math.round(totalmem() / 2 ** 20),
      freeMemMB: Math.round(freemem() / 2 ** 20),
    },
    options: {
      sizes: o.sizes,
      seed: o.seed,
      stages: o.stages,
      tmpDir: o.tmpDir,
      keep: o.keep,
      nodeX12BudgetMs: o.nodeX12BudgetMs,
      maxWholeFileMB: o.maxWholeFileMB,
      stageTimeoutMs: o.stageTimeoutMs,
      quick: o.quick,
    },
    sizes: [],
    scaling: {},
    targets: [],
  };
  for (const size of o.sizes) {
    const label = formatSize(size);
    const dir = mkdtempSync(join(o.tmpDir ?? tmpdir(), `s321-bench-${label}-`));
    try {
      log(`[${label}] generating ${size} shipments (seed ${o.seed}) into ${dir}`);
      const gen = writeTraffic(dir, { seed: o.seed, shipments: size });
      const t = gen.truth;
      log(
        `[${label}] ${t.files} files, ${round(gen.bytes / 1e6)} MB in ${round(gen.ms / 1000, 2)} s ` +
          `(${round(gen.bytes / 1e6 / (Math.max(1, gen.ms - gen.writeMs) / 1000))} MB/s generating, ${round(gen.writeMs / 1000, 2)} s writing files)`,
      );
      const sizeReport: SizeReport = {
        label,
        shipments: size,
        data: {
          files: t.files,
          bytes: gen.bytes,
          bytesPerShipment: round(gen.bytes / size),
          x12Bytes: t.bytesByStandard.x12,
          edifactBytes: t.bytesByStandard.edifact,
        },
        generation: {
          ms: Math.round(gen.ms),
          writeMs: Math.round(gen.writeMs),
          mbPerS: round(gen.bytes / 1e6 / (gen.ms / 1000)),
          generateMbPerS: round(gen.bytes / 1e6 / (Math.max(1, gen.ms - gen.writeMs) / 1000)),
          shipmentsPerS: Math.round(size / (gen.ms / 1000)),
        },
        truth: t,
        stages: [],
      };
      let tokenizer: StageResult | undefined;
      for (const stage of o.stages) {
        log(`[${label}] stage ${stage} ...`);
        const r = runStage(stage, dir, o);
        if (stage === 'tokenizer') tokenizer = r;
        const sr = stageReport(r, size, t, tokenizer);
        const bad = sr.checks.filter((c) => !c.ok);
        log(
          `[${label}] stage ${stage}: ${r.status}${r.note !== undefined ? ` (${r.note})` : ''} ${sr.seconds} s, ` +
            `${sr.mbPerS ?? '-'} MB/s, RSS ${r.maxRssMB} MB${bad.length > 0 ? `, CHECK FAILED: ${bad.map((c) => `${c.name} ${c.actual}≠${c.expected}`).join('; ')}` : ''}`,
        );
        sizeReport.stages.push(sr);
      }
      report.sizes.push(sizeReport);
    } finally {
      if (!o.keep) rmSync(dir, { recursive: true, force: true });
    }
  }
  report.scaling = scaling(report.sizes);
  report.targets = targets(report.sizes);
  return report;
}

function perShipmentMs(s: SizeReport, stage: StageName): number | null {
  const r = s.stages.find((x) => x.stage === stage);
  if (r === undefined || r.status !== 'ok' || r.shipmentsPerS === null || r.shipmentsPerS === 0) return null;
  return 1000 / r.shipmentsPerS;
}

export function scaling(sizes: readonly SizeReport[]): Partial<Record<StageName, number | null>> {
  const out: Partial<Record<StageName, number | null>> = {};
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  if (small === undefined || large === undefined || small === large) return out;
  for (const r of large.stages) {
    const a = perShipmentMs(small, r.stage);
    const b = perShipmentMs(large, r.stage);
    out[r.stage] = a !== null && b !== null ? round(b / a, 2) : null;
  }
  return out;
}

export function targets(sizes: readonly SizeReport[]): Target[] {
  const out: Target[] = [];
  const replays = sizes.map((s) => ({ s, r: s.stages.find((x) => x.stage === 'replay') }));
  const measuredReplays = replays.filter(
    (x) => x.r !== undefined && x.r.status === 'ok' && x.r.shipmentsPerS !== null,
  );
  if (measuredReplays.length === 0) {
    out.push({
      name: 'replay throughput',
      target: '≥ 100k shipments/s',
      measured: 'not measured (replay pending or failed)',
      ok: null,
    });
  } else {
    const worst = Math.min(...measuredReplays.map((x) => x.r?.shipmentsPerS ?? 0));
    out.push({
      name: 'replay throughput (slowest size)',
      target: '≥ 100k shipments/s',
      measured: `${Math.round(worst / 1000)}k/s`,
      ok: worst >= 100_000,
    });
  }
  const four = replays.find((x) => x.s.shipments === 4_000_000);
  if (four?.r !== undefined && four.r.status === 'ok') {
    out.push({
      name: 'replay of 4M shipments',
      target: '≤ 40 s',
      measured: `${four.r.seconds} s`,
      ok: four.r.seconds <= 40,
    });
  } else {
    const last = measuredReplays[measuredReplays.length - 1];
    const estimate = last?.r?.shipmentsPerS
      ? `≈ ${round(4_000_000 / last.r.shipmentsPerS, 1)} s (extrapolated from ${last.s.label})`
      : 'not run';
    out.push({ name: 'replay of 4M shipments', target: '≤ 40 s', measured: estimate, ok: null });
  }
  out.push(...queueTargets(sizes));
  const largest = sizes[sizes.length - 1];
  if (largest !== undefined) {
    for (const stage of ['readers', 'normalize', 'replay'] as const) {
      const r = largest.stages.find((x) => x.stage === stage);
      if (r === undefined) continue;
      if (r.status !== 'ok') {
        out.push({
          name: `peak RSS, ${stage} at ${largest.label}`,
          target: '≤ 300 MB',
          measured: r.status,
          ok: null,
        });
      } else {
        out.push({
          name: `peak RSS, ${stage} at ${largest.label}`,
          target: '≤ 300 MB',
          measured: `${r.maxRssMB} MB`,
          ok: r.maxRssMB <= 300,
        });
      }
    }
    for (const stage of ['readers', 'normalize'] as const) {
      const r = largest.stages.find((x) => x.stage === stage);
      if (r === undefined) continue;
      out.push({
        name: `${stage} vs bare tokenizer at ${largest.label}`,
        target: stage === 'readers' ? '≤ 2× tokenizer time' : '(informative)',
        measured: r.vsTokenizer === null ? r.status : `${r.vsTokenizer}×`,
        ok: stage === 'readers' && r.vsTokenizer !== null ? r.vsTokenizer <= 2 : null,
      });
    }
  }
  return out;
}

/**
 * Issue #5: queue mode with two aggregate workers ≥ 50k shipments/s. Reported for the aggregate
 * phase (parts already ingested: what the two aggregate workers do) and end to end (ingest phase +
 * aggregate phase), at the slowest size.
 */
function queueTargets(sizes: readonly SizeReport[]): Target[] {
  const runs = sizes
    .map((s) => ({ s, r: s.stages.find((x) => x.stage === 'queue') }))
    .filter((x) => x.r !== undefined);
  if (runs.length === 0) return [];
  const measured = runs.filter((x) => x.r?.status === 'ok' && (x.r.counts.aggregateMs ?? 0) > 0);
  if (measured.length === 0)
    return [
      {
        name: 'queue mode, 2 aggregate workers',
        target: '≥ 50k shipments/s',
        measured: `not measured (${runs.map((x) => `${x.s.label}: ${x.r?.status}`).join(', ')})`,
        ok: null,
      },
    ];
  const rate = (size: number, ms: number | undefined): number => (ms ? (size / ms) * 1000 : 0);
  const slowest = (key: 'aggregateMs' | 'measuredMs') =>
    measured
      .map((x) => ({ label: x.s.label, v: rate(x.s.shipments, x.r?.counts[key]) }))
      .reduce((a, b) => (b.v < a.v ? b : a));
  const agg = slowest('aggregateMs');
  const e2e = slowest('measuredMs');
  return [
    {
      name: `queue mode, 2 aggregate workers, aggregate phase (slowest: ${agg.label})`,
      target: '≥ 50k shipments/s',
      measured: `${round(agg.v / 1000, 1)}k/s`,
      ok: agg.v >= 50_000,
    },
    {
      name: `queue mode end to end, ingest + aggregate phases (slowest: ${e2e.label})`,
      target: '≥ 50k shipments/s',
      measured: `${round(e2e.v / 1000, 1)}k/s`,
      ok: e2e.v >= 50_000,
    },
  ];
}
