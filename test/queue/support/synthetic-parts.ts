/**
 * A deterministic stream of aggregate parts built from shipment events (no EDI): inputs of 1-3
 * parts, declarations, amendments, deletions, status before and after declarations, redelivered
 * interchanges, and rejected inputs (empty parts with a reason). For tests of the aggregate stage
 * alone; the end-to-end tests use generated EDI traffic.
 */
import type { PartJobData } from '../../../src/app/queue/job-data.js';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';
import type { InterchangeEvents } from '../../../src/ports/decision-store.js';
import { ev } from '../../aggregate/event-builder.js';

export interface SyntheticOptions {
  inputs: number;
  seed: number;
  /** Most events in one part (default 6). */
  maxEvents?: number;
  bills?: number;
  consignees?: number;
  /** Every n-th input is rejected (an empty part with a reason); default 13. */
  rejectEvery?: number;
  /** Every n-th input repeats an earlier interchange byte for byte; default 20. */
  repeatEvery?: number;
}

export function syntheticParts(o: SyntheticOptions): PartJobData[] {
  let state = o.seed >>> 0 || 1;
  const rnd = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const maxEvents = o.maxEvents ?? 6;
  const bills = o.bills ?? 60;
  const consignees = o.consignees ?? 4;
  const rejectEvery = o.rejectEvery ?? 13;
  const repeatEvery = o.repeatEvery ?? 20;
  const out: PartJobData[] = [];
  const sent: InterchangeEvents[] = [];
  let icn = 0;
  for (let seq = 1; seq <= o.inputs; seq++) {
    const rejected = seq % rejectEvery === 0;
    const count = rejected ? 1 : 1 + rnd(3);
    for (let part = 0; part < count; part++) {
      const interchanges: InterchangeEvents[] = [];
      if (!rejected) {
        const events: ShipmentEvent[] = [];
        const n = 1 + rnd(maxEvents);
        for (let i = 0; i < n; i++) {
          const bill = `B${rnd(bills)}`;
          const kind = rnd(10);
          if (kind === 0) events.push(ev({ bill, kind: 'deleted' }));
          else if (kind === 1)
            events.push(ev({ bill, kind: 'status', arrival: rnd(2) === 0 ? '2025-08-20' : '2025-08-21' }));
          else {
            events.push(
              ev({
                bill,
                kind: kind === 2 ? 'amended' : 'declared',
                consignee: `C${rnd(consignees)}`,
                cents: 100 * rnd(400),
                day: rnd(2) === 0 ? '2025-06-10' : '2025-08-20',
                mode: rnd(4) === 0 ? 'air' : 'truck',
              }),
            );
          }
        }
        icn += 1;
        const ic: InterchangeEvents = {
          sender: 'S',
          controlNumber: String(icn),
          fingerprint: `fp${icn}`,
          file: `in${seq}`,
          events,
        };
        interchanges.push(ic);
        sent.push(ic);
        const earlier = sent[rnd(sent.length)];
        if (part === 0 && seq % repeatEvery === 0 && earlier !== undefined)
          interchanges.push({ ...earlier, file: `in${seq}` });
      }
      out.push({
        seq,
        part,
        last: part === count - 1,
        name: `in${seq}`,
        interchanges,
        ...(rejected ? { reason: 'input rejected: 1 error(s)' } : {}),
      });
    }
  }
  return out;
}
