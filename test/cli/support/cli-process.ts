/** The built s321 binary as a child process: run to completion, or started and watched. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export const CLI = 'dist/src/cli/main.js';

export function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; uid?: number; gid?: number } = {},
) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
}

export interface StartedCli {
  readonly child: ChildProcess;
  stderr(): string;
  /** Resolves when stderr matches `pattern`; rejects after `timeoutMs` or if the process ends first. */
  waitForStderr(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code (or 128 + signal number) and the milliseconds waited. */
  exited(
    timeoutMs: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; waitedMs: number }>;
}

export function startCli(args: string[]): StartedCli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const listeners = new Set<() => void>();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const l of listeners) l();
  });
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stderr: () => err,
    waitForStderr: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(err)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${err}`));
        }, timeoutMs);
        listeners.add(check);
        void done.then(() => {
          if (!pattern.test(err)) {
            clearTimeout(timer);
            reject(new Error(`process ended before ${pattern} appeared:\n${err}`));
          }
        });
        check();
      }),
    exited: async (timeoutMs) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        done,
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`still running ${timeoutMs} ms later:\n${err}`);
      }
      return { ...result, waitedMs: Date.now() - started };
    },
  };
}
