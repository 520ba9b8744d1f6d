/**
 * The batch rules every store shares (issue #14: one engine): which interchanges of a batch are
 * duplicates, which state a batch will read, and which person-days it may push over their
 * threshold. Pure: the application's batch use case (app/apply-batch.ts) asks the store for state,
 * runs these and `applyEvents`, and hands the store a ChangeSet to commit; no store runs any of it.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { AggregationConfig } from './aggregator.js';
import { personDayKey, type StateView } from './state.js';

/** The events of one interchange, with what identifies it for de-duplication. */
export interface InterchangeEvents {
  /** Sender id (ISA06 / UNB 0004), trimmed. */
  sender: string;
  controlNumber: string;
  /** Fingerprint of the interchange content (see core/pipeline/fingerprint.ts). */
  fingerprint: string;
  file: string;
  events: ShipmentEvent[];
}

/** An interchange skipped because the same sender, control number and content was applied before. */
export interface DuplicateInterchange {
  sender: string;
  controlNumber: string;
  file: string;
  /** The file the interchange was first applied from. */
  firstFile: string;
}

/** A person-day named by its parts. */
export interface PersonDayRef {
  consigneeKey: string;
  day: string;
}

/**
 * State a batch reads (or read and did not find loaded): bills by key, person-day records and
 * person-day member lists by (consignee key, day).
 */
export class StateKeys {
  readonly bills = new Set<string>();
  readonly personDays = new Map<string, PersonDayRef>();
  readonly members = new Map<string, PersonDayRef>();

  addPersonDay(consigneeKey: string, day: string): void {
    this.personDays.set(personDayKey(consigneeKey, day), { consigneeKey, day });
  }

  addMembers(consigneeKey: string, day: string): void {
    this.members.set(personDayKey(consigneeKey, day), { consigneeKey, day });
  }

  get empty(): boolean {
    return this.bills.size === 0 && this.personDays.size === 0 && this.members.size === 0;
  }
}

/**
 * The one duplicate rule: an interchange is a duplicate when the same sender, control number and
 * content fingerprint was applied before (`firstFile` answers from the store) or earlier in this
 * batch. The same sender and control number with other content is a different interchange and is
 * applied (a partner reusing control numbers must not lose shipments).
 */
export function screenInterchanges(
  interchanges: readonly InterchangeEvents[],
  firstFile: (ic: InterchangeEvents) => string | undefined,
): { fresh: InterchangeEvents[]; duplicates: DuplicateInterchange[] } {
  const fresh: InterchangeEvents[] = [];
  const duplicates: DuplicateInterchange[] = [];
  const seen = new Map<string, string>();
  for (const ic of interchanges) {
    const id = interchangeId(ic);
    const first = seen.get(id) ?? firstFile(ic);
    if (first !== undefined) {
      duplicates.push({
        sender: ic.sender,
        controlNumber: ic.controlNumber,
        file: ic.file,
        firstFile: first,
      });
      continue;
    }
    seen.set(id, ic.file);
    fresh.push(ic);
  }
  return { fresh, duplicates };
}

export function interchangeId(
  ic: Pick<InterchangeEvents, 'sender' | 'controlNumber' | 'fingerprint'>,
): string {
  return `${ic.sender}\u0000${ic.controlNumber}\u0000${ic.fingerprint}`;
}

/** The events of the fresh interchanges, in order (no copy for the common single interchange). */
export function eventsOf(fresh: readonly InterchangeEvents[]): readonly ShipmentEvent[] {
  return fresh.length === 1 ? (fresh[0] as InterchangeEvents).events : fresh.flatMap((ic) => ic.events);
}

/** State the batch will surely read: its bills and the person-days its declarations name. */
export function stateKeysOf(interchanges: readonly InterchangeEvents[]): StateKeys {
  const need = new StateKeys();
  for (const ic of interchanges) {
    for (const ev of ic.events) {
      need.bills.add(ev.bill.key);
      if (ev.consigneeKey !== undefined) {
        if (ev.eda !== undefined) need.addPersonDay(ev.consigneeKey, ev.eda);
        if (ev.arrivalDate !== undefined) need.addPersonDay(ev.consigneeKey, ev.arrivalDate);
      }
    }
  }
  return need;
}

/**
 * The crossing prediction: person-days this batch may push over their era's threshold — stored
 * total, less what the batch's amendments may take out of it, at or below the threshold, and that
 * plus every declared or amended value the batch brings (an over-estimate) above it. Their member
 * lists are what the core reads on a crossing ("earlier" notifications), so a store that loads
 * ahead (Redis) loads them with the batch's first reads instead of running the batch a second time
 * to find them. A guess, never a decision: a crossing it misses (a day pushed back under and over
 * again within the batch) is read in a further round like any miss. `view` answers from what is
 * loaded (the batch's bills and their person-days); a person-day not loaded counts as empty.
 *
 * One that stays over its threshold — a heavy importer's day — is left out: reading its whole
 * member list and every member bill again for each batch made a batch's reads grow with the day's
 * size (queue mode at 1M shipments: 2.4k shipments/s against 11k at 100k).
 */
export function likelyCrossings(
  events: readonly ShipmentEvent[],
  view: StateView,
  config: AggregationConfig,
): StateKeys {
  const incoming = new Map<string, { ref: PersonDayRef; cents: number }>();
  const add = (consigneeKey: string, day: string | undefined, cents: number): void => {
    if (day === undefined || cents === 0) return;
    const key = personDayKey(consigneeKey, day);
    const entry = incoming.get(key);
    if (entry === undefined) incoming.set(key, { ref: { consigneeKey, day }, cents });
    else entry.cents += cents;
  };
  // What may leave a stored person-day during the batch (amended, deleted or moved bills): its total
  // can dip to the threshold and cross it again.
  const outgoing = new Map<string, number>();
  for (const ev of events) {
    const prev = view.bill(ev.bill.key);
    if (prev?.counted === true && prev.consigneeKey !== undefined && prev.day !== undefined) {
      const key = personDayKey(prev.consigneeKey, prev.day);
      outgoing.set(key, (outgoing.get(key) ?? 0) + prev.cents);
    }
    if (ev.consigneeKey !== undefined) {
      const cents = ev.value?.usdCents ?? 0;
      add(ev.consigneeKey, ev.eda, cents);
      add(ev.consigneeKey, ev.arrivalDate, cents);
    } else if (ev.arrivalDate !== undefined) {
      // A status line with an arrival may move a stored bill to that day.
      if (prev?.consigneeKey !== undefined) add(prev.consigneeKey, ev.arrivalDate, prev.cents);
    }
  }
  const need = new StateKeys();
  for (const [key, { ref, cents }] of incoming) {
    let era: { aggregation: boolean; thresholdCents: number };
    try {
      era = config.rules.eraFor(ref.day);
    } catch {
      continue; // a day without rules: the core reports it; nothing to guess
    }
    const stored = view.personDay(ref.consigneeKey, ref.day)?.totalCents ?? 0;
    const lowest = stored - (outgoing.get(key) ?? 0);
    if (era.aggregation && lowest <= era.thresholdCents && lowest + cents > era.thresholdCents)
      need.addMembers(ref.consigneeKey, ref.day);
  }
  return need;
}
