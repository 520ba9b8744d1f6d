/**
 * Splits an input's interchanges into parts of at most `maxEvents` events (whole interchanges; an
 * interchange larger than the limit is a part of its own). Parts bound a job's payload and the time
 * one synchronous run of the decision core takes, far below the job lock. There is always at least
 * one part, possibly empty: every arrival sequence must be applied, even one that carries nothing.
 */
import type { InterchangeEvents } from '../../ports/decision-store.js';

export function splitParts(
  interchanges: readonly InterchangeEvents[],
  maxEvents: number,
): InterchangeEvents[][] {
  if (!Number.isInteger(maxEvents) || maxEvents < 1)
    throw new Error(`maxEvents must be a positive integer, got ${maxEvents}`);
  const parts: InterchangeEvents[][] = [];
  let current: InterchangeEvents[] = [];
  let events = 0;
  for (const ic of interchanges) {
    if (current.length > 0 && events + ic.events.length > maxEvents) {
      parts.push(current);
      current = [];
      events = 0;
    }
    current.push(ic);
    events += ic.events.length;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts;
}
