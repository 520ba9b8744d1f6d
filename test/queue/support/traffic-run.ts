/**
 * Runs generated EDI traffic (bench/traffic) through both modes:
 *  - embedded: ingestFile → AggregateBatcher → SqliteDecisionStore, files in order (as replay does);
 *  - queue: the producer enqueues each file (arrival sequence), ingest workers turn them into parts,
 *    aggregate workers apply them on the Redis store.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTraffic, type TrafficOptions } from '../../../bench/traffic/index.js';
import { createProducer } from '../../../src/adapters/queue/producer.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import { ingestFile } from '../../../src/app/ingest-file.js';
import { splitParts } from '../../../src/app/queue/split-parts.js';
import type { AggregationConfig } from '../../../src/core/aggregate/aggregator.js';
import type { InterchangeEvents } from '../../../src/ports/decision-store.js';
import { serviceNormalizers } from './normalizers.js';
import { type Comparable, comparable } from './queue-fixture.js';

export interface TrafficFiles {
  dir: string;
  files: Array<{ name: string; path: string; bytes: Uint8Array }>;
  shipments: number;
}

export function writeTrafficFiles(options: TrafficOptions): TrafficFiles {
  const dir = mkdtempSync(join(tmpdir(), 's321-traffic-'));
  const files: TrafficFiles['files'] = [];
  for (const f of generateTraffic(options)) {
    const path = join(dir, f.fileName);
    writeFileSync(path, f.content);
    files.push({ name: f.fileName, path, bytes: f.content });
  }
  return { dir, files, shipments: options.shipments };
}

export const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The embedded pipeline's aggregation over the files, in order: ingestFile → SqliteDecisionStore, with
 * the interchange rule of src/app/replay.ts. Batches follow the queue's part boundaries (each input's
 * interchanges split by splitParts): the decision core's result currently depends on batch boundaries
 * in one case (the order of "earlier" notifications when a bill is amended and its day crossed in one
 * batch, see docs/queue-mode.md), so the modes are compared batch for batch.
 */
export async function embeddedRun(
  traffic: TrafficFiles,
  config: AggregationConfig,
  maxPartEvents: number,
  /** Runs on the embedded store once every file is applied, before it is closed (e.g. its emitter). */
  afterRun?: (store: SqliteDecisionStore) => Promise<void>,
): Promise<Comparable & { events: number; duplicates: number }> {
  const store = new SqliteDecisionStore(join(mkdtempSync(join(tmpdir(), 's321-embedded-')), 'state.db'));
  const normalizers = serviceNormalizers();
  let events = 0;
  let duplicates = 0;
  for (const input of traffic.files) {
    const interchanges: InterchangeEvents[] = [];
    await ingestFile(input.path, input.name, { strict: false, maxBytes: MAX_BYTES, normalizers }, (ic) => {
      if (ic.ok && ic.events.length > 0) {
        interchanges.push({
          sender: ic.header.senderId.trim(),
          controlNumber: ic.header.controlNumber,
          fingerprint: ic.fingerprint,
          file: input.name,
          events: ic.events,
        });
      }
    });
    for (const part of splitParts(interchanges, maxPartEvents)) {
      const out = await applyBatch(store, part, config);
      events += out.eventsApplied;
      duplicates += out.duplicates.length;
    }
  }
  const out = { ...comparable(store.allDecisions(), await store.personDays()), events, duplicates };
  await afterRun?.(store);
  await store.close();
  return out;
}

/** Enqueues every file in order with the real producer; returns the last arrival sequence. */
export async function enqueueAll(
  traffic: TrafficFiles,
  url: string,
  queueName: string,
  prefix: string,
): Promise<number> {
  const producer = await createProducer({ connection: url, queueName, prefix, maxBytes: MAX_BYTES });
  let last = 0;
  try {
    for (const f of traffic.files) {
      const result = await producer.enqueueInterchange({
        partnerId: 'TESTPARTNER',
        fileName: f.name,
        bytes: f.bytes,
      });
      last = Math.max(last, result.sequence);
    }
  } finally {
    await producer.close();
  }
  return last;
}
