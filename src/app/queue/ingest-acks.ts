/**
 * Queue mode's acknowledgments: the ingest worker builds the acknowledgment of every interchange
 * of an input with the embedded mode's code (src/app/acks.ts: same generator, control numbers
 * reserved per sender under the same partner keys, `ack-<sender>`) and records them in the store as
 * outbound files without decisions (channel 'ack'). The emit worker, which owns the output
 * folders, writes them like any recorded file (src/app/emit-outbound.ts), into the acknowledgment
 * folder.
 *
 * Idempotent per input: an acknowledgment's name is derived from the input's arrival sequence and
 * the acknowledged interchange, never from the acknowledgment's own control numbers, so a
 * redelivered ingest job finds its acknowledgments recorded and adds none (and reserves no control
 * numbers); two runs of the same job at once are decided by the store, which refuses a name that is
 * already recorded.
 */

import { safeOutputName } from '../../adapters/fs/safe-name.js';
import type { FileOutcome } from '../../core/pipeline/outcome.js';
import type { Clock } from '../../ports/clock.js';
import {
  type DecisionStore,
  OutboundConflictError,
  type OutboundRecord,
} from '../../ports/decision-store.js';
import { ACK_CHANNEL, type AckRecord, buildAcknowledgments, plannedAcknowledgments } from '../acks.js';
import type { PartnerLookup } from '../partner-lookup.js';

/** What recording acknowledgments needs of the store (RedisDecisionStore has it all). */
export interface AckStore extends Pick<DecisionStore, 'reserveControlNumbers' | 'recordOutbound'> {
  /** Whether each of these outbound file names is recorded already, in the same order. */
  outboundRecorded(names: string[]): Promise<boolean[]>;
}

export interface RecordedAcks {
  /** Acknowledgments recorded by this call. */
  recorded: number;
  /** Acknowledgments of this input that were recorded before (a redelivered job). */
  already: number;
}

/** Input names longer than this are shortened in acknowledgment names (the whole name stays < 255). */
const MAX_INPUT_PART = 100;

/**
 * `<seq, 9 digits>.<input name>.<interchange control>.<ack-999_<partner>.x12>`; an interchange
 * control number that comes again in the same input gets `-2`, `-3`, … so each has its own file.
 */
export function queueAckName(
  seq: number,
  inputName: string,
  interchange: string,
  occurrence: number,
  baseName: string,
): string {
  let input = safeOutputName(inputName);
  if (input.length > MAX_INPUT_PART) input = `${input.slice(0, 60)}_${input.length}_${input.slice(-30)}`;
  const ic = `${safeOutputName(interchange)}${occurrence > 1 ? `-${occurrence}` : ''}`;
  return `${String(seq).padStart(9, '0')}.${input}.${ic}.${baseName}`;
}

/**
 * Builds and records the acknowledgments of input `seq` not recorded yet. Control numbers are
 * reserved only for those (and, as in embedded mode, for interchanges that need no acknowledgment).
 */
export async function recordAcknowledgments(
  store: AckStore,
  input: { seq: number; name: string },
  outcome: FileOutcome,
  clock: Clock,
  /** Each sender's partner profile, as `s321 replay --partners` (src/app/acks.ts ackPartnerProfile). */
  partners?: PartnerLookup,
): Promise<RecordedAcks> {
  const occurrences = occurrencesOf(outcome);
  const nameOf = (index: number, interchange: string, baseName: string): string =>
    queueAckName(input.seq, input.name, interchange, occurrences[index] ?? 1, baseName);

  const planned = plannedAcknowledgments(outcome, clock, partners);
  const plannedNames = new Map(planned.map((p) => [p.index, nameOf(p.index, p.interchange, p.baseName)]));
  const known = plannedNames.size > 0 ? await store.outboundRecorded([...plannedNames.values()]) : [];
  const recordedBefore = new Set([...plannedNames.keys()].filter((_, i) => known[i] === true));
  // Everything there is to acknowledge is recorded: a redelivered job reserves nothing.
  if (plannedNames.size > 0 && recordedBefore.size === plannedNames.size)
    return { recorded: 0, already: recordedBefore.size };

  const acks = await buildAcknowledgments(outcome, clock, store, {
    ...(partners !== undefined ? { partners } : {}),
    only: (index) => !recordedBefore.has(index),
  });
  const files = acks.map((ack) => outboundOf(ack, nameOf(ack.index, ack.interchange, ack.baseName)));
  if (files.length === 0) return { recorded: 0, already: recordedBefore.size };
  try {
    await store.recordOutbound(files);
    return { recorded: files.length, already: recordedBefore.size };
  } catch (err) {
    if (!(err instanceof OutboundConflictError)) throw err;
  }
  // Some name was recorded since we looked (the same job run twice at once after a stall): one at a
  // time, a name that is taken is done.
  const result = { recorded: 0, already: recordedBefore.size };
  for (const file of files) {
    try {
      await store.recordOutbound([file]);
      result.recorded += 1;
    } catch (err) {
      if (!(err instanceof OutboundConflictError)) throw err;
      result.already += 1;
    }
  }
  return result;
}

function outboundOf(ack: AckRecord, name: string): OutboundRecord {
  return {
    name,
    recipient: ack.recipient,
    channel: ACK_CHANNEL,
    content: ack.content,
    twin: '',
    decisionIds: [],
    charset: ack.charset,
  };
}

/** For each interchange, how many times its control number has come so far in the input (1, 2, …). */
function occurrencesOf(outcome: FileOutcome): number[] {
  const seen = new Map<string, number>();
  return outcome.interchanges.map((ic) => {
    const n = (seen.get(ic.header.controlNumber) ?? 0) + 1;
    seen.set(ic.header.controlNumber, n);
    return n;
  });
}
