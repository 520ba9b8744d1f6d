/**
 * Writes the acknowledgment of every inbound interchange (X12 999/997 and TA1 on envelope errors,
 * EDIFACT CONTRL). Acknowledgments are syntax acknowledgments: a shipment rejected for its content
 * (unknown currency, missing consignee) does not reject the transaction set; it is reported in the
 * quarantine reason and the summary instead.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAck, type AckInput } from '../core/ack/index.js';
import { DEFAULT_PARTNER_PROFILE, type PartnerProfile } from '../core/generate/index.js';
import type { FileOutcome } from '../core/pipeline/outcome.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionStore } from '../ports/decision-store.js';
import { safeOutputName } from '../adapters/fs/safe-name.js';

/** Control numbers of acknowledgments are reserved per inbound sender, as for any outbound partner. */
export async function writeAcknowledgments(
  outcome: FileOutcome,
  dir: string,
  clock: Clock,
  store: DecisionStore,
  partner: PartnerProfile = DEFAULT_PARTNER_PROFILE,
): Promise<number> {
  let written = 0;
  for (const ic of outcome.interchanges) {
    const input: AckInput = {
      interchange: ic.header,
      messages: ic.messages.map((m) => ({
        header: m.header,
        result: { ok: m.ok && m.supported, issues: m.issues, segmentCount: m.segmentCount },
      })),
      result: { ok: ic.ok, issues: ic.issues, groupCount: ic.groupCount, messageCount: ic.messages.length, byteLength: ic.byteLength },
    };
    const sender = `ack-${ic.header.senderId.trim() || 'unknown'}`;
    const max = ic.header.standard === 'x12' ? 999_999_999 : 99_999_999_999_999;
    const control = {
      interchange: await store.reserveControlNumbers(sender, 'interchange', 1, max),
      group: await store.reserveControlNumbers(sender, 'group', 1, 999_999_999),
      firstMessage: await store.reserveControlNumbers(sender, 'message', 1, 999_999_999),
    };
    const ack = buildAck({
      input,
      partner: {
        ...partner,
        id: ic.header.senderId.trim() || partner.id,
        receiverQualifier: ic.header.senderQualifier || partner.receiverQualifier,
        receiverId: ic.header.senderId.trim() || partner.receiverId,
      },
      control,
      created: clock.now(),
    });
    if (!ack.ok || ack.content === '') continue;
    const name = `${safeOutputName(outcome.file)}.${safeOutputName(ic.header.controlNumber)}.${ack.fileName}`;
    // Synchronous on purpose: this runs on the aggregation thread between batches, and an awaited
    // libuv write waited ~10 ms per file behind SQLite's write-back (1M replay: 15.2 s of acks with
    // `await writeFile`, 1.6 s with writeFileSync; each ack is a few hundred bytes).
    writeFileSync(join(dir, name), ack.content, { encoding: ack.charset === 'latin1' ? 'latin1' : 'utf8' });
    written += 1;
  }
  return written;
}
