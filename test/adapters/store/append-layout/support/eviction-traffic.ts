/**
 * The eviction tests' traffic: seeded, moving through DAYS (the batch's "today" advances), with late
 * records: a declaration dated one to three days back, amendments of any earlier bill (to its own
 * day, to today, to another old day, to another consignee), deletions, status of old bills and of
 * bills not declared yet.
 */
import type { ShipmentEvent } from '../../../../../src/core/model/shipment-event.js';
import { ev } from '../../../../aggregate/event-builder.js';

export const DAYS = [
  '2025-06-10',
  '2025-06-11',
  '2025-06-12',
  '2025-06-13',
  '2025-06-14',
  '2025-06-15',
  '2025-06-16',
  '2025-06-17',
];

export function traffic(count: number, seed: number): ShipmentEvent[][] {
  let s = seed;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const declared: Array<{ bill: string; day: number }> = [];
  const batches: ShipmentEvent[][] = [];
  let batch: ShipmentEvent[] = [];
  let size = 1 + rand(60);
  for (let i = 0; i < count; i++) {
    const today = Math.min(DAYS.length - 1, Math.floor((i * DAYS.length) / count));
    const consignee = `NA:BUYER ${rand(30)}|${rand(2)} MAIN ST|BOSTON|MA|02110|US`;
    const late = rand(10) === 0 ? Math.max(0, today - 1 - rand(3)) : today;
    const cents = 1_000 + rand(40_000);
    const roll = rand(100);
    const old = declared.length > 0 ? declared[rand(declared.length)] : undefined;
    if (roll < 10 && old !== undefined) {
      const to = [old.day, today, rand(today + 1)][rand(3)] as number;
      batch.push(ev({ bill: old.bill, kind: 'amended', consignee, day: DAYS[to] as string, cents }));
      old.day = to;
    } else if (roll < 13 && old !== undefined) batch.push(ev({ bill: old.bill, kind: 'deleted' }));
    else if (roll < 18) {
      const bill = rand(2) === 0 && old !== undefined ? old.bill : `S${i}`;
      batch.push(ev({ bill, kind: 'status', arrival: DAYS[late] as string }));
    } else {
      const bill = `B${i}`;
      declared.push({ bill, day: late });
      batch.push(ev({ bill, consignee, day: DAYS[late] as string, cents }));
    }
    if (batch.length === size) {
      batches.push(batch);
      batch = [];
      size = 1 + rand(60);
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
