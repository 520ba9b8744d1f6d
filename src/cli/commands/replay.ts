import { type Command, Option } from 'commander';
import { loadRateTable } from '../../app/normalizers.js';
import { loadPartnerProfiles } from '../../app/partner-profiles.js';
import { type ReplaySummary, runReplay } from '../../app/replay.js';
import { type RulesProfile, RulesProfileSchema } from '../../core/model/decision.js';
import { heapMb, localStamp } from '../option-parsers.js';
import { refuseUnwritableFolder } from '../output-folder.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'run the whole pipeline on files: events, decisions (SQLite), outbound EDI, acks, quarantine',
    )
    .argument('<inputs...>', 'files or folders (processed in sorted order)')
    .option('--db <file>', 'SQLite state file', 's321.db')
    .option('--out <dir>', 'output folder', 'out')
    .addOption(
      new Option('--rules <profile>', 'force a rule profile for every day (certification replay)').choices(
        RulesProfileSchema.options,
      ),
    )
    .option('--now <stamp>', 'fixed creation stamp for outbound files, e.g. 2025-06-10T12:00', localStamp)
    .option(
      '--rates <file>',
      'currency rate table (JSON: currency → [{ from, usdPerUnit }]); without it only USD is accepted',
    )
    .option(
      '--partners <file>',
      'outbound partner profiles (JSON: { all, recipients: { <recipient>: overrides } }), e.g. CAMIR airports by port',
    )
    .option(
      '--ingest-heap-mb <n>',
      'heap budget of the parsing thread, MB (with NODE_OPTIONS=--max-old-space-size for the main thread: a flat RSS)',
      heapMb,
    )
    .option('--strict', 'layout tolerance off')
    .option('--json', 'print the summary as JSON on stdout')
    .action(
      async (
        inputs: string[],
        opts: {
          db: string;
          out: string;
          rules?: RulesProfile;
          now?: string;
          rates?: string;
          partners?: string;
          ingestHeapMb?: number;
          strict?: boolean;
          json?: boolean;
        },
      ) => {
        refuseUnwritableFolder(opts.out, '--out');
        const rates = opts.rates !== undefined ? await loadRateTable(opts.rates) : undefined;
        const partners = opts.partners !== undefined ? await loadPartnerProfiles(opts.partners) : undefined;
        const summary = await runReplay({
          ...(partners !== undefined ? { partners } : {}),
          ...(opts.ingestHeapMb !== undefined ? { ingestThread: { heapMb: opts.ingestHeapMb } } : {}),
          ...(rates !== undefined ? { normalize: { rates } } : {}),
          inputs,
          dbPath: opts.db,
          outDir: opts.out,
          strict: opts.strict === true,
          ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
          ...(opts.now !== undefined ? { now: opts.now } : {}),
        });
        if (opts.json === true) process.stdout.write(`${JSON.stringify(summary)}\n`);
        process.stderr.write(humanSummary(summary, opts.out));
        const rejected =
          summary.interchangesRejected +
          summary.messagesRejected +
          summary.shipmentsRejected +
          summary.rejectionCount +
          summary.emitIssueCount;
        process.exitCode = rejected > 0 ? 2 : 0;
      },
    );
}

function humanSummary(s: ReplaySummary, out: string): string {
  const rate = s.elapsedMs > 0 ? Math.round((s.shipments / s.elapsedMs) * 1000) : 0;
  const lines = [
    `files ${s.files} (${(s.bytes / 1e6).toFixed(1)} MB), interchanges ${s.interchanges} (${s.interchangesRejected} rejected, ${s.duplicates} duplicate), messages ${s.messages} (${s.messagesRejected} rejected)`,
    `shipments ${s.shipments} (${s.shipmentsRejected} rejected), decisions ${s.decisions}, outbound files ${s.outboundFiles}, ${s.elapsedMs} ms (${rate} shipments/s)`,
    `outputs in ${out}: decisions.jsonl, outbound/, acks/, quarantine/, ledger.jsonl`,
  ];
  for (const q of s.quarantined) lines.push(`quarantined ${q}`);
  for (const e of s.emitIssues.slice(0, 20)) lines.push(`  NOT SENT ${e.code}: ${e.message}`);
  if (s.emitIssueCount > 20)
    lines.push(`  … ${s.emitIssueCount - 20} more not sent: ${out}/outbound-issues.jsonl`);
  for (const r of s.rejections.slice(0, 50)) lines.push(`  ${r.code} ${r.file}: ${r.message}`);
  if (s.rejectionCount > 50)
    lines.push(`  … ${s.rejectionCount - 50} more in ${out}/quarantine/*.reason.json`);
  return `${lines.join('\n')}\n`;
}
