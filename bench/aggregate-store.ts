/**
 * The replay's aggregation on its main thread, alone: the events of DIR as that thread receives
 * them (encoded by src/app/event-transfer.ts beforehand, decoded in the timed loop), applied by
 * the replay's AggregateBatcher to a fresh SQLite store (the append layout, the replay's pragmas
 * and batch/commit sizes). No ingest thread beside it, no outbound, no acknowledgments: what
 * decoding, the core and the store's reads and commits cost per event, with less noise than a
 * whole replay on a shared machine.
 *
 *   node --max-semi-space-size=4 dist/bench/aggregate-store.js DIR [--runs 3] [--db-dir /tmp]
 *
 * Prints each run's thread CPU µs per event (and the best), process CPU (with V8's GC helpers),
 * the scavenges of each run (with a fixed semi-space, a load-independent count of what was
 * allocated), the decisions and a digest of them: two builds compared must give the same digest.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDecisionStore } from '../src/adapters/store/sqlite/sqlite-store.js';
import { AggregateBatcher } from '../src/app/aggregate-batcher.js';
import { decodeEvents } from '../src/app/event-transfer.js';
import { DEFAULT_BATCH_EVENTS, DEFAULT_COMMIT_EVENTS } from '../src/app/replay.js';
import { threadCpuMs } from '../src/app/thread-cpu.js';
import { aggregationConfig } from '../src/core/rules/defaults.js';
import { encodedInterchanges, scavengeCounter } from './harness/main-thread-input.js';

const args = process.argv.slice(2);
const dir = args[0];
if (dir === undefined)
  throw new Error('usage: node dist/bench/aggregate-store.js DIR [--runs N] [--db-dir D]');
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] as string) : fallback;
};
const runs = Number(option('--runs', '3'));
const dbDir = option('--db-dir', '/tmp');

const encoded = await encodedInterchanges(dir);
const scavenges = scavengeCounter();

const config = aggregationConfig();
const results: Array<{ threadUs: number; processUs: number; scavenges: number }> = [];
let summary = { events: 0, decisions: 0, digest: '' };
for (let r = 0; r < runs; r++) {
  const scratch = mkdtempSync(join(dbDir, 's321-aggregate-store-'));
  const store = new SqliteDecisionStore(join(scratch, 's.db'), {
    retention: { days: 0, today: '2025-06-10' },
  });
  let events = 0;
  const batcher = new AggregateBatcher(store, config, DEFAULT_BATCH_EVENTS, () => {}, DEFAULT_COMMIT_EVENTS);
  const scavengesBefore = await scavenges.settled();
  const threadStart = threadCpuMs() ?? 0;
  const start = process.cpuUsage();
  for (const ic of encoded) {
    const evs = decodeEvents(ic.bytes);
    events += evs.length;
    await batcher.add({
      sender: ic.sender,
      controlNumber: ic.controlNumber,
      fingerprint: ic.fingerprint,
      file: ic.file,
      events: evs,
    });
  }
  await batcher.flush();
  const used = process.cpuUsage(start);
  const threadMs = (threadCpuMs() ?? 0) - threadStart;
  const runScavenges = (await scavenges.settled()) - scavengesBefore;
  // The stored JSON texts, a page at a time (all decisions parsed at once outgrow the replay's heap budget).
  const hash = createHash('sha256');
  let decisions = 0;
  for (let after = -1; ; ) {
    const page = store.decisionLinesAfter(after, 5000);
    if (page.length === 0) break;
    for (const line of page) hash.update(`${line.json}\n`);
    decisions += page.length;
    after = (page[page.length - 1] as { seq: number }).seq;
  }
  summary = { events, decisions, digest: hash.digest('hex').slice(0, 16) };
  results.push({
    threadUs: Number(((threadMs * 1000) / events).toFixed(2)),
    processUs: Number(((used.user + used.system) / events).toFixed(2)),
    scavenges: runScavenges,
  });
  await store.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(
  `${JSON.stringify({
    ...summary,
    runs: results,
    bestThreadUsPerEvent: Math.min(...results.map((x) => x.threadUs)),
  })}\n`,
);
