/**
 * Memory probe for test/streaming: writes a generated X12 file of N MB (back-to-back interchanges of
 * the bench traffic generator), ingests it through the real streaming path and prints JSON with the
 * largest heap seen (sampled after a forced GC at every interchange when run with --expose-gc).
 * Usage: node --expose-gc dist/scripts/memory-probe.js <MB>
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRates } from '../bench/stages/stages.js';
import { generateTraffic } from '../bench/traffic/index.js';
import { ingestFile } from '../src/app/ingest-file.js';
import { defaultNormalizers } from '../src/app/normalizers.js';
import { hasRejections } from '../src/core/pipeline/outcome.js';

const targetMB = Number(process.argv[2] ?? '200');
const dir = await mkdtemp(join(tmpdir(), 's321-memprobe-'));
const path = join(dir, 'big.x12');
const out = createWriteStream(path);
let bytes = 0;
let expectedShipments = 0;
// ~190 bytes per shipment in 309 form: ask for enough shipments, stop writing at the target size.
const traffic = generateTraffic({ seed: 7, shipments: Math.ceil((targetMB * 1e6) / 120), x12Share: 1, duplicateRate: 0 });
// The generator's ground truth grows as each file is produced; keep its count as of the last file
// actually written, independently of what the pipeline will find.
const countOf = (): number => {
  const e = traffic.truth.eventsByStandard.x12;
  return e.declared + e.amended + e.deleted + e.status;
};
for (const file of traffic) {
  if (bytes >= targetMB * 1e6) break;
  if (!out.write(file.content)) await new Promise<void>((r) => out.once('drain', () => r()));
  bytes += file.content.length;
  expectedShipments = countOf();
}
await new Promise<void>((r) => out.end(() => r()));

const gc = (globalThis as { gc?: () => void }).gc;
let maxHeap = 0;
let shipments = 0;
let interchanges = 0;
const started = performance.now();
const { outcome } = await ingestFile(path, 'big.x12', { strict: false, maxBytes: 4e9, normalizers: defaultNormalizers({ rates: benchRates() }) }, (ic) => {
  shipments += ic.events.length;
  interchanges += 1;
  if (interchanges % 16 === 0) gc?.();
  maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
});
const ms = performance.now() - started;
let rejected = 0;
for (const ic of outcome.interchanges) for (const m of ic.messages) rejected += m.rejected.length + (m.ok ? 0 : 1);
await rm(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    bytes,
    interchanges: outcome.interchanges.length,
    shipments,
    expectedShipments,
    rejected,
    withRejections: hasRejections(outcome),
    maxHeapMB: Math.round(maxHeap / 1e6),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    seconds: Math.round(ms) / 1000,
    shipmentsPerSecond: Math.round((shipments / ms) * 1000),
    MBps: Math.round(bytes / 1e3 / ms),
  })}\n`,
);
