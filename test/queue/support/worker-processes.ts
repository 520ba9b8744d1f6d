/**
 * Aggregate workers as separate OS processes (support/aggregate-worker-entry.mjs running the
 * compiled workers/aggregate.js), for the multi-process and fault tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerSettings } from '../../../src/app/queue/worker-settings.js';

const ENTRY = join(import.meta.dirname, 'aggregate-worker-entry.mjs');

export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
}

export function spawnAggregateWorker(
  build: string,
  settings: WorkerSettings,
  name: string,
  waitMs = 500,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      S321_TEST_BUILD: build,
      S321_TEST_SETTINGS: JSON.stringify({ ...settings, workerName: name }),
      S321_TEST_WAIT_MS: String(waitMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return whenStarted(child, name, 'ready', 20_000);
}

/**
 * Collects a spawned worker's output and resolves once it contains `marker` (its start line);
 * rejects, with the output so far, when it exits before or does not say it within `timeoutMs`
 * (then it is killed).
 */
export function whenStarted(
  child: ChildProcess,
  name: string,
  marker: string,
  timeoutMs: number,
): Promise<WorkerProcess> {
  let out = '';
  const collect = (b: Buffer): void => {
    out += b.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${name} did not start:\n${out}`));
    }, timeoutMs);
    const check = setInterval(() => {
      if (out.includes(marker)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ name, child, output: () => out });
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      if (!out.includes(marker))
        reject(new Error(`worker ${name} exited (${code}) before it started:\n${out}`));
    });
  });
}

/** SIGTERM (graceful: the job in hand is finished), SIGKILL after 15 s. */
export async function stopWorkerProcess(w: WorkerProcess): Promise<number | null> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return w.child.exitCode;
  const exited = new Promise<number | null>((r) => w.child.once('exit', (code) => r(code)));
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

export function dumpOutputs(workers: readonly WorkerProcess[]): void {
  for (const w of workers) process.stderr.write(`--- worker ${w.name} ---\n${w.output().slice(-3000)}\n`);
}
