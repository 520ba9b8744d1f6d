/**
 * Which outbound partner profile a recipient gets: the type both modes pass around (replay's
 * `--partners FILE`, queue mode's `outbound.partnersPath` / `--partners`), and the shipped defaults
 * when no partner file is given. Acknowledgments ask it under the 'ack' channel, keyed by the
 * acknowledged interchange's sender (src/app/acks.ts).
 */
import { DEFAULT_PARTNER_PROFILE, type PartnerProfile } from '../core/generate/index.js';
import type { Channel } from '../core/model/decision.js';

/** The channel name acknowledgments are looked up and recorded under (not a decision channel). */
export const ACK_CHANNEL = 'ack';

export type PartnerLookup = (recipient: string, channel: Channel | typeof ACK_CHANNEL) => PartnerProfile;

export const defaultPartners: PartnerLookup = (recipient) => ({
  ...DEFAULT_PARTNER_PROFILE,
  id: recipient,
  receiverId: recipient,
});
