/**
 * s321 command line (commander), loaded by main.ts. Each command lives in src/cli/commands/. Exit
 * codes (README, Commands): 0 when everything went through; 2 when something given was refused — an
 * input file, an option value, a config or partner file, a database path; 1 when the run itself
 * failed (Redis unreachable, a disk error, a bug).
 */
import { Command, type CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerApi } from './commands/api.js';
import { registerEnqueue } from './commands/enqueue.js';
import { registerInspect } from './commands/inspect.js';
import { registerParse } from './commands/parse.js';
import { registerPrecheck } from './commands/precheck.js';
import { registerPrune } from './commands/prune.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerWorker } from './commands/worker.js';
import { exitCodeOf } from './exit-codes.js';

// A reader that stops early (`s321 parse --json … | head -1`) closes the pipe: Node then gets EPIPE
// where a C tool would get SIGPIPE. Nobody reads the rest, so stop quietly with exit 0 — the
// output read so far is complete lines, and the pipeline's status stays the reader's.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command();
program
  .name('s321')
  .description(
    'Section 321 de minimis aggregation: X12 / EDIFACT in, per-consignee-day decisions, EDI notifications out',
  )
  .version(packageJson.version, '-V, --version', 'print the version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride((err: CommanderError) => {
    process.exit(exitCodeOf(err));
  });

registerParse(program);
registerInspect(program);
registerReplay(program);
registerReport(program);
registerPrune(program);
registerEnqueue(program);
registerWorker(program);
registerServe(program);
registerApi(program);
registerPrecheck(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`s321: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(exitCodeOf(err));
});
