/**
 * What moving an interchange's shipment events between the replay's threads costs each side, per
 * event, for the two encodings of src/app/event-transfer.ts: 'clone' (postMessage's structured
 * clone: V8's ValueSerializer on the sending thread, ValueDeserializer on the receiving one, which
 * v8.serialize/deserialize run) and 'json-bytes' (columns and a string table in a transferred
 * Uint8Array, docs/transfer-columns.md). The receiving side is the replay's busy main thread, so
 * its column is the one that counts; it decodes only (the event's fields are read later, by the
 * core: bench/core.ts measures both together).
 *
 *   node dist/bench/transfer.js DIR [--runs 5]      (DIR: input files, e.g. generated bench traffic)
 *
 * Events come from the real readers and normalizers over DIR (in this thread, before timing).
 */
import { deserialize, serialize } from 'node:v8';
import { decodeEvents, encodeEvents } from '../src/app/event-transfer.js';
import { ingestInProcess } from '../src/app/ingest-files.js';
import { listInputs } from '../src/app/list-inputs.js';
import type { ShipmentEvent } from '../src/core/model/shipment-event.js';
import { benchRates } from './stages/stages.js';

const args = process.argv.slice(2);
const dir = args[0];
if (dir === undefined) throw new Error('usage: node dist/bench/transfer.js DIR [--runs N]');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;

const interchanges: ShipmentEvent[][] = [];
const listing = await listInputs([dir]);
await ingestInProcess(
  listing.files,
  { strict: false, maxBytes: 2 ** 31, normalize: { rates: benchRates() } },
  {
    interchange: (_input, ic) => {
      if (ic.events.length > 0) interchanges.push(ic.events);
    },
    file: () => {},
  },
);
const events = interchanges.reduce((n, e) => n + e.length, 0);

/** Best of `runs` passes over every interchange, µs per event. */
function best(pass: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    pass();
    min = Math.min(min, performance.now() - t);
  }
  return Number(((min * 1000) / events).toFixed(2));
}

const cloned = interchanges.map((e) => serialize(e));
const encoded = interchanges.map((e) => encodeEvents(e));
const result = {
  interchanges: interchanges.length,
  events,
  bytesPerEvent: {
    clone: Math.round(cloned.reduce((n, b) => n + b.length, 0) / events),
    jsonBytes: Math.round(encoded.reduce((n, b) => n + b.length, 0) / events),
  },
  sendUsPerEvent: {
    clone: best(() => {
      for (const e of interchanges) serialize(e);
    }),
    jsonBytes: best(() => {
      for (const e of interchanges) encodeEvents(e);
    }),
  },
  receiveUsPerEvent: {
    clone: best(() => {
      for (const b of cloned) deserialize(b);
    }),
    jsonBytes: best(() => {
      for (const b of encoded) decodeEvents(b);
    }),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
