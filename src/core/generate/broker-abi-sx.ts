/**
 * Broker (ET86 filer) warning as an ABI cargo release response, laid out as real ones: a batch
 * marked SX in its B and Y records holding, per entry, the echoed SE10 entry record and an SE90
 * condition line (message type 13 accepted with warning, condition 284, the text). There are no
 * SX10 / SX90 records. Columns: schemas/profiles/outbound-abi-layouts.json.
 */
import { generateAbi } from './abi.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateBrokerAbiSx(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  return generateAbi(
    batch,
    partner,
    partner.abi.sxApplication,
    ({ text, entry, code, partner: p }) => [
      {
        id: 'SE10',
        values: {
          actionCode: p.abi.seActionCode,
          entryFilerCode: entry.filerCode,
          entryNumber: entry.number,
          entryType: p.abi.entryType,
        },
      },
      {
        id: 'SE90',
        values: { messageType: p.abi.seMessageType, conditionCode: code, narrative: text },
      },
    ],
    'sxText',
  );
}
