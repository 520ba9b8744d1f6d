import type { Command } from 'commander';
import { ingestFile } from '../../app/ingest-file.js';
import { listInputs } from '../../app/list-inputs.js';
import { defaultNormalizers, inboundProfileWithDialects, loadRateTable } from '../../app/normalizers.js';
import { ProgressCounter } from '../../app/progress.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../app/replay.js';
import { formatIssue } from '../../core/model/issue.js';
import { allIssues, hasRejections } from '../../core/pipeline/outcome.js';
import { formatEvent } from '../format-event.js';
import { progressLine } from '../progress-line.js';

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description(
      'read interchanges and print their shipment events on stdout, one per line (no aggregation, nothing written); summary on stderr',
    )
    .argument('<inputs...>', 'files or folders')
    .option('--json', 'each event as one JSON object (the ShipmentEvent schema) instead of a readable line')
    .option('--strict', 'layout tolerance off')
    .option('--rates <file>', 'currency rate table (JSON); without it only USD is accepted')
    .option(
      '--dialect <sender=name...>',
      'read a sender with a shipped partner dialect (schemas/profiles/dialects), e.g. QUICKAIR=s321-companion',
    )
    .option(
      '--express-carrier <code...>',
      'carrier codes as sent (309 M10-01 / CUSCAR NAD+CA) whose air shipments are express consignments (they get the 098 warning)',
    )
    .action(
      async (
        inputs: string[],
        opts: { json?: boolean; strict?: boolean; rates?: string; dialect?: string[]; expressCarrier?: string[] },
      ) => {
        const listing = await listInputs(inputs);
        const line = progressLine('shipments', true);
        const progress = await ProgressCounter.over(listing.files, line.onProgress);
        const normalizers = defaultNormalizers({
          ...(opts.rates !== undefined ? { rates: await loadRateTable(opts.rates) } : {}),
          ...(opts.dialect !== undefined || opts.expressCarrier !== undefined
            ? { profile: inboundProfileWithDialects(opts.dialect ?? [], opts.expressCarrier ?? []) }
            : {}),
        });
        const totals = { files: 0, interchanges: 0, shipments: 0, rejected: 0 };
        const reasons: string[] = [];
        for (const input of listing.files) {
          const { outcome } = await ingestFile(
            input.path,
            input.name,
            { strict: opts.strict === true, maxBytes: DEFAULT_MAX_FILE_BYTES, normalizers },
            (ic) => {
              totals.shipments += ic.events.length;
              progress.items(ic.events.length);
              process.stdout.write(
                ic.events.map((e) => `${opts.json === true ? JSON.stringify(e) : formatEvent(e)}\n`).join(''),
              );
            },
          );
          totals.files += 1;
          progress.file(outcome.bytes);
          totals.interchanges += outcome.interchanges.length;
          if (hasRejections(outcome)) {
            for (const issue of allIssues(outcome)) {
              if (issue.severity === 'error') {
                totals.rejected += 1;
                reasons.push(formatIssue(issue));
              }
            }
          }
        }
        line.stop();
        process.stderr.write(
          `files ${totals.files}, interchanges ${totals.interchanges}, shipments ${totals.shipments}, rejected ${totals.rejected}\n`,
        );
        for (const r of reasons) process.stderr.write(`  ${r}\n`);
        if (listing.skipped.length > 0) {
          process.stderr.write(
            `skipped ${listing.skipped.length} non-input file(s) (expectations, docs, hidden, partial uploads)\n`,
          );
        }
        process.exitCode = totals.rejected > 0 ? 2 : 0;
      },
    );
}
