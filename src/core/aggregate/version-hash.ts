/**
 * A declaration's version hash (rules.md §2: a repeated version changes nothing): the
 * counting-relevant content of the event, kept as a 128-bit hash (32 hex characters instead of
 * ~100: the bill row is written once per shipment).
 *
 * An event may carry its version hash already computed, under the PRECOMPUTED_VERSION_HASH symbol:
 * the replay's ingest thread computes it beside parsing (app/event-transfer.ts), so the aggregating
 * thread — the replay's bottleneck — does not. The carried value is only a hint, equal to
 * `versionHashOf` of the same event (test/replay/precomputed-hints.test.ts); an event without it (queue
 * mode, the API, tests) is hashed here. A symbol key, because JSON cannot carry one: an event read
 * from a message, a file or a request can never bring a version hash of its own choosing.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';
import { murmur3x86_128 } from '../normalize/hash128.js';

export const PRECOMPUTED_VERSION_HASH: unique symbol = Symbol('s321.precomputedVersionHash');

/** A ShipmentEvent as the core may receive it: possibly with its version hash computed beforehand. */
export interface MaybePrecomputed {
  readonly [PRECOMPUTED_VERSION_HASH]?: string | undefined;
}

/** The reference computation (what a carried hint must equal). */
export function versionHashOf(ev: ShipmentEvent): string {
  return murmur3x86_128(
    [
      ev.consigneeKey ?? '',
      ev.eda ?? '',
      ev.value?.usdCents ?? 0,
      ev.mode,
      ev.shipmentType,
      ev.express ? 'X' : '',
      ev.origins.join(','),
      ev.hts.join(','),
      ev.brokerId ?? '',
      ev.entryNumber ?? '',
      ev.carrierScac,
    ].join('|'),
  );
}

/** The event's version hash: the one it carries, else computed. */
export function eventVersionHash(ev: ShipmentEvent): string {
  return (ev as ShipmentEvent & MaybePrecomputed)[PRECOMPUTED_VERSION_HASH] ?? versionHashOf(ev);
}

/** Whether the core asks this event for its version hash (declarations and amendments). */
export function hasVersion(kind: ShipmentEvent['kind']): boolean {
  return kind !== 'status' && kind !== 'deleted';
}
