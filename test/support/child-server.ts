/**
 * Runs a server binary as a child process until a readiness line shows up on its output, and
 * stops it again. Shared by the Redis and SFTP helpers.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServer {
  readonly child: ChildProcess;
  /** Everything the server printed so far (stdout + stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    /** true when the failure looks like the port being taken, so a retry on another port may work. */
    readonly portInUse: boolean,
  ) {
    super(message);
    this.name = 'ServerStartError';
  }
}

const PORT_IN_USE =
  /address already in use|Cannot assign requested address|bind.*failed|Could not create server TCP listening socket/i;

export function startChildServer(
  label: string,
  binary: string,
  args: readonly string[],
  ready: RegExp,
  timeoutMs: number,
): Promise<ChildServer> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // If the test process dies, the server must not live on as an orphan listening on a port: on a
  // normal exit the handler kills it; when the test worker is killed outright (no 'exit' event), a
  // tiny watchdog that polls this process does.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const watchdog =
    child.pid === undefined
      ? undefined
      : spawn(
          'sh',
          [
            '-c',
            'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -TERM "$2" 2>/dev/null; sleep 2; kill -KILL "$2" 2>/dev/null',
            'watchdog',
            String(process.pid),
            String(child.pid),
          ],
          { stdio: 'ignore' },
        );
  watchdog?.unref();

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    watchdog?.kill('SIGKILL');
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<ChildServer>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() =>
        reject(new ServerStartError(`${label}: ${message}\n--- output ---\n${out}`, PORT_IN_USE.test(out))),
      );
    };
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      if (!settled && ready.test(out)) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, output: () => out, stop });
      }
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => fail(`could not start ${binary}: ${err.message}`));
    child.once('exit', (code, signal) => fail(`exited before ready (code ${code}, signal ${signal})`));
  });
}
