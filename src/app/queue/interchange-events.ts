/**
 * What of an ingested interchange goes to aggregation: the same rule as the embedded pipeline
 * (src/app/replay.ts): a sound interchange with events, keyed by trimmed sender, control number and
 * content fingerprint, named by the input's file name.
 */
import type { InterchangeOutcome } from '../../core/pipeline/outcome.js';
import type { InterchangeEvents } from '../../ports/decision-store.js';

export function interchangeEventsOf(ic: InterchangeOutcome, fileName: string): InterchangeEvents | undefined {
  if (!ic.ok || ic.events.length === 0) return undefined;
  return {
    sender: ic.header.senderId.trim(),
    controlNumber: ic.header.controlNumber,
    fingerprint: ic.fingerprint,
    file: fileName,
    events: ic.events,
  };
}
