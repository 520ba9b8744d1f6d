/**
 * The progress line of `replay`, `parse` and `inspect` on a terminal: files, MB, items per second
 * and ETA, drawn on stderr by cli-progress (redrawn in place a few times a second). When stderr is
 * not a TTY (a pipe, a file, CI) there is no line at all: logs and redirected output stay clean.
 */
import { SingleBar } from 'cli-progress';
import type { OnProgress, Progress } from '../app/progress.js';

export interface ProgressLine {
  /** Undefined when stderr is not a TTY: pass it straight as the app's optional callback. */
  onProgress: OnProgress | undefined;
  stop(): void;
}

const MB = 1024 * 1024;

/**
 * `printsToStdout`: the command writes per-file results to stdout (parse, inspect). When stdout is the
 * same terminal those lines already show progress and a bar redrawn between them would leave
 * fragments, so the bar is drawn only when stdout goes elsewhere (`s321 parse --json … > file`).
 */
export function progressLine(
  unit: 'shipments' | 'messages',
  printsToStdout = false,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressLine {
  if (stream.isTTY !== true || (printsToStdout && process.stdout.isTTY === true))
    return { onProgress: undefined, stop: () => {} };
  const bar = new SingleBar({
    stream,
    format: `{bar} {percentage}% | files {filesDone}/{filesTotal} | {mbDone}/{mbTotal} MB | {rate} ${unit}/s | ETA {eta_formatted}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
    // The ETA follows recent throughput (bytes), not the whole run's average.
    etaBuffer: 50,
  });
  const started = performance.now();
  let running = false;
  const payload = (p: Progress) => {
    const seconds = (performance.now() - started) / 1000;
    return {
      filesDone: p.filesDone,
      filesTotal: p.filesTotal,
      mbDone: (p.bytesDone / MB).toFixed(1),
      mbTotal: (p.bytesTotal / MB).toFixed(1),
      rate: seconds > 0 ? Math.round(p.items / seconds) : 0,
    };
  };
  return {
    onProgress: (p) => {
      if (!running) {
        running = true;
        bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload(p));
      } else bar.update(p.bytesDone, payload(p));
    },
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}
