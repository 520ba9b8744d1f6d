/**
 * Aggregation state, as the pure core sees it. Stores (SQLite, Redis) persist exactly these records;
 * the core reads them through a StateView and returns every change as a ChangeSet that the store
 * commits atomically, so the same decision logic runs in embedded and queue mode.
 */

import type { Channel, Decision, RulesProfile } from '../model/decision.js';
import type { Mode, ShipmentEvent, ShipmentType } from '../model/shipment-event.js';

/** The latest version of one bill (rules.md §2: issuer SCAC + SCN; its latest version wins). */
export interface BillRecord {
  key: string;
  issuer: string;
  scn: string;
  mode: Mode;
  shipmentType: ShipmentType;
  express: boolean;
  standard: 'x12' | 'edifact';
  carrierScac: string;
  brokerId?: string;
  entryNumber?: string;
  port?: string;
  pieces?: number;
  /** Air: the arrival flight (the manifest's conveyance reference when it is a flight designator). */
  flight?: string;
  /** Absent for a bill known only from a status message so far. */
  consigneeKey?: string;
  eda?: string;
  arrivalDate?: string;
  arrivalTime?: string;
  lastDisposition?: string;
  /** The counting day (EDA or actual arrival, per the era in force). */
  day?: string;
  cents: number;
  origin?: string;
  hts: string[];
  /** true while the bill contributes `cents` to (consigneeKey, day). */
  counted: boolean;
  deleted: boolean;
  /** Processing sequence at which the bill entered its current person-day (orders "earlier" bills). */
  acceptedSeq: number;
  /** Fingerprint of the counting-relevant content of the latest version (a repeat is a no-op). */
  versionHash: string;
  lastEventId: string;
  /** `${channel}|${code}` of every notification already sent for this bill (never retracted). */
  notified: string[];
  /**
   * The standing the bill was first notified in, kept for good (issue #13): an earlier bill was told
   * it may go (warning), a withheld one that it is held. Whatever later moves or amendments do, the
   * bill is only ever notified in this standing again, so it never gets a code contradicting one it
   * was sent. Absent until the bill's person-day is first exceeded with the bill counted in it.
   */
  standing?: NotifiedStanding;
  /** Profile of the era that last decided this bill. */
  profile?: RulesProfile;
}

/** The role a bill was notified in and whether that notification withheld it. */
export interface NotifiedStanding {
  role: 'crossing' | 'earlier';
  withhold: boolean;
}

export interface PersonDayRecord {
  consigneeKey: string;
  day: string;
  totalCents: number;
  /** Number of bills currently counted in this person-day. */
  bills: number;
  /** Whether the person-day has ever been exceeded (notifications are never retracted). */
  everExceeded: boolean;
  /**
   * Every counted bill accepted (acceptedSeq) before this number has been notified; only bills from
   * here on can still be waiting for an "earlier" notification when the day crosses its threshold,
   * so a crossing visits the bills that joined since the last one, not the whole day. Absent (0) in
   * records written before it existed: the whole day is visited once.
   */
  unnotifiedFrom?: number;
}

export interface AuditRecord {
  kind:
    | 'below-threshold-after-exceeded'
    | 'status-before-declaration'
    | 'no-broker-for-et86'
    | 'near-identical-consignee'
    | 'notification-role-kept';
  consigneeKey?: string;
  day?: string;
  bill?: string;
  totalCents?: number;
  causeEventId: string;
  detail: string;
  /** near-identical-consignee: the person-days of the suspect group (kept apart, never merged). */
  members?: Array<{ consigneeKey: string; totalCents: number }>;
  /** near-identical-consignee: the evidence, each near-identical pair and why. */
  pairs?: Array<{ a: string; b: string; reason: string }>;
}

/** Read access the core needs; every method is synchronous (stores preload or read synchronously). */
export interface StateView {
  bill(key: string): BillRecord | undefined;
  personDay(consigneeKey: string, day: string): PersonDayRecord | undefined;
  /**
   * Keys of the bills counted in a person-day whose acceptedSeq is at least `fromSeq` (default: all),
   * in acceptedSeq order.
   */
  billsOf(consigneeKey: string, day: string, fromSeq?: number): string[];
  /** Next decision sequence number (monotonic across the store's life). */
  nextDecisionSeq(): number;
  /** Next processing sequence number for accepted bills. */
  nextAcceptSeq(): number;
}

export interface ChangeSet {
  bills: Map<string, BillRecord>;
  personDays: Map<string, PersonDayRecord>;
  decisions: Decision[];
  audit: AuditRecord[];
  nextDecisionSeq: number;
  nextAcceptSeq: number;
  /**
   * For each person-day a bill joined in this batch, by its record in `personDays`: the event that
   * first counted a bill in it. A store that keeps the consignee as sent (SQLite's party rows) takes
   * it from there for a person-day the batch created, whatever became of that bill later in the batch.
   */
  openers: Map<PersonDayRecord, PersonDayOpener>;
}

/** The event that first counted a bill in a person-day during a batch. */
export interface PersonDayOpener {
  event: ShipmentEvent;
  /**
   * The person-day the bill left on that event, if it was counted before: a status line that moves
   * a bill to its arrival day sends no consignee, and the person-day it left has the same consignee.
   */
  left?: { consigneeKey: string; day: string };
}

export function personDayKey(consigneeKey: string, day: string): string {
  return `${day}\u0000${consigneeKey}`;
}

export function notificationKey(channel: Channel, code: string): string {
  return `${channel}|${code}`;
}
