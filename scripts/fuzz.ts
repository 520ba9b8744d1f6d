/**
 * Open-ended fuzzing of the readers, the intake path and the normalizers:
 *   npm run fuzz -- --seconds N [--seed S] [--out DIR]
 * Seeds are every file of ../shared/corpus (MANIFEST.tsv, read in place) and every fixtures/**\/input.edi;
 * each case mutates one seed (src/testkit/fuzz/mutations.ts) and checks every property of
 * src/testkit/fuzz/properties.ts on it. Prints inputs/s, totals and the slowest input per MB, and writes
 * each distinct failure (smallest input found, after a bounded minimization) to
 * fixtures/fuzz-regressions/<hash>.bin with a <hash>.json saying which property failed and how.
 * Exits 1 when anything failed.
 *
 * The cases run in a worker thread: a hang (a reader looping forever) cannot be interrupted from the
 * same thread, so the main thread watches the worker's current case and terminates it when the case
 * overruns, records the hang, and restarts the worker at the next case.
 */
import { createHash, randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultNormalizers } from '../src/app/normalizers.js';
import {
  type CaseLimits,
  caseInput,
  type FuzzCase,
  randomCase,
  SCRIPT_LIMITS,
  type SeedFile,
} from '../src/testkit/fuzz/cases.js';
import { describeShape } from '../src/testkit/fuzz/edi-shape.js';
import { caseSeed } from '../src/testkit/fuzz/prng.js';
import {
  type CheckEnv,
  checkInput,
  DEFAULT_HEAP_LIMIT,
  DEFAULT_TIME_LIMIT_MS,
  type FuzzInput,
  type Violation,
} from '../src/testkit/fuzz/properties.js';
import { FUZZ_RATES } from '../src/testkit/fuzz/rates.js';
import { corpusFiles, type RegressionRecord } from '../src/testkit/fuzz/seed-list.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(ROOT, '../shared/corpus');
/** Inputs below this size count as this size for ms/MB (fixed per-call costs would dominate otherwise). */
const MS_PER_MB_FLOOR = 64 << 10;
/** A case still running after max(HANG_MIN_MS, HANG_FACTOR × its time limit) is declared hung. */
const HANG_MIN_MS = 30_000;
const HANG_FACTOR = 10;
const MINIMIZE_MS = 15_000;
const STATS_EVERY_MS = 500;

