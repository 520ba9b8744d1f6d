/**
 * The decision core alone: CPU per event of the core's `applyEvents` over a plain in-memory state
 * (maps, with a member list per person-day; each batch's ChangeSet merged into it), on the events
 * of DIR as the replay's main thread receives them (encoded and decoded by
 * src/app/event-transfer.ts, so the core reads the same event class). No SQLite, no duplicate
 * check, no outbound: what the core itself costs and allocates per event.
 *
 *   node --max-semi-space-size=4 dist/bench/core.js DIR [--runs 3] [--batch 10000]
 *
 * Prints the best run's µs per event (this thread's CPU, and the process's with V8's GC helper
 * threads), the scavenges of each run (a load-independent measure of what was allocated), the
 * decisions and a digest of them: two builds compared must give the same digest.
 */
import { createHash } from 'node:crypto';
import { decodeEvents } from '../src/app/event-transfer.js';
import { threadCpuMs } from '../src/app/thread-cpu.js';
import { applyEvents } from '../src/core/aggregate/aggregator.js';
import {
  type BillRecord,
  type ChangeSet,
  type PersonDayRecord,
  personDayKey,
  type StateView,
} from '../src/core/aggregate/state.js';
import type { Decision } from '../src/core/model/decision.js';
import type { ShipmentEvent } from '../src/core/model/shipment-event.js';
import { aggregationConfig } from '../src/core/rules/defaults.js';
import { encodedInterchanges, scavengeCounter } from './harness/main-thread-input.js';

const args = process.argv.slice(2);
const dir = args[0];
if (dir === undefined) throw new Error('usage: node dist/bench/core.js DIR [--runs N] [--batch EVENTS]');
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option('--runs', 3);
const batchEvents = option('--batch', 10_000);

const encoded = (await encodedInterchanges(dir)).map((ic) => ic.bytes);

/** The state a store would hold, as plain maps; `members` in acceptedSeq order (stale entries skipped on read). */
class MapState implements StateView {
  readonly bills = new Map<string, BillRecord>();
  readonly personDays = new Map<string, PersonDayRecord>();
  readonly members = new Map<string, Array<{ key: string; seq: number }>>();
  readonly decisions: Decision[] = [];
  decisionSeq = 0;
  acceptSeq = 0;

  bill(key: string): BillRecord | undefined {
    return this.bills.get(key);
  }
  personDay(consigneeKey: string, day: string): PersonDayRecord | undefined {
    return this.personDays.get(personDayKey(consigneeKey, day));
  }
  billsOf(consigneeKey: string, day: string, fromSeq = 0): string[] {
    const out: string[] = [];
    for (const m of this.members.get(personDayKey(consigneeKey, day)) ?? []) {
      const b = this.bills.get(m.key);
      if (
        m.seq >= fromSeq &&
        b?.counted &&
        b.acceptedSeq === m.seq &&
        b.consigneeKey === consigneeKey &&
        b.day === day
      )
        out.push(m.key);
    }
    return out;
  }
  nextDecisionSeq(): number {
    return this.decisionSeq;
  }
  nextAcceptSeq(): number {
    return this.acceptSeq;
  }
  commit(changes: ChangeSet): void {
    const joined: BillRecord[] = [];
    for (const b of changes.bills.values()) {
      this.bills.set(b.key, b);
      if (b.counted && b.acceptedSeq >= this.acceptSeq) joined.push(b);
    }
    joined.sort((a, b) => a.acceptedSeq - b.acceptedSeq);
    for (const b of joined) {
      const key = personDayKey(b.consigneeKey as string, b.day as string);
      const list = this.members.get(key);
      if (list === undefined) this.members.set(key, [{ key: b.key, seq: b.acceptedSeq }]);
      else list.push({ key: b.key, seq: b.acceptedSeq });
    }
    for (const [key, pd] of changes.personDays) this.personDays.set(key, pd);
    this.decisions.push(...changes.decisions);
    this.decisionSeq = changes.nextDecisionSeq;
    this.acceptSeq = changes.nextAcceptSeq;
  }
}

const scavenges = scavengeCounter();

const config = aggregationConfig();
let best = { thread: Number.POSITIVE_INFINITY, process: Number.POSITIVE_INFINITY };
let summary = { events: 0, decisions: 0, digest: '', scavenges: [] as number[] };
for (let r = 0; r < runs; r++) {
  const state = new MapState();
  let batch: ShipmentEvent[] = [];
  let events = 0;
  const scavengesBefore = await scavenges.settled();
  const threadStart = threadCpuMs() ?? 0;
  const start = process.cpuUsage();
  for (const bytes of encoded) {
    for (const e of decodeEvents(bytes)) batch.push(e);
    if (batch.length >= batchEvents) {
      events += batch.length;
      state.commit(applyEvents(batch, state, config));
      batch = [];
    }
  }
  events += batch.length;
  if (batch.length > 0) state.commit(applyEvents(batch, state, config));
  const used = process.cpuUsage(start);
  const runScavenges = (await scavenges.settled()) - scavengesBefore;
  // This thread (the core and the map state) and the process (plus V8's GC helper threads).
  best = {
    thread: Math.min(best.thread, (((threadCpuMs() ?? 0) - threadStart) * 1000) / events),
    process: Math.min(best.process, (used.user + used.system) / events),
  };
  const hash = createHash('sha256');
  for (const d of state.decisions) hash.update(`${JSON.stringify(d)}\n`);
  summary = {
    events,
    decisions: state.decisions.length,
    digest: hash.digest('hex').slice(0, 16),
    scavenges: [...summary.scavenges, runScavenges],
  };
}
process.stdout.write(
  `${JSON.stringify({
    ...summary,
    runs,
    batchEvents,
    threadUsPerEvent: Number(best.thread.toFixed(2)),
    processUsPerEvent: Number(best.process.toFixed(2)),
  })}\n`,
);
