/**
 * The acknowledgment of every inbound interchange (X12 999/997 and TA1 on envelope errors, EDIFACT
 * CONTRL). Acknowledgments are syntax acknowledgments: a shipment rejected for its content (unknown
 * currency, missing consignee) does not reject the transaction set; it is reported in the
 * quarantine reason and the summary instead.
 *
 * Building them (control numbers reserved in a store, core/ack's generator) is separate from where
 * they go: the embedded replay writes them to its acks folder at once (`writeAcknowledgments`);
 * queue mode records them in the Redis store for the emit worker to write (queue/ingest-acks.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeOutputName } from '../adapters/fs/safe-name.js';
import {
  type AckInput,
  type AckRequest,
  ackBaseName,
  buildAck,
  type GeneratedAck,
} from '../core/ack/index.js';
import type { PartnerProfile } from '../core/generate/index.js';
import type { InterchangeHeader } from '../core/model/reader.js';
import type { FileOutcome, InterchangeOutcome } from '../core/pipeline/outcome.js';
import type { Clock, LocalStamp } from '../ports/clock.js';
import type { DecisionStore } from '../ports/decision-store.js';
import { ACK_CHANNEL, defaultPartners, type PartnerLookup } from './partner-lookup.js';

/** The channel of acknowledgments recorded in a store as outbound files. */
export { ACK_CHANNEL };

/** Who an interchange's acknowledgment goes to: its sender (ISA06 / UNB 0004, trimmed). */
export function ackRecipient(header: InterchangeHeader): string {
  return header.senderId.trim() || 'unknown';
}

/**
 * The partner profile an interchange is acknowledged under, in both modes (replay and the queue's
 * ingest worker call only this): the sender's own profile, looked up under the 'ack' channel. Its
 * `x12.ack` decides the X12 acknowledgment — a 997 (ISA 00401, GS08 004010) for a 4010 partner whose
 * profile asks for one (`"x12": { "ack": { "kind": "997" } }`), the 999 of the shipped defaults
 * otherwise — and whether a TA1 goes with it; EDIFACT interchanges get a CONTRL whatever the kind.
 */
export function ackPartnerProfile(
  header: InterchangeHeader,
  partners: PartnerLookup = defaultPartners,
): PartnerProfile {
  return partners(ackRecipient(header), ACK_CHANNEL);
}

/** How an acknowledgment's content is written to its file. */
export type AckCharset = 'latin1' | 'utf8';

/** One acknowledgment file's content, before it goes anywhere. */
export interface AckRecord {
  /** Position of the acknowledged interchange in its input (0-based). */
  index: number;
  /** Control number of the acknowledged interchange (ISA13 / UNB 0020), as received. */
  interchange: string;
  kind: GeneratedAck['kind'];
  /** The generator's name, with the acknowledgment's own control number: ack-999_<partner>_<n>.x12. */
  fileName: string;
  /** The same without that control number (ack-999_<partner>.x12): the same on every run. */
  baseName: string;
  content: string;
  charset: AckCharset;
  /** Who it goes to: the sender of the acknowledged interchange. */
  recipient: string;
}

/** Where acknowledgment control numbers come from (a decision store: persisted, per partner). */
export type ControlNumberSource = Pick<DecisionStore, 'reserveControlNumbers'>;

export interface BuildAckOptions {
  /** Each sender's partner profile (default: the shipped defaults for every sender). */
  partners?: PartnerLookup;
  /**
   * Which interchanges (by position in the input) to acknowledge; default all. The others get no
   * control numbers reserved (queue mode leaves out those whose acknowledgment is recorded already).
   */
  only?: (index: number) => boolean;
}

/**
 * The acknowledgments of an input's interchanges, in input order; an interchange with nothing to
 * acknowledge (no groups, no envelope errors) gets none but still uses its control numbers, as it
 * always has. Control numbers are reserved per inbound sender (`ack-<sender>`), as for any
 * outbound partner.
 */
