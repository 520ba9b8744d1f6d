/** The normalizer contract: reader segments in, shipment events (and per-shipment rejections) out. */
import type { Issue } from '../model/issue.js';
import type { MessageResult } from '../model/reader.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import type { RateTable } from '../money/rate-table.js';
import type { InboundProfile } from '../profiles/inbound-profile.js';

export interface NormalizeContext {
  /** File name used in issues and in event sources (never opened). */
  file: string;
  /** The profile table with its partner overrides; the normalizer picks the sender's entry. */
  profile: InboundProfile;
  rates: RateTable;
}

/** One bad shipment, rejected alone; the other shipments of the message still come out. */
export interface ShipmentRejection {
  /** Bill key `${issuer}/${scn}` when it could be built, else the bill as sent, when there was one. */
  bill?: string;
  /** 0-based file-level index of the segment that starts the shipment (LX, CNI, X4, RFF). */
  segmentIndex: number;
  /** Every problem of the shipment (errors first, then warnings). */
  issues: Issue[];
}

export interface NormalizeOutput {
  events: ShipmentEvent[];
  rejected: ShipmentRejection[];
  /** Message-level issues and warnings of accepted shipments. */
  issues: Issue[];
}

/**
 * Incremental: feed every segment between ST/UNH and SE/UNT, then finish. Shipments are mapped as
 * each shipment loop closes; no segment is kept. `drain` hands over what is ready so far (a caller
 * streaming a 100k-shipment manifest need not hold every event); `finish` returns the rest.
 * When the message result is not ok the caller discards the events.
 */
export interface MessageNormalizer<S> {
  segment(seg: S): void;
  drain(): NormalizeOutput;
  finish(result: MessageResult): NormalizeOutput;
}

export function emptyOutput(): NormalizeOutput {
  return { events: [], rejected: [], issues: [] };
}
