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
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${name} did not start:\n${out}`));
    }, 20_000);
    const check = setInterval(() => {
      if (out.includes('ready')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ name, child, output: () => out });
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      if (!out.includes('ready')) reject(new Error(`worker ${name} exited (${code}) before ready:\n${out}`));
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
