/**
 * A hint an event may carry for the bill record built from it: what a store computed beforehand
 * from the event alone for its own encoding of that record (the SQLite store's bill row, written
 * once per shipment). The replay's ingest thread computes it beside parsing
 * (app/event-transfer.ts), so the aggregating thread — the replay's bottleneck — does not.
 *
 * Opaque to the core, like PRECOMPUTED_VERSION_HASH (version-hash.ts), and under a symbol key for
 * the same reason: JSON cannot carry one, so an event read from a message, a file or a request never
 * brings one. The core hands it on to the record it builds from the event (`carryBillPart`); a
 * store that knows the hint uses it only for the record of that very event (the hint names the
 * event, and a status or deletion copies the record under another event id) and encodes the record
 * itself otherwise, with the same result (test/replay/precomputed-bill-part.test.ts).
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { BillRecord } from './state.js';

export const PRECOMPUTED_BILL_PART: unique symbol = Symbol('s321.precomputedBillPart');

/** An event or a bill record that may carry a precomputed bill part. */
export interface MaybeCarryingBillPart {
  [PRECOMPUTED_BILL_PART]?: unknown;
}

/** The hint of `ev`, if it carries one, handed on to the record built from it. */
export function carryBillPart(ev: ShipmentEvent, bill: BillRecord): void {
  const part = (ev as ShipmentEvent & MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART];
  if (part !== undefined) (bill as BillRecord & MaybeCarryingBillPart)[PRECOMPUTED_BILL_PART] = part;
}
