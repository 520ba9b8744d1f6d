/**
 * Broker status notification as ABI SO (ACE Cargo Release status notification): per associated
 * entry the SO10 entry header, the SO40 bill record and a disposition record with code 30, date
 * MMDDYY, time HHMM and the text DE MINIMIS VALUE MET. Columns: schemas/profiles/outbound-abi-layouts.json.
 */
import { generateAbi } from './abi.js';
import { hhmm, mmddyy } from './dates.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateBrokerAbiSo(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  return generateAbi(
    batch,
    partner,
    partner.abi.soApplication,
    ({ decision: d, entry, code, created, partner: p }) => {
      // Air bills are reported as house (or master) air waybills without issuer code, as in CATAIR bill records.
      const slash = d.scn.indexOf('/');
      const air = d.mode === 'air';
      const bill = air ? (slash >= 0 ? d.scn.slice(slash + 1) : `${d.issuer}${d.scn}`) : d.scn;
      const billType = air ? (slash >= 0 ? 'H' : 'M') : 'R';
      return [
        {
          id: 'SO10',
          values: {
            entryFilerCode: entry.filerCode,
            entryNumber: entry.number,
            entryType: p.abi.entryType,
            port: d.port ?? '',
          },
        },
        {
          id: 'SO40',
          values: { billType, issuer: air ? '' : d.issuer, bill, quantity: d.pieces ?? '', unit: '' },
        },
        {
          id: 'SO50',
          values: {
            dispositionCode: code,
            date: mmddyy(created.date),
            time: hhmm(created.time),
            narrative: d.text,
          },
        },
      ];
    },
  );
}
