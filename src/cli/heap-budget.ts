/**
 * The heap budget `s321 replay` runs with when the user gave none: V8 sizes its heap from the
 * machine's memory and grows it lazily, so on a large machine a long replay's RSS grew with the run
 * (most of it garbage not yet collected) although its live heap is a few tens of MB (README,
 * Memory). V8 reads these limits only at start-up, so the command re-runs itself once with them;
 * an operator's own NODE_OPTIONS or node flags are kept and win.
 */
import { spawn } from 'node:child_process';

/**
 * Main thread: one store batch, the in-flight window and one emit page live at a time (20–45 MB
 * after a GC at 1M). Measured on ~200k shipments, peak RSS of the replay process: 351 MB with V8's
 * defaults, 246 MB with 112 MB old space and 8 MB semi-spaces, 220 MB with 96 / 4 (and the
 * waiting parent adds ~43 MB).
 */
export const REPLAY_HEAP_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=4'];

/** Set in the re-run child, so it never re-runs again. */
const MARK = 'S321_HEAP_BUDGET';

/**
 * glibc gives each thread that mallocs its own arena (up to 8 per core), and freed memory stays in
 * the arena it came from: the parse thread's, SQLite's and the hot state's allocations spread over
 * several arenas, each holding its own free pages. Two arenas: measured at 1M shipments, peak RSS
 * of the replay child 264 → 249 MB (same run, same minutes). Read by glibc at start-up (other C
 * libraries ignore it); an operator's own setting wins.
 */
const MALLOC_ARENAS = '2';

/** The re-run child's environment: the mark, and the allocator's arena limit unless one is set. */
export function budgetEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS, [MARK]: '1' };
}

const COMMANDS_WITH_BUDGET = new Set(['replay']);

/**
 * Whether this process should re-run itself with the budget: a budgeted command, no heap size from
 * the user (flags or NODE_OPTIONS), not already the re-run.
 */
export function needsHeapBudget(
  argv: readonly string[],
  execArgv: readonly string[],
  env: NodeJS.ProcessEnv,
): boolean {
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  if (command === undefined || !COMMANDS_WITH_BUDGET.has(command)) return false;
  if (env[MARK] !== undefined) return false;
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  return !given.some((f) => /^--max[-_]old[-_]space[-_]size(=|$)/.test(f));
}

/**
 * Runs this same command line in a child with the heap flags; resolves with the exit code to exit
 * with. Signals an operator sends the parent (Ctrl-C, SIGTERM) are passed on; the child's own
 * death by a signal is re-raised here, so the caller sees what it would have seen.
 */
export function rerunWithHeapBudget(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...REPLAY_HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)],
      {
        stdio: 'inherit',
        env: budgetEnv(process.env),
      },
    );
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (signal !== null) {
        process.kill(process.pid, signal);
        return;
      }
      resolve(code ?? 1);
    });
  });
}