interface Args {
  seconds: number;
  seed: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seconds: 60,
    seed: randomInt(0, 2 ** 31),
    out: join(ROOT, 'fixtures/fuzz-regressions'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--seconds' && v !== undefined) args.seconds = Number(v);
    else if (a === '--seed' && v !== undefined) args.seed = Number(v) >>> 0;
    else if (a === '--out' && v !== undefined) args.out = v;
    else if (a === '--help') {
      process.stdout.write('usage: npm run fuzz -- --seconds N [--seed S] [--out DIR]\n');
      process.exit(0);
    } else continue;
    i++;
  }
  if (!Number.isFinite(args.seconds) || args.seconds <= 0)
    throw new Error('--seconds must be a positive number');
  return args;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function loadSeeds(): SeedFile[] {
  const seeds: SeedFile[] = [];
  for (const file of corpusFiles(readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8'))) {
    seeds.push({ name: `../shared/corpus/${file}`, bytes: readFileSync(join(CORPUS, file)) });
  }
  for (const path of walk(join(ROOT, 'fixtures')).sort()) {
    if (path.endsWith('/input.edi')) seeds.push({ name: relative(ROOT, path), bytes: readFileSync(path) });
  }
  return seeds;
}

// ---------------------------------------------------------------- worker side

interface WorkerInput {
  runSeed: number;
  startAt: number;
  deadline: number;
  /** [current case number, its input size] for the watchdog. */
  progress: SharedArrayBuffer;
}

interface SlowRecord {
  msPerMb: number;
  ms: number;
  bytes: number;
  pass: string;
  n: number;
}

interface StatsMessage {
  t: 'stats';
  inputs: number;
  bytes: number;
  passes: number;
  events: number;
  slowest: SlowRecord | null;
  slowestAbsolute: SlowRecord | null;
  maxHeapGrowth: { bytes: number; input: number; n: number } | null;
}

interface FailMessage {
  t: 'fail';
  n: number;
  violations: Violation[];
  bytes: Uint8Array;
  originalBytes: number;
  minimized: boolean;
}

/** What makes two failures "the same": property plus the kind of difference, error or throw site. */
function signature(v: Violation): string {
  if (v.property === 'chunk-invariance-inspect' || v.property === 'chunk-invariance-intake') {
    return `${v.property}: ${/^\[[^\]]*\]/.exec(v.message)?.[0] ?? v.message.slice(0, 60)}`;
  }
  if (v.property === 'time-bound' || v.property === 'memory-bound')
    return `${v.property} [${(v.pass ?? '').replace(/\d+/g, '#')}]`;
  const frame =
    v.stack
      ?.split('\n')
      .find((l) => l.includes('/src/'))
      ?.trim() ?? '';
  const text = `${v.message} ${frame}`
    .replace(/\d+/g, '#')
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"');
  return `${v.property}: ${text.slice(0, 160)}`;
}

function runWorker(input: WorkerInput): void {
  const port = parentPort;
  if (port === null) return;
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = (): number => v8.getHeapStatistics().used_heap_size;
  const seeds = loadSeeds();
  const progress = new Int32Array(input.progress);
  const normalizers = defaultNormalizers({ rates: FUZZ_RATES });
  const env = (measure: boolean): CheckEnv => ({
    normalizers,
    now: () => performance.now(),
    timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    heapLimitBytes: DEFAULT_HEAP_LIMIT,
    ...(measure
      ? {
          settledHeap: () => {
            gc();
            return heap();
          },
          heapUsed: heap,
        }
      : {}),
  });
  const seen = new Set<string>();
  const limits: CaseLimits = SCRIPT_LIMITS;
  let stats: StatsMessage = {
    t: 'stats',
    inputs: 0,
    bytes: 0,
    passes: 0,
    events: 0,
    slowest: null,
    slowestAbsolute: null,
    maxHeapGrowth: null,
  };
  let lastPost = performance.now();
  const flush = (): void => {
    port.postMessage(stats);
    stats = {
      t: 'stats',
      inputs: 0,
      bytes: 0,
      passes: 0,
      events: 0,
      slowest: null,
      slowestAbsolute: null,
      maxHeapGrowth: null,
    };
    lastPost = performance.now();
  };

  for (let n = input.startAt; Date.now() < input.deadline; n++) {
    const c = randomCase(caseSeed(input.runSeed, n), seeds, limits);
    const fuzzInput = caseInput(c, seeds);
    Atomics.store(progress, 0, n);
    Atomics.store(progress, 1, Math.min(fuzzInput.bytes.length, 2 ** 31 - 1));
    const measure = fuzzInput.bytes.length >= 256 << 10 || n % 16 === 0;
    const out = checkInput(fuzzInput, env(measure));
    stats.inputs++;
    stats.bytes += fuzzInput.bytes.length;
    stats.passes += 2 + 2 * fuzzInput.plans.filter((p) => p.kind !== 'whole').length;
    stats.events += out.events;
    const rec: SlowRecord = {
      msPerMb: out.slowestPassMs / (Math.max(fuzzInput.bytes.length, MS_PER_MB_FLOOR) / (1 << 20)),
      ms: out.slowestPassMs,
      bytes: fuzzInput.bytes.length,
      pass: out.slowestPass,
      n,
    };
    if (stats.slowest === null || rec.msPerMb > stats.slowest.msPerMb) stats.slowest = rec;
    if (stats.slowestAbsolute === null || rec.ms > stats.slowestAbsolute.ms) stats.slowestAbsolute = rec;
    if (
      out.heapGrowth !== null &&
      (stats.maxHeapGrowth === null || out.heapGrowth > stats.maxHeapGrowth.bytes)
    ) {
      stats.maxHeapGrowth = { bytes: out.heapGrowth, input: fuzzInput.bytes.length, n };
    }
    if (out.violations.length > 0) {
      const fresh = out.violations.some((v) => !seen.has(signature(v)));
      let bytes = fuzzInput.bytes;
      let violations = out.violations;
      let minimized = false;
      if (fresh) {
        const m = minimize(fuzzInput, out.violations, env(false));
        minimized = m.bytes.length < bytes.length;
        bytes = m.bytes;
        violations = m.violations;
      }
      for (const v of out.violations) seen.add(signature(v));
      const fail: FailMessage = {
        t: 'fail',
        n,
        violations,
        bytes,
        originalBytes: fuzzInput.bytes.length,
        minimized,
      };
      port.postMessage(fail);
    }
    if (performance.now() - lastPost > STATS_EVERY_MS) flush();
  }
  flush();
  port.postMessage({ t: 'end' });
}

/**
 * Greedy, time-bounded reduction: drop segments, then cut the tail, keeping every input that still
 * fails one of the original properties with the same signature. Smaller inputs make better fixtures.
 */
function minimize(
  input: FuzzInput,
  violations: Violation[],
  env: CheckEnv,
): { bytes: Uint8Array; violations: Violation[] } {
  const wanted = new Set(
    violations.filter((v) => v.property !== 'time-bound' && v.property !== 'memory-bound').map(signature),
  );
  if (wanted.size === 0) return { bytes: input.bytes, violations };
  const stop = performance.now() + MINIMIZE_MS;
  let best = input.bytes;
  let bestViolations = violations;
  const fails = (bytes: Uint8Array): Violation[] | null => {
    const out = checkInput({ ...input, bytes }, env);
    const kept = out.violations.filter((v) => wanted.has(signature(v)));
    return kept.length > 0 ? out.violations : null;
  };
  // Tail cuts by halving, then segment drops from the end (later segments matter less often).
  for (
    let step = Math.floor(best.length / 2);
    step >= 1 && performance.now() < stop;
    step = Math.floor(step / 2)
  ) {
    while (best.length > step && performance.now() < stop) {
      const candidate = best.subarray(0, best.length - step);
      const v = fails(candidate);
      if (v === null) break;
      best = Uint8Array.from(candidate);
      bestViolations = v;
    }
  }
  let progress = true;
  while (progress && performance.now() < stop) {
    progress = false;
    const segs = describeShape(best).segments;
    for (let i = segs.length - 1; i >= 0 && performance.now() < stop; i--) {
      const [s, e] = segs[i] as [number, number];
      const candidate = new Uint8Array(best.length - (e - s));
      candidate.set(best.subarray(0, s), 0);
      candidate.set(best.subarray(e), s);
      const v = fails(candidate);
      if (v !== null) {
        best = candidate;
        bestViolations = v;
        progress = true;
        break;
      }
    }
  }
  return { bytes: best, violations: bestViolations };
}

// ---------------------------------------------------------------- main side

interface Failure {
  signatures: string[];
  file: string;
  bytes: number;
  count: number;
  violations: Violation[];
}

function describeCase(c: FuzzCase, seeds: readonly SeedFile[]): Record<string, unknown> {
  return {
    seedFile: seeds[c.seed]?.name,
    ops: c.ops,
    strict: c.strict,
    plans: c.plans,
    maxSegmentLength: c.maxSegmentLength,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seeds = loadSeeds();
  mkdirSync(args.out, { recursive: true });
  const started = Date.now();
  const deadline = started + args.seconds * 1000;
  process.stdout.write(
    `fuzz: ${seeds.length} seed files, ${args.seconds} s, seed ${args.seed} (replay: --seed ${args.seed})\n`,
  );

  const totals = { inputs: 0, bytes: 0, passes: 0, events: 0 };
  let slowest: SlowRecord | null = null;
  let slowestAbsolute: SlowRecord | null = null;
  let maxHeap: StatsMessage['maxHeapGrowth'] = null;
  const failures = new Map<string, Failure>();
  let failedInputs = 0;
  const progress = new SharedArrayBuffer(8);
  const view = new Int32Array(progress);

  /** signature → the regression file that first showed it. */
  const known = new Map<string, Failure>();
  const record = (
    n: number,
    violations: Violation[],
    bytes: Uint8Array,
    extra: Record<string, unknown>,
  ): void => {
    failedInputs++;
    const sigs = [...new Set(violations.map(signature))].sort();
    const fresh = sigs.filter((s) => !known.has(s));
    for (const s of sigs) {
      const f = known.get(s);
      if (f !== undefined) f.count++;
    }
    if (fresh.length === 0) return;
    const c = randomCase(caseSeed(args.seed, n), seeds, SCRIPT_LIMITS);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = join(args.out, `${sha256.slice(0, 16)}.bin`);
    const rec: RegressionRecord = {
      properties: [...new Set(violations.map((v) => v.property))].sort(),
      violations: violations.slice(0, 20),
      strict: c.strict,
      plans: c.plans,
      ...(c.maxSegmentLength !== undefined ? { maxSegmentLength: c.maxSegmentLength } : {}),
      bytes: bytes.length,
      sha256,
      origin: {
        runSeed: args.seed,
        case: n,
        caseSeed: caseSeed(args.seed, n),
        ...describeCase(c, seeds),
        ...extra,
      },
    };
    writeFileSync(file, bytes);
    writeFileSync(file.replace(/\.bin$/, '.json'), `${JSON.stringify(rec, null, 2)}\n`);
    const failure: Failure = { signatures: fresh, file, bytes: bytes.length, count: 1, violations };
    for (const s of fresh) known.set(s, failure);
    failures.set(file, failure);
    process.stdout.write(`FAIL case ${n}: ${fresh.join(' | ').slice(0, 300)} → ${relative(ROOT, file)}\n`);
  };

  const runFrom = (startAt: number): Promise<number | null> =>
    new Promise((resolve) => {
      Atomics.store(view, 0, startAt);
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { runSeed: args.seed, startAt, deadline, progress } satisfies WorkerInput,
      });
      let current = startAt;
      let since = Date.now();
      let ended = false;
      const timer = setInterval(() => {
        const n = Atomics.load(view, 0);
        if (n !== current) {
          current = n;
          since = Date.now();
          return;
        }
        const limit = Math.max(HANG_MIN_MS, HANG_FACTOR * DEFAULT_TIME_LIMIT_MS(Atomics.load(view, 1)));
        if (Date.now() - since > limit) {
          clearInterval(timer);
          ended = true;
          void worker.terminate().then(() => {
            const c = randomCase(caseSeed(args.seed, n), seeds, SCRIPT_LIMITS);
            const input = caseInput(c, seeds);
            record(
              n,
              [
                {
                  property: 'time-bound',
                  pass: 'whole case',
                  message: `hang: still running after ${limit} ms (worker terminated)`,
                },
              ],
              input.bytes,
              { hang: true },
            );
            resolve(Date.now() < deadline ? n + 1 : null);
          });
        }
      }, 100);
      worker.on('message', (m: StatsMessage | FailMessage | { t: 'end' }) => {
        if (m.t === 'stats') {
          totals.inputs += m.inputs;
          totals.bytes += m.bytes;
          totals.passes += m.passes;
          totals.events += m.events;
          if (m.slowest !== null && (slowest === null || m.slowest.msPerMb > slowest.msPerMb))
            slowest = m.slowest;
          if (
            m.slowestAbsolute !== null &&
            (slowestAbsolute === null || m.slowestAbsolute.ms > slowestAbsolute.ms)
          )
            slowestAbsolute = m.slowestAbsolute;
          if (m.maxHeapGrowth !== null && (maxHeap === null || m.maxHeapGrowth.bytes > maxHeap.bytes))
            maxHeap = m.maxHeapGrowth;
        } else if (m.t === 'fail') {
          record(m.n, m.violations, m.bytes, { minimized: m.minimized, originalBytes: m.originalBytes });
        }
      });
      worker.on('error', (e) => {
        // A crash of the worker itself (e.g. heap exhaustion): the current case is the culprit.
        if (ended) return;
        ended = true;
        clearInterval(timer);
        const n = Atomics.load(view, 0);
        const c = randomCase(caseSeed(args.seed, n), seeds, SCRIPT_LIMITS);
        record(
          n,
          [
            {
              property: 'no-throw',
              pass: 'worker',
              message: `worker died: ${e.message}`,
              ...(e.stack !== undefined ? { stack: e.stack } : {}),
            },
          ],
          caseInput(c, seeds).bytes,
          {},
        );
        resolve(Date.now() < deadline ? n + 1 : null);
      });
      worker.on('exit', () => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        resolve(null);
      });
    });

