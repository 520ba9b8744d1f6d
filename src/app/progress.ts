/**
 * Progress of a run over input files, as plain numbers handed to a callback: the app counts, the
 * command line draws (a bar on a TTY, nothing otherwise), so src/app stays free of any UI.
 */
import { stat } from 'node:fs/promises';
import type { InputFile } from './list-inputs.js';

export interface Progress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Shipments (events) read so far; for `inspect`, messages. */
  items: number;
}

export type OnProgress = (progress: Progress) => void;

/** Total size of the inputs, for the byte-based percentage and ETA (only read when progress is shown). */
export async function inputBytes(files: readonly InputFile[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await stat(f.path)).size;
  return total;
}

/** Counts files, bytes and items and reports each change (callers add as they go). */
export class ProgressCounter {
  private readonly state: Progress;
  constructor(
    private readonly onProgress: OnProgress | undefined,
    filesTotal: number,
    bytesTotal: number,
  ) {
    this.state = { filesDone: 0, filesTotal, bytesDone: 0, bytesTotal, items: 0 };
  }

  items(n: number): void {
    if (this.onProgress === undefined || n === 0) return;
    this.state.items += n;
    this.onProgress({ ...this.state });
  }

  file(bytes: number): void {
    if (this.onProgress === undefined) return;
    this.state.filesDone += 1;
    this.state.bytesDone += bytes;
    this.onProgress({ ...this.state });
  }

  /**
   * A counter for a run with progress on (it stats the inputs and reports the empty start, so the
   * line shows before the first file is read), or a silent one.
   */
  static async over(
    files: readonly InputFile[],
    onProgress: OnProgress | undefined,
  ): Promise<ProgressCounter> {
    const bytes = onProgress === undefined ? 0 : await inputBytes(files);
    const counter = new ProgressCounter(onProgress, files.length, bytes);
    onProgress?.({ ...counter.state });
    return counter;
  }
}
