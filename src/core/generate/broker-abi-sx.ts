/**
 * Broker (ET86 filer) warning as an ABI cargo release response (SX): per entry the entry header
 * record and a condition record with the condition code (284) and its text
 * (DE MINIMIS VALUE EXCEEDED). Record ids and columns: schemas/profiles/outbound-abi-layouts.json.
 */
import { generateAbi } from './abi.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateBrokerAbiSx(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  return generateAbi(batch, partner, partner.abi.sxApplication, ({ decision, entry, code, partner: p }) => [
    {
      id: 'SX10',
      values: {
        entryFilerCode: entry.filerCode,
        entryNumber: entry.number,
        entryType: p.abi.entryType,
        port: decision.port ?? '',
      },
    },
    { id: 'SX90', values: { conditionCode: code, narrative: decision.text } },
  ]);
}
