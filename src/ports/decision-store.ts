/**
 * Port: where aggregation state lives. The SQLite store (embedded) and the Redis store (queue mode)
 * implement it; both run the same pure core (src/core/aggregate) and commit its ChangeSet atomically,
 * together with the interchange de-duplication record, so a batch is either wholly applied or not at all.
 */
import type { AggregationConfig } from '../core/aggregate/aggregator.js';
import type { AuditRecord, PersonDayRecord } from '../core/aggregate/state.js';
import type { Decision } from '../core/model/decision.js';
import type { ShipmentEvent } from '../core/model/shipment-event.js';

export interface InterchangeEvents {
  /** Sender id (ISA06 / UNB 0004), trimmed. */
  sender: string;
  controlNumber: string;
  /** Fingerprint of the interchange content (see core/pipeline/fingerprint.ts). */
  fingerprint: string;
  file: string;
  events: ShipmentEvent[];
}

export interface BatchOutcome {
  decisions: Decision[];
  audit: AuditRecord[];
  /** Interchanges skipped because the same sender, control number and content was already applied. */
  duplicates: Array<{ sender: string; controlNumber: string; file: string; firstFile: string }>;
  eventsApplied: number;
}

export interface PersonDayReport extends PersonDayRecord {
  /** Counted bills, in acceptance order. */
  billKeys: string[];
}

export interface DecisionStore {
  applyBatch(interchanges: InterchangeEvents[], config: AggregationConfig): Promise<BatchOutcome>;
  /**
   * Decisions not yet put into an outbound file, in seq order: from `fromSeq` on (default all), at
   * most `limit` (default no limit).
   */
  pendingDecisions(fromSeq?: number, limit?: number): Promise<Decision[]>;
  /** Reserves `count` consecutive control numbers for a partner and kind (interchange/group/message). */
  reserveControlNumbers(partner: string, kind: string, count: number, max: number): Promise<number>;
  /**
   * Records generated outbound files and marks their decisions emitted, atomically. Files are written
   * to disk after this commits (`markWritten`); `unwrittenOutbound` lists what a crash left unwritten.
   */
  recordOutbound(files: OutboundRecord[]): Promise<void>;
  unwrittenOutbound(): Promise<OutboundRecord[]>;
  markWritten(names: string[]): Promise<void>;
  /** Person-day totals for reports (all days, or one). */
  personDays(day?: string): Promise<PersonDayReport[]>;
  close(): Promise<void>;
}

export interface OutboundRecord {
  /** The file's name (one path component); unique in the store. */
  name: string;
  recipient: string;
  /** A decision channel, or 'ack' for an acknowledgment (written to the acknowledgment folder). */
  channel: string;
  content: string;
  /** The JSON twin written beside the file as `<name>.json`; '' for none (acknowledgments). */
  twin: string;
  /** The decisions the file sends (none for an acknowledgment). */
  decisionIds: string[];
  /** How the content is written: 'utf8' (default) or 'latin1' (EDIFACT UNOC acknowledgments). */
  charset?: 'utf8' | 'latin1';
}
