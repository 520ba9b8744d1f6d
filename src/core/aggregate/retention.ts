/**
 * The retention rule (issue #15, docs/retention.md): a store keeps person-days, bills and decisions
 * for a window of days after their day and prunes the rest; what it still holds starts at its
 * watermark. An event that would be decided on state the store no longer holds is rejected with a
 * typed error, never counted as new:
 *  - PIPELINE_DAY_PRUNED: the event names a day (EDA or arrival) before the watermark — that day's
 *    totals are gone, so a shipment counted into it would start a person-day from zero;
 *  - PIPELINE_BILL_PRUNED: an amendment, deletion or status for a bill not on record that the store
 *    knows it pruned — applied, it would become a new bill (a status stub, a shipment counted as if
 *    first declared).
 * Pure: the batch use case (app/apply-batch.ts) runs it between the duplicate screen and the
 * decision loop, over what the store's session says it pruned, for every store alike.
 */
import type { Issue } from '../model/issue.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { StateView } from './state.js';

/** What a store says about what it pruned. */
export interface RetentionView {
  /** Earliest day still held (YYYY-MM-DD); undefined while nothing was ever pruned. */
  readonly watermark: string | undefined;
  /**
   * Whether the bill's records were pruned. Asked only for an amendment, deletion or status whose
   * bill is not on record; a store that keeps no pruned-bill knowledge answers false (the
   * watermark alone then decides).
   */
  wasPruned(billKey: string): boolean;
}

/** Nothing pruned: every event passes. */
export const NOTHING_PRUNED: RetentionView = { watermark: undefined, wasPruned: () => false };

export interface RetentionScreen {
  /** The events to apply, in their order. */
  kept: readonly ShipmentEvent[];
  /** One error issue per rejected event, naming its file, control numbers and segment. */
  rejected: Issue[];
}

/**
 * Splits a batch's events into those the store can still decide and those naming pruned state.
 * `view` answers whether a bill is on record (bills a batch names are loaded before this runs).
 */
export function screenRetention(
  events: readonly ShipmentEvent[],
  retention: RetentionView,
  view: Pick<StateView, 'bill'>,
): RetentionScreen {
  const watermark = retention.watermark;
  if (watermark === undefined) return { kept: events, rejected: [] };
  const kept: ShipmentEvent[] = [];
  const rejected: Issue[] = [];
  // Bills this batch applies an event for: a status after a declaration earlier in the same batch
  // is for a bill on record by the time the core reaches it.
  const applied = new Set<string>();
  for (const ev of events) {
    const early = earliestDay(ev);
    if (early !== undefined && early < watermark) {
      rejected.push(
        issueOf(
          ev,
          'PIPELINE_DAY_PRUNED',
          `bill ${ev.bill.key}: ${ev.kind} for ${early}, before the retention watermark ${watermark} (that day's state was pruned)`,
        ),
      );
      continue;
    }
    if (
      ev.kind !== 'declared' &&
      !applied.has(ev.bill.key) &&
      view.bill(ev.bill.key) === undefined &&
      retention.wasPruned(ev.bill.key)
    ) {
      rejected.push(
        issueOf(
          ev,
          'PIPELINE_BILL_PRUNED',
          `bill ${ev.bill.key}: ${ev.kind} for a bill pruned by the retention window (watermark ${watermark})`,
        ),
      );
      continue;
    }
    applied.add(ev.bill.key);
    kept.push(ev);
  }
  return { kept: rejected.length === 0 ? events : kept, rejected };
}

/** The earliest day an event names (its EDA or its actual arrival). */
function earliestDay(ev: ShipmentEvent): string | undefined {
  if (ev.eda === undefined) return ev.arrivalDate;
  if (ev.arrivalDate === undefined) return ev.eda;
  return ev.eda < ev.arrivalDate ? ev.eda : ev.arrivalDate;
}

function issueOf(
  ev: ShipmentEvent,
  code: 'PIPELINE_DAY_PRUNED' | 'PIPELINE_BILL_PRUNED',
  message: string,
): Issue {
  const s = ev.source;
  return {
    code,
    severity: 'error',
    message,
    file: s.file,
    interchangeControl: s.interchangeControl,
    ...(s.groupControl !== '' ? { groupControl: s.groupControl } : {}),
    messageRef: s.messageRef,
    segmentIndex: s.segmentIndex,
    byteOffset: s.byteOffset,
  };
}

/** The retention window a store is opened with. */
export interface RetentionPolicy {
  /** Days kept after a person-day's day; 0 keeps everything (nothing is pruned). */
  days: number;
  /**
   * Today's calendar date (YYYY-MM-DD) from the caller's clock: the window counts back from the
   * latest day the store holds, but never from a day after today, so one shipment with a mistyped
   * future EDA cannot prune everything.
   */
  today: string;
}

/** Default window (docs/retention.md: why 120 days). */
export const DEFAULT_RETENTION_DAYS = 120;

/**
 * The watermark a prune moves to: `days` before the latest day held (capped at today), and never
 * back from where it stands. undefined: nothing to prune (window off, or an empty store).
 */
export function nextWatermark(
  policy: RetentionPolicy,
  latestDay: string | undefined,
  current: string | undefined,
): string | undefined {
  if (policy.days <= 0 || latestDay === undefined) return current;
  const reference = latestDay < policy.today ? latestDay : policy.today;
  const candidate = addDays(reference, -policy.days);
  return current !== undefined && current >= candidate ? current : candidate;
}

/** A calendar date moved by whole days (UTC arithmetic on the date alone: no time zone involved). */
export function addDays(day: string, delta: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + delta)).toISOString().slice(0, 10);
}