  const ticker = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    process.stdout.write(
      `  ${s.toFixed(0)} s: ${totals.inputs} inputs (${(totals.inputs / s).toFixed(1)}/s), ${failures.size} distinct failure(s)\n`,
    );
  }, 30_000);
  let next: number | null = 0;
  while (next !== null) next = await runFrom(next);
  clearInterval(ticker);

  const seconds = (Date.now() - started) / 1000;
  const fmt = (r: SlowRecord | null): string => {
    if (r === null) return 'n/a';
    const c = randomCase(caseSeed(args.seed, r.n), seeds, SCRIPT_LIMITS);
    return `${r.msPerMb.toFixed(1)} ms/MB (${r.ms.toFixed(1)} ms for ${r.bytes} bytes, pass '${r.pass}'), case ${r.n} of seed ${args.seed}: ${JSON.stringify(describeCase(c, seeds))}`;
  };
  const lines = [
    `fuzz done: ${seconds.toFixed(1)} s, run seed ${args.seed}`,
    `inputs: ${totals.inputs} (${(totals.inputs / seconds).toFixed(1)} inputs/s), ${(totals.bytes / 2 ** 20).toFixed(1)} MiB of input, ${totals.passes} reader passes, ${totals.events} events checked`,
    `slowest input per MB (sizes below 64 KiB count as 64 KiB): ${fmt(slowest)}`,
    `slowest single pass: ${fmt(slowestAbsolute)}`,
    `largest heap growth: ${maxHeap === null ? 'n/a' : `${((maxHeap as { bytes: number }).bytes / 2 ** 20).toFixed(1)} MiB for ${(maxHeap as { input: number }).input} bytes (case ${(maxHeap as { n: number }).n})`}`,
    `failures: ${failures.size} distinct, ${failedInputs} failing input(s)`,
  ];
  for (const f of failures.values()) {
    lines.push(
      `  - ${relative(ROOT, f.file)} (${f.bytes} bytes; ${f.signatures.join(' | ')}; seen ${f.count}×)`,
    );
    for (const v of f.violations.slice(0, 5))
      lines.push(`      ${v.property} [${v.pass ?? ''}] ${v.message.slice(0, 300)}`);
    const stack = f.violations.find((v) => v.stack !== undefined)?.stack;
    if (stack !== undefined)
      lines.push(
        ...stack
          .split('\n')
          .slice(0, 6)
          .map((l) => `      ${l}`),
      );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = failures.size > 0 ? 1 : 0;
}

if (isMainThread) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  });
} else {
  runWorker(workerData as WorkerInput);
}
