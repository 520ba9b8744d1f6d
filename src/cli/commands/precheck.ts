/**
 * `s321 precheck FILE.csv|FILE.json --db FILE`: the API's pre-check from the command line, for
 * users without EDI (columns: src/adapters/fs/precheck-file.ts). The shipments are checked in file
 * order as one hypothetical batch against the store; nothing is written. Prints one line per
 * shipment (or `--json`: the API's answer). Exit 0: none would be notified; 3: at least one would
 * (exceeds, joins an exceeded day, or is reported ineligible); 2: the file, a row or an option was
 * refused (every problem listed); 1: the run failed.
 */
import type { Command } from 'commander';
import { PrecheckFileError, readPrecheckFile } from '../../adapters/fs/precheck-file.js';
import { type PrecheckAnswer, type PrecheckShipment, PrecheckShipmentSchema } from '../../core/model/api.js';
import { ApiRequestError } from '../../ports/api.js';
import { EXIT_OK, EXIT_WOULD_NOTIFY, RefusedArgumentError } from '../exit-codes.js';
import { addStoreApiOptions, openStoreApi, type StoreApiOptions } from './api-options.js';

const dollars = (cents: number): string => (cents / 100).toFixed(2);

/** One line per shipment: what it finds, what it leaves, and the notifications it would cause. */
export function precheckLine(a: PrecheckAnswer): string {
  const verdict = !a.counted
    ? 'NOT COUNTED'
    : a.wouldExceed
      ? 'EXCEEDS'
      : a.alreadyExceeded
        ? 'EXCEEDED DAY'
        : 'ok';
  const codes = a.notifications.map(
    (n) => `${n.bill}:${n.channel}:${n.code}${n.withhold ? ':withheld' : ''}`,
  );
  return [
    String(a.index + 1).padStart(4),
    a.day,
    a.bill.padEnd(22),
    dollars(a.valueCents).padStart(10),
    `${dollars(a.currentTotalCents).padStart(10)} -> ${dollars(a.totalAfterCents).padStart(10)} USD`,
    `(${a.profile}, over ${dollars(a.thresholdCents)})`,
    verdict.padEnd(12),
    a.consigneeKey,
  ]
    .join('  ')
    .concat(
      codes.length > 0 ? `\n        would notify: ${codes.join(' ')}` : '',
      a.notes.length > 0 ? `\n        note: ${a.notes.join('; ')}` : '',
    );
}

export function registerPrecheck(program: Command): void {
  addStoreApiOptions(
    program
      .command('precheck')
      .description(
        'would these shipments exceed? a CSV or JSON of shipments checked against a SQLite store, nothing written (exit 3: some would be notified)',
      )
      .argument(
        '<file>',
        'shipments: .csv (consignee, address, value, currency, day, bill, mode, …) or .json',
      ),
  )
    .option('--json', 'print the answers as JSON')
    .action(async (file: string, opts: StoreApiOptions & { json?: boolean }) => {
      let rows: Awaited<ReturnType<typeof readPrecheckFile>>;
      try {
        rows = await readPrecheckFile(file);
      } catch (err) {
        if (err instanceof PrecheckFileError) throw new RefusedArgumentError(err.message);
        throw err;
      }
      const shipments: PrecheckShipment[] = [];
      const problems: string[] = [];
      rows.shipments.forEach((raw, i) => {
        const parsed = PrecheckShipmentSchema.safeParse(raw);
        const where = rows.lines?.[i] !== undefined ? `line ${rows.lines[i]}` : `shipment ${i + 1}`;
        if (parsed.success) shipments.push(parsed.data);
        else
          for (const issue of parsed.error.issues)
            problems.push(`${file} ${where}: ${issue.path.join('.') || '(row)'}: ${issue.message}`);
      });
      if (shipments.length === 0 && problems.length === 0) problems.push(`${file}: no shipments`);
      if (problems.length > 0) throw new RefusedArgumentError(`refused:\n  ${problems.join('\n  ')}`);

      const { api, store } = await openStoreApi(opts);
      let answers: PrecheckAnswer[];
      try {
        answers = await api.precheck(shipments);
      } catch (err) {
        if (err instanceof ApiRequestError)
          throw new RefusedArgumentError(
            `${file}: ${err.path.replace(/^shipments\.(\d+)/, (_, n) => `shipment ${Number(n) + 1}`)}: ${err.message}`,
          );
        throw err;
      } finally {
        await store.close();
      }
      if (opts.json === true)
        process.stdout.write(`${JSON.stringify({ answers, discarded: true }, null, 2)}\n`);
      else for (const a of answers) process.stdout.write(`${precheckLine(a)}\n`);
      process.exitCode = answers.some((a) => a.notifications.length > 0) ? EXIT_WOULD_NOTIFY : EXIT_OK;
    });
}