export async function buildAcknowledgments(
  outcome: FileOutcome,
  clock: Clock,
  control: ControlNumberSource,
  options: BuildAckOptions = {},
): Promise<AckRecord[]> {
  const records: AckRecord[] = [];
  for (const [index, ic] of outcome.interchanges.entries()) {
    if (options.only !== undefined && !options.only(index)) continue;
    const partner = ackPartnerProfile(ic.header, options.partners);
    const sender = `ack-${ackRecipient(ic.header)}`;
    const max = ic.header.standard === 'x12' ? 999_999_999 : 99_999_999_999_999;
    const numbers = {
      interchange: await control.reserveControlNumbers(sender, 'interchange', 1, max),
      group: await control.reserveControlNumbers(sender, 'group', 1, 999_999_999),
      firstMessage: await control.reserveControlNumbers(sender, 'message', 1, 999_999_999),
    };
    const ack = buildAck(ackRequest(ic, partner, numbers, clock.now()));
    if (!ack.ok || ack.content === '') continue;
    records.push(ackRecord(index, ic, ack));
  }
  return records;
}

/** What `buildAcknowledgments` will produce for one interchange, known without reserving anything. */
export interface PlannedAck {
  index: number;
  interchange: string;
  baseName: string;
}

/**
 * The acknowledgments an input will get (their kind and base name do not depend on the control
 * numbers): a run can tell which are recorded already before it reserves numbers for them.
 */
export function plannedAcknowledgments(
  outcome: FileOutcome,
  clock: Clock,
  partners: PartnerLookup = defaultPartners,
): PlannedAck[] {
  const created = clock.now();
  const planned: PlannedAck[] = [];
  for (const [index, ic] of outcome.interchanges.entries()) {
    const partner = ackPartnerProfile(ic.header, partners);
    const ack = buildAck(ackRequest(ic, partner, { interchange: 1, group: 1, firstMessage: 1 }, created));
    if (!ack.ok || ack.content === '') continue;
    planned.push({ index, interchange: ic.header.controlNumber, baseName: baseNameOf(ic, ack) });
  }
  return planned;
}

/** The embedded mode's name: `<input>.<interchange control>.<ack-999_<partner>_<n>.x12>`. */
export function embeddedAckName(inputName: string, ack: AckRecord): string {
  return `${safeOutputName(inputName)}.${safeOutputName(ack.interchange)}.${ack.fileName}`;
}

/** Writes acknowledgments of input `inputName` into `dir` under their embedded names; returns how many. */
export function writeAckFiles(inputName: string, acks: readonly AckRecord[], dir: string): number {
  // Synchronous on purpose: this runs on the aggregation thread between batches, and an awaited
  // libuv write waited ~10 ms per file behind SQLite's write-back (1M replay: 15.2 s of acks with
  // `await writeFile`, 1.6 s with writeFileSync; each ack is a few hundred bytes).
  for (const ack of acks)
    writeFileSync(join(dir, embeddedAckName(inputName, ack)), ack.content, { encoding: ack.charset });
  return acks.length;
}

/** The embedded mode: builds the acknowledgments of one input and writes them to `dir` at once. */
export async function writeAcknowledgments(
  outcome: FileOutcome,
  dir: string,
  clock: Clock,
  store: DecisionStore,
  partners: PartnerLookup = defaultPartners,
): Promise<number> {
  return writeAckFiles(outcome.file, await buildAcknowledgments(outcome, clock, store, { partners }), dir);
}

function ackRequest(
  ic: InterchangeOutcome,
  partner: PartnerProfile,
  control: AckRequest['control'],
  created: LocalStamp,
): AckRequest {
  const input: AckInput = {
    interchange: ic.header,
    messages: ic.messages.map((m) => ({
      header: m.header,
      result: { ok: m.ok && m.supported, issues: m.issues, segmentCount: m.segmentCount },
    })),
    result: {
      ok: ic.ok,
      issues: ic.issues,
      groupCount: ic.groupCount,
      messageCount: ic.messages.length,
      byteLength: ic.byteLength,
    },
  };
  return {
    input,
    partner: {
      ...partner,
      id: ic.header.senderId.trim() || partner.id,
      receiverQualifier: ic.header.senderQualifier || partner.receiverQualifier,
      receiverId: ic.header.senderId.trim() || partner.receiverId,
    },
    control,
    created,
  };
}

function baseNameOf(ic: InterchangeOutcome, ack: GeneratedAck): string {
  return ackBaseName(ack.kind, ic.header.senderId.trim());
}

function ackRecord(index: number, ic: InterchangeOutcome, ack: GeneratedAck): AckRecord {
  return {
    index,
    interchange: ic.header.controlNumber,
    kind: ack.kind,
    fileName: ack.fileName,
    baseName: baseNameOf(ic, ack),
    content: ack.content,
    charset: ack.charset === 'latin1' ? 'latin1' : 'utf8',
    recipient: ackRecipient(ic.header),
  };
}
