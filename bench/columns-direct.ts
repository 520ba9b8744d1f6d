/**
 * BENCH-ONLY PROTOTYPE (no production code reads events this way): what a main thread that read
 * the transferred columns directly, with no per-event object at all, would save over decoding a
 * `ReceivedEvent` per event (src/app/event-transfer.ts, docs/transfer-columns.md).
 *
 * Both passes decode every batch of DIR (as the replay's main thread receives them) and read, once
 * per event, the fields the decision core reads for it (kind, bill key/issuer/scn, consignee key,
 * dates, cents, pieces, mode, type, express, ids, version hash, HTS codes); they differ only in the
 * reading: 'viaEvents' through `decodeEvents` and each event's getters (the bill and value objects
 * built as the core's reads build them), 'viaColumns' straight from `decodeColumns`' typed arrays and
 * string table. The difference is the per-event object's own cost, on this thread, and its
 * allocation (scavenges with 4 MB semi-spaces).
 *
 *   node --max-semi-space-size=4 dist/bench/columns-direct.js DIR [--runs 5]
 */
import { decodeColumns, decodeEvents, EVENT_COLUMNS } from '../src/app/event-transfer.js';
import { threadCpuMs } from '../src/app/thread-cpu.js';
import { PRECOMPUTED_VERSION_HASH } from '../src/core/aggregate/version-hash.js';
import { encodedInterchanges, scavengeCounter } from './harness/main-thread-input.js';

const args = process.argv.slice(2);
const dir = args[0];
if (dir === undefined) throw new Error('usage: node dist/bench/columns-direct.js DIR [--runs N]');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;

const encoded = (await encodedInterchanges(dir)).map((ic) => ic.bytes);
const events = encoded.reduce((n, b) => n + decodeEvents(b).length, 0);

/** A sink the reads feed, so none is optimized away. */
let sink = 0;
const len = (s: string | undefined): number => (s === undefined ? 0 : s.length);

function viaEvents(): void {
  for (const bytes of encoded) {
    for (const ev of decodeEvents(bytes)) {
      const hint = (ev as { [PRECOMPUTED_VERSION_HASH]?: string })[PRECOMPUTED_VERSION_HASH];
      sink +=
        len(ev.kind) +
        len(ev.bill.key) +
        len(ev.bill.issuer) +
        len(ev.bill.scn) +
        len(ev.consigneeKey) +
        len(ev.eda) +
        len(ev.arrivalDate) +
        len(ev.arrivalTime) +
        len(ev.disposition) +
        (ev.value?.usdCents ?? 0) +
        (ev.pieces ?? 0) +
        len(ev.mode) +
        len(ev.shipmentType) +
        (ev.express ? 1 : 0) +
        len(ev.eventId) +
        len(ev.entryNumber) +
        len(ev.carrierScac) +
        len(ev.brokerId) +
        len(ev.port) +
        len(ev.conveyanceRef) +
        len(hint) +
        ev.hts.length;
    }
  }
}

const C = EVENT_COLUMNS;
function viaColumns(): void {
  for (const bytes of encoded) {
    const b = decodeColumns(bytes);
    const { n, i32, f64, u8, lists, strings } = b;
    const str = (c: number, i: number): string | undefined => {
      const r = i32[c * n + i] as number;
      return r < 0 ? undefined : strings[r];
    };
    for (let i = 0; i < n; i++) {
      const present = u8[C.u8.present * n + i] as number;
      sink +=
        len(str(C.i32.kind, i)) +
        len(str(C.i32.key, i)) +
        len(str(C.i32.issuer, i)) +
        len(str(C.i32.scn, i)) +
        len(str(C.i32.consigneeKey, i)) +
        len(str(C.i32.eda, i)) +
        len(str(C.i32.arrivalDate, i)) +
        len(str(C.i32.arrivalTime, i)) +
        len(str(C.i32.disposition, i)) +
        ((present & C.HAS_VALUE) === 0 ? 0 : (f64[C.f64.usdCents * n + i] as number)) +
        ((present & C.HAS_PIECES) === 0 ? 0 : (f64[C.f64.pieces * n + i] as number)) +
        len(str(C.i32.mode, i)) +
        len(str(C.i32.shipmentType, i)) +
        (u8[C.u8.express * n + i] as number) +
        len(str(C.i32.eventId, i)) +
        len(str(C.i32.entryNumber, i)) +
        len(str(C.i32.carrierScac, i)) +
        len(str(C.i32.brokerId, i)) +
        len(str(C.i32.port, i)) +
        len(str(C.i32.conveyanceRef, i)) +
        len(str(C.i32.versionHash, i)) +
        (lists[i32[C.i32.hts * n + i] as number] as number);
    }
  }
}

const scavenges = scavengeCounter();
const out: Record<string, { threadUsPerEvent: number; scavenges: number[] }> = {};
// Interleaved, best of `runs` each: the two passes see the same load.
for (let r = 0; r < runs; r++) {
  for (const [name, pass] of [
    ['viaEvents', viaEvents],
    ['viaColumns', viaColumns],
  ] as const) {
    const before = await scavenges.settled();
    const t = threadCpuMs() ?? 0;
    pass();
    const us = (((threadCpuMs() ?? 0) - t) * 1000) / events;
    const s = (await scavenges.settled()) - before;
    const prev = out[name] ?? { threadUsPerEvent: Number.POSITIVE_INFINITY, scavenges: [] };
    out[name] = { threadUsPerEvent: Math.min(prev.threadUsPerEvent, us), scavenges: [...prev.scavenges, s] };
  }
}
for (const v of Object.values(out)) v.threadUsPerEvent = Number(v.threadUsPerEvent.toFixed(3));
process.stdout.write(
  `${JSON.stringify({ prototype: 'bench-only', events, runs, ...out, sink: sink > 0 })}\n`,
);
