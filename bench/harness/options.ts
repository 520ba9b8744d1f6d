/** Command line of `npm run bench` (bench/run.ts). */
import { STAGES, type StageName } from '../stages/stage-result.js';

export interface BenchOptions {
  /** Shipment counts, smallest first. */
  sizes: number[];
  seed: number;
  stages: StageName[];
  /** Where the JSON report goes. */
  jsonPath: string;
  /** Parent directory of the generated data (a fresh temp dir per size inside it). */
  tmpDir: string | undefined;
  /** Keep the generated data instead of deleting it after each size. */
  keep: boolean;
  /** Time box of the node-x12 reference stage, ms. */
  nodeX12BudgetMs: number;
  /** Largest file node-x12 is given whole, MB. */
  maxWholeFileMB: number;
  /** A stage child running longer than this is killed and reported failed, ms. */
  stageTimeoutMs: number;
  quick: boolean;
}

export const DEFAULT_SIZES = [100_000, 1_000_000, 4_000_000];
export const QUICK_SIZE = 20_000;

/** '100k' → 100000, '1M' → 1000000, '2500' → 2500. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`bad size '${text}' (examples: 100k, 1M, 4M, 25000)`);
  const mult = m[2] === '' ? 1 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1e6;
  const n = Math.round(Number(m[1]) * mult);
  if (n <= 0) throw new Error(`size must be positive: '${text}'`);
  return n;
}

export function formatSize(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

const USAGE = `usage: node dist/bench/run.js [--sizes 100k,1M,4M] [--quick] [--json FILE] [--seed N]
       [--stages tokenizer,node-x12,readers,normalize,replay] [--tmp DIR] [--keep]
       [--node-x12-budget-s N] [--max-whole-file-mb N] [--stage-timeout-s N]`;

export function parseBenchArgs(argv: readonly string[], defaultJson: string): BenchOptions {
  const o: BenchOptions = {
    sizes: DEFAULT_SIZES,
    seed: 321,
    stages: [...STAGES],
    jsonPath: defaultJson,
    tmpDir: undefined,
    keep: false,
    nodeX12BudgetMs: 30_000,
    maxWholeFileMB: 30,
    // Far beyond the 40 s target; a stage still running then is reported failed instead of stalling the run.
    stageTimeoutMs: 10 * 60_000,
    quick: false,
  };
  let sizesGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    switch (a) {
      case '--sizes':
        o.sizes = value()
          .split(',')
          .map(parseSize)
          .sort((x, y) => x - y);
        sizesGiven = true;
        break;
      case '--quick':
        o.quick = true;
        break;
      case '--json':
        o.jsonPath = value();
        break;
      case '--seed':
        o.seed = Number(value());
        break;
      case '--stages': {
        const names = value().split(',');
        for (const n of names)
          if (!STAGES.includes(n as StageName)) throw new Error(`unknown stage '${n}'\n${USAGE}`);
        o.stages = names as StageName[];
        break;
      }
      case '--tmp':
        o.tmpDir = value();
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--node-x12-budget-s':
        o.nodeX12BudgetMs = Number(value()) * 1000;
        break;
      case '--max-whole-file-mb':
        o.maxWholeFileMB = Number(value());
        break;
      case '--stage-timeout-s':
        o.stageTimeoutMs = Number(value()) * 1000;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option '${a}'\n${USAGE}`);
    }
  }
  if (o.quick) {
    if (!sizesGiven) o.sizes = [QUICK_SIZE];
    o.nodeX12BudgetMs = Math.min(o.nodeX12BudgetMs, 5_000);
    o.stageTimeoutMs = Math.min(o.stageTimeoutMs, 60_000);
  }
  return o;
}
