/**
 * Writes deterministic inbound traffic to a directory:
 *   node dist/bench/generate.js --out DIR --shipments N [--seed S] [--x12-share F] [--start-day YYYY-MM-DD]
 *     [--days N] [--truth FILE]
 * Prints a one-line summary; the ground truth (counts of what the files contain) goes to --truth.
 */
import { writeFileSync } from 'node:fs';
import { parseSize } from './harness/options.js';
import { type TrafficOptions, writeTraffic } from './traffic/index.js';

const USAGE =
  'usage: node dist/bench/generate.js --out DIR --shipments N [--seed S] [--x12-share F] [--start-day YYYY-MM-DD] [--days N] [--truth FILE]';

function main(): void {
  const args = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = get('--out');
  const shipments = get('--shipments');
  if (out === undefined || shipments === undefined || args.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const options: TrafficOptions = { seed: Number(get('--seed') ?? 321), shipments: parseSize(shipments) };
  const x12Share = get('--x12-share');
  if (x12Share !== undefined) options.x12Share = Number(x12Share);
  const startDay = get('--start-day');
  if (startDay !== undefined) options.startDay = startDay;
  const days = get('--days');
  if (days !== undefined) options.days = Number(days);
  const result = writeTraffic(out, options);
  const truthPath = get('--truth');
  if (truthPath !== undefined) writeFileSync(truthPath, `${JSON.stringify(result.truth, null, 2)}\n`);
  const mb = result.bytes / 1e6;
  process.stdout.write(
    `${result.files.length} files, ${mb.toFixed(1)} MB, ${result.truth.shipments} shipments, ` +
      `${result.truth.events.status} status lines in ${(result.ms / 1000).toFixed(2)} s (${(mb / (result.ms / 1000)).toFixed(0)} MB/s)\n`,
  );
}

main();
