import type { Command } from 'commander';
import { inspectFile } from '../../app/inspect-file.js';
import { listInputs } from '../../app/list-inputs.js';
import { ProgressCounter } from '../../app/progress.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../app/replay.js';
import type { InspectReport } from '../../core/inspect/inspect-sink.js';
import { formatIssue } from '../../core/model/issue.js';
import { progressLine } from '../progress-line.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('report standard, delimiters, interchange and message counts and every issue of each file')
    .argument('<inputs...>', 'files or folders')
    .option('--json', 'one JSON object per file and line')
    .option(
      '--strict',
      'layout tolerance off: BOM, whitespace before tags, stray CR/LF, missing last terminator are errors',
    )
    .action(async (inputs: string[], opts: { json?: boolean; strict?: boolean }) => {
      const listing = await listInputs(inputs);
      let allOk = true;
      const line = progressLine('messages', true);
      const progress = await ProgressCounter.over(listing.files, line.onProgress);
      for (const input of listing.files) {
        const report = await inspectFile(input.path, input.name, {
          strict: opts.strict === true,
          maxBytes: DEFAULT_MAX_FILE_BYTES,
        });
        allOk &&= report.ok;
        progress.items(report.messages);
        progress.file(report.bytes);
        process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : humanReport(report));
      }
      line.stop();
      if (listing.skipped.length > 0) {
        process.stderr.write(
          `skipped ${listing.skipped.length} non-input file(s) (expectations, docs, hidden, partial uploads)\n`,
        );
      }
      process.exitCode = allOk ? 0 : 2;
    });
}

function visible(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `0x${code.toString(16).padStart(2, '0')}`;
  if (ch === ' ') return 'SPACE';
  return code > 0x7e ? `${ch} (U+${code.toString(16).toUpperCase().padStart(4, '0')})` : ch;
}

function humanReport(r: InspectReport): string {
  const lines = [`${r.ok ? 'OK  ' : 'FAIL'} ${r.file}`];
  const d = r.delimiters;
  const delims =
    d === null
      ? '-'
      : Object.entries(d)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k} ${visible(String(v))}`)
          .join(', ');
  lines.push(
    `     ${r.standard ?? 'not EDI'}${r.syntax !== null ? ` ${r.syntax}` : ''}; ${r.interchanges} interchange(s), ${r.groups} group(s), ${r.messages} message(s) [${r.messageTypes.join(', ')}]; ${r.bytes} bytes`,
    `     delimiters: ${delims}`,
  );
  for (const issue of r.issues) lines.push(`     ${formatIssue(issue)}`);
  return `${lines.join('\n')}\n`;
}
