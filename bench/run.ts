/**
 * `npm run bench`: generates a day of traffic per size and measures each stage of s321 against a
 * bare tokenizer and node-x12. Prints a markdown summary; writes the full report as JSON
 * (bench/results/latest.json unless --json says otherwise). See bench/harness/options.ts for flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './harness/markdown.js';
import { parseBenchArgs } from './harness/options.js';
import { runBench } from './harness/run-bench.js';

// dist/bench/run.js → <repo>/bench/results/latest.json
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  let options: ReturnType<typeof parseBenchArgs>;
  try {
    options = parseBenchArgs(process.argv.slice(2), resolve(repoRoot, 'bench', 'results', 'latest.json'));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const report = await runBench(options, (line) => process.stderr.write(`${line}\n`));
  mkdirSync(dirname(options.jsonPath), { recursive: true });
  writeFileSync(options.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(renderMarkdown(report));
  process.stderr.write(`report: ${options.jsonPath}\n`);
  const failed = report.sizes.some((s) =>
    s.stages.some((st) => st.status === 'failed' || st.checks.some((c) => !c.ok)),
  );
  // A failed stage or a count that disagrees with the ground truth is an error; a missed speed target is not.
  if (failed) process.exitCode = 1;
}

await main();
