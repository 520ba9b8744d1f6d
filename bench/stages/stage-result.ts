/** What a stage child process reports (one JSON line on stdout, the last one). */
export type StageName = 'tokenizer' | 'node-x12' | 'readers' | 'normalize' | 'replay' | 'queue';

export const STAGES: readonly StageName[] = [
  'tokenizer',
  'node-x12',
  'readers',
  'normalize',
  'replay',
  'queue',
];

export type StageStatus = 'ok' | 'partial' | 'pending' | 'skipped' | 'failed';

export interface StageResult {
  stage: StageName;
  status: StageStatus;
  note?: string;
  /** Wall time of the measured work (module loading excluded). */
  wallMs: number;
  /** User + system CPU of the process during the work (less sensitive to a busy machine than wall). */
  cpuMs: number;
  /** Input bytes processed and the input bytes the stage was meant to process. */
  bytes: number;
  bytesTotal: number;
  files: number;
  /** Stage-specific counts (segments, shipment loops, events by kind, rejections...). */
  counts: Record<string, number>;
  /** Peak resident set size of the child process, MB (process.resourceUsage().maxRSS). */
  maxRssMB: number;
}

export interface StageInput {
  dir: string;
  /** Time box for stages that may not finish (node-x12), ms. */
  budgetMs: number;
  /** Largest single file node-x12 is given whole, bytes. */
  maxWholeFileBytes: number;
}
