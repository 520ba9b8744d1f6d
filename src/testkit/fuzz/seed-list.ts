/** Which files seed the fuzzer (the reading itself is left to the caller: this kit does no I/O). */

/** Paths (relative to the corpus directory) of every row of ../shared/corpus/MANIFEST.tsv. */
export function corpusFiles(manifestTsv: string): string[] {
  return manifestTsv
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[0] ?? '')
    .filter((file) => file.trim() !== '');
}

/** The regression inputs to replay: `<hash>.bin` files of fixtures/fuzz-regressions (top level only). */
export function isRegressionInput(fileName: string): boolean {
  return /^[0-9a-f]{16,64}\.bin$/.test(fileName);
}

/** What the fuzz script stores next to each failing input (`<hash>.json`). */
export interface RegressionRecord {
  /** Properties that failed, e.g. ['no-throw']. */
  properties: string[];
  violations: Array<{ property: string; message: string; pass?: string; stack?: string }>;
  strict: boolean;
  /** Chunk plans to replay with. */
  plans: unknown[];
  /** Reader segment limit used, when not the default. */
  maxSegmentLength?: number;
  bytes: number;
  sha256: string;
  /** Where it came from: run seed, case number, seed file and mutations. */
  origin: Record<string, unknown>;
}
