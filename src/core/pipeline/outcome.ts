/** What reading one file produced: per interchange, the events that may go on and everything rejected. */
import type { Issue } from '../model/issue.js';
import type { InterchangeHeader, MessageHeader, MessageResult, Standard } from '../model/reader.js';
import type { ShipmentEvent } from '../model/shipment-event.js';

export interface ShipmentRejectionLike {
  bill?: string;
  segmentIndex: number;
  issues: Issue[];
}

/** The normalizer contract (src/core/normalize implements it per message type). */
export interface MessageNormalizerLike<S> {
  segment(segment: S): void;
  /** What is ready so far (shipments closed), handed over before the message ends. */
  drain?(): {
    events: ShipmentEvent[];
    rejected: ShipmentRejectionLike[];
    issues: Issue[];
  };
  finish(result: MessageResult): {
    events: ShipmentEvent[];
    rejected: ShipmentRejectionLike[];
    issues: Issue[];
  };
}

export type NormalizerFactory<H extends InterchangeHeader, S> = (
  interchange: H,
  message: MessageHeader,
) => MessageNormalizerLike<S> | undefined;

export interface MessageOutcome {
  header: MessageHeader;
  /** Envelope of the message is sound (counts, references). */
  ok: boolean;
  /** s321 processes this message type. */
  supported: boolean;
  segmentCount: number;
  issues: Issue[];
  events: number;
  rejected: ShipmentRejectionLike[];
}

export interface InterchangeOutcome {
  file: string;
  header: InterchangeHeader;
  ok: boolean;
  /** Envelope issues of the interchange itself (messages carry their own). */
  issues: Issue[];
  messages: MessageOutcome[];
  groupCount: number;
  /**
   * Events of the sound, supported messages; empty when the interchange is rejected, and when the
   * collector was given a hold that keeps them in another form (core/pipeline/event-hold.ts).
   */
  events: ShipmentEvent[];
  /** Fingerprint of the content, for duplicate detection (same sender + control number + content). */
  fingerprint: string;
  byteLength: number;
}

export interface FileOutcome {
  file: string;
  standard: Standard | null;
  interchanges: InterchangeOutcome[];
  /** Issues outside any interchange (not EDI, junk, truncation) and file-level warnings. */
  fileIssues: Issue[];
  bytes: number;
}

/** Every issue of a file, in order: file-level, then per interchange and message. */
export function allIssues(outcome: FileOutcome): Issue[] {
  const out = [...outcome.fileIssues];
  for (const ic of outcome.interchanges) {
    out.push(...ic.issues);
    for (const m of ic.messages) {
      out.push(...m.issues);
      for (const r of m.rejected) out.push(...r.issues);
    }
  }
  return out;
}

export function hasRejections(outcome: FileOutcome): boolean {
  if (outcome.fileIssues.some((i) => i.severity === 'error')) return true;
  return outcome.interchanges.some(
    (ic) => !ic.ok || ic.messages.some((m) => !m.ok || !m.supported || m.rejected.length > 0),
  );
}
