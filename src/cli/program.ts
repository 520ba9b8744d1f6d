/**
 * s321 command line (commander), loaded by main.ts. Each command lives in src/cli/commands/ and returns its exit code:
 * 0 when everything went through, 2 when any input was rejected, 1 on a usage or system error.
 */
import { Command } from 'commander';
import { registerEnqueue } from './commands/enqueue.js';
import { registerInspect } from './commands/inspect.js';
import { registerParse } from './commands/parse.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerWorker } from './commands/worker.js';

const program = new Command();
program
  .name('s321')
  .description(
    'Section 321 de minimis aggregation: X12 / EDIFACT in, per-consignee-day decisions, EDI notifications out',
  )
  .showHelpAfterError()
  .exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 1);
  });

registerParse(program);
registerInspect(program);
registerReplay(program);
registerReport(program);
registerEnqueue(program);
registerWorker(program);
registerServe(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`s321: ${err instanceof Error ? err.message : String(err)}\n`);
  // Errors that say how the run ended carry their exit code (2: an input or output refused).
  const code = (err as { exitCode?: unknown } | undefined)?.exitCode;
  process.exit(typeof code === 'number' ? code : 1);
});
