/**
 * One benchmark stage in its own process, so its peak RSS is its own:
 *   node dist/bench/stage.js <stage> --dir DIR [--budget-ms N] [--max-whole-file-mb N]
 * Prints one JSON line (StageResult) on stdout when done.
 */

import { STAGES, type StageName, type StageResult } from './stages/stage-result.js';
import { STAGE_RUNNERS } from './stages/stages.js';

function arg(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const stage = args[0] as StageName;
  const dir = arg(args, '--dir');
  if (!STAGES.includes(stage) || dir === undefined) {
    process.stderr.write(
      `usage: stage.js <${STAGES.join('|')}> --dir DIR [--budget-ms N] [--max-whole-file-mb N]\n`,
    );
    process.exitCode = 2;
    return;
  }
  const input = {
    dir,
    budgetMs: Number(arg(args, '--budget-ms') ?? 20_000),
    maxWholeFileBytes: Number(arg(args, '--max-whole-file-mb') ?? 30) * 1e6,
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let result: StageResult;
  try {
    const out = await STAGE_RUNNERS[stage](input);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    out.cleanup?.();
    result = {
      stage,
      status: out.status,
      ...(out.note !== undefined ? { note: out.note } : {}),
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      bytes: out.bytes,
      bytesTotal: out.bytesTotal,
      files: out.files,
      counts: out.counts,
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } catch (e) {
    result = {
      stage,
      status: 'failed',
      note: (e as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(e),
      wallMs: Math.round(performance.now() - t0),
      cpuMs: 0,
      bytes: 0,
      bytesTotal: 0,
      files: 0,
      counts: {},
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
