import { rename, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { PruneCounts } from '../../adapters/store/sqlite/retention.js';
import { inboundProfileWithDialects, loadRateTable } from '../../app/normalizers.js';
import { loadPartnerProfiles } from '../../app/partner-profiles.js';
import { type ReplaySummary, runReplay } from '../../app/replay.js';
import { DEFAULT_RETENTION_DAYS } from '../../core/aggregate/retention.js';
import { type RulesProfile, RulesProfileSchema } from '../../core/model/decision.js';
import { heapMb, localStamp, nonNegativeInt } from '../option-parsers.js';
import { refuseUnwritableFolder } from '../output-folder.js';
import { progressLine } from '../progress-line.js';

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
      '--dialect <sender=name...>',
      'read a sender with a shipped partner dialect (schemas/profiles/dialects), e.g. QUICKAIR=s321-companion',
    )
    .option(
      '--express-carrier <code...>',
      'carrier codes as sent (309 M10-01 / CUSCAR NAD+CA) whose air shipments are express consignments (they get the 098 warning)',
    )
    .option(
      '--partners <file>',
      'outbound partner profiles (JSON: { all, recipients: { <recipient>: overrides } }), e.g. CAMIR airports by port',
    )
    .option(
      '--ingest-heap-mb <n>',
      'heap budget of the parsing thread, MB (default 64; the main thread sets its own budget unless NODE_OPTIONS gives one)',
      heapMb,
    )
    .option(
      '--metrics-file <file>',
      "write the run's Prometheus metrics there at the end (node_exporter's textfile collector format)",
    )
    .option(
      '--retention-days <n>',
      `days kept after a person-day's day; older state is pruned when the store opens (0 keeps everything; docs/retention.md)`,
      nonNegativeInt,
      DEFAULT_RETENTION_DAYS,
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
          dialect?: string[];
          expressCarrier?: string[];
          ingestHeapMb?: number;
          retentionDays: number;
          strict?: boolean;
          json?: boolean;
          metricsFile?: string;
        },
      ) => {
        refuseUnwritableFolder(opts.out, '--out');
        const rates = opts.rates !== undefined ? await loadRateTable(opts.rates) : undefined;
        const partners = opts.partners !== undefined ? await loadPartnerProfiles(opts.partners) : undefined;
        const profile =
          opts.dialect !== undefined || opts.expressCarrier !== undefined
            ? inboundProfileWithDialects(opts.dialect ?? [], opts.expressCarrier ?? [])
            : undefined;
        const normalize = {
          ...(rates !== undefined ? { rates } : {}),
          ...(profile !== undefined ? { profile } : {}),
        };
        const progress = progressLine('shipments');
        // A batch run has no endpoint to scrape: its counters go to a file at the end (no process
        // metrics: they would describe a process that has exited). prom-client is loaded only then:
        // it costs ~12 MB of the replay's memory budget.
        const metrics =
          opts.metricsFile !== undefined
            ? new (await import('../../adapters/metrics/prometheus.js')).PrometheusMetrics({
                role: 'replay',
                processMetrics: false,
              })
            : undefined;
        const summary = await runReplay({
          ...(metrics !== undefined ? { metrics } : {}),
          ...(progress.onProgress !== undefined ? { onProgress: progress.onProgress } : {}),
          ...(partners !== undefined ? { partners } : {}),
          ...(opts.ingestHeapMb !== undefined ? { ingestThread: { heapMb: opts.ingestHeapMb } } : {}),
          ...(rates !== undefined || profile !== undefined ? { normalize } : {}),
          inputs,
          dbPath: opts.db,
          outDir: opts.out,
          strict: opts.strict === true,
          retentionDays: opts.retentionDays,
          ...(opts.rules !== undefined ? { rules: opts.rules } : {}),
          ...(opts.now !== undefined ? { now: opts.now } : {}),
        }).finally(() => progress.stop());
        if (metrics !== undefined && opts.metricsFile !== undefined) {
          // Written whole then renamed: a collector never reads half a file.
          const tmp = `${opts.metricsFile}.${process.pid}.tmp`;
          await writeFile(tmp, await metrics.metrics());
          await rename(tmp, opts.metricsFile);
        }
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
  // The rate is of shipments (manifest events): status events (350, CUSRES) are counted apart.
  const rate = s.elapsedMs > 0 ? Math.round((s.shipments / s.elapsedMs) * 1000) : 0;
  const lines = [
    `files ${s.files} (${(s.bytes / 1e6).toFixed(1)} MB, ${s.duplicateFiles.length} duplicate, ${s.skipped.length} skipped), interchanges ${s.interchanges} (${s.interchangesRejected} rejected, ${s.duplicates} duplicate), messages ${s.messages} (${s.messagesRejected} rejected)`,
    `shipments ${s.shipments} (${s.shipmentsRejected} rejected), status events ${s.statusEvents}, decisions ${s.decisions}, outbound files ${s.outboundFiles}, acknowledgments ${s.acknowledgments}, ${s.elapsedMs} ms (${rate} shipments/s)`,
    ...(s.splitSuspectGroups > 0
      ? [`split-shipment suspects: ${s.splitSuspectGroups} group(s) audited (audit.jsonl; see s321 report)`]
      : []),
    ...(s.pruned !== undefined ? [prunedLine(s.pruned)] : []),
    ...(s.prunedEvents > 0
      ? [
          `retention: ${s.prunedEvents} event(s) for pruned days or bills rejected (not counted; see quarantine)`,
        ]
      : []),
    s.outputs.length > 0 ? `outputs in ${out}: ${s.outputs.join(', ')}` : `nothing written to ${out}`,
  ];
  if (s.files === 0 && s.skipped.length === 0) lines.push('no input files found');
  for (const d of s.duplicateFiles.slice(0, 50)) lines.push(`duplicate ${d} (applied before: nothing new)`);
  if (s.duplicateFiles.length > 50)
    lines.push(`  … ${s.duplicateFiles.length - 50} more duplicates in ${out}/ledger.jsonl`);
  for (const k of s.skipped.slice(0, 50)) lines.push(`skipped ${k.path}: ${k.reason}`);
  if (s.skipped.length > 50) lines.push(`  … ${s.skipped.length - 50} more skipped in ${out}/ledger.jsonl`);
  for (const q of s.quarantined) lines.push(`quarantined ${q}`);
  for (const e of s.emitIssues.slice(0, 20)) lines.push(`  NOT SENT ${e.code}: ${e.message}`);
  if (s.emitIssueCount > 20)
    lines.push(`  … ${s.emitIssueCount - 20} more not sent: ${out}/outbound-issues.jsonl`);
  for (const r of s.rejections.slice(0, 50)) lines.push(`  ${r.code} ${r.file}: ${r.message}`);
  if (s.rejectionCount > 50)
    lines.push(`  … ${s.rejectionCount - 50} more in ${out}/quarantine/*.reason.json`);
  return `${lines.join('\n')}\n`;
}

/** One line of what a prune removed (the replay's summary and `s321 prune`). */
export function prunedLine(p: PruneCounts): string {
  return `retention: pruned before ${p.watermark}${p.previous !== undefined ? ` (was ${p.previous})` : ''}: ${p.personDays} person-day(s), ${p.bills} bill(s), ${p.decisions} decision(s), ${p.outboundFiles} outbound file(s), ${p.ackFiles} acknowledgment file(s), ${p.acknowledged} acknowledged key(s)`;
}
