/** Channel → generator. Every Channel of decision.ts has exactly one generator. */
import type { Channel } from '../model/decision.js';
import { generateAirCamirFer } from './air-camir-fer.js';
import { generateAirCamirFsn } from './air-camir-fsn.js';
import { generateBrokerAbiSo } from './broker-abi-so.js';
import { generateBrokerAbiSx } from './broker-abi-sx.js';
import { generateCarrierX12350 } from './carrier-x12-350.js';
import type { PartnerProfile } from './profile.js';
import { generateReport } from './report.js';
import { generateTruckCusres } from './truck-cusres.js';
import { generateTruckX12350 } from './truck-x12-350.js';
import type { ChannelGenerator, GeneratedFile, OutboundBatch } from './types.js';

export const GENERATORS: Readonly<Record<Channel, ChannelGenerator>> = {
  'truck-x12-350': generateTruckX12350,
  'carrier-x12-350': generateCarrierX12350,
  'truck-cusres': generateTruckCusres,
  'air-camir-fsn': generateAirCamirFsn,
  'air-camir-fer': generateAirCamirFer,
  'broker-abi-sx': generateBrokerAbiSx,
  'broker-abi-so': generateBrokerAbiSo,
  report: generateReport,
};

export function generateOutbound(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  return GENERATORS[batch.channel](batch, partner);
}

export {
  DEFAULT_PARTNER_PROFILE,
  OUTBOUND_PROFILE_VERSION,
  type PartnerProfile,
  resolvePartnerProfile,
} from './profile.js';
export type {
  ChannelGenerator,
  ControlNumbersUsed,
  GeneratedFile,
  OutboundBatch,
  SentLine,
} from './types.js';
