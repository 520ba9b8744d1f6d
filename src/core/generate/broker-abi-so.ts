/**
 * Broker status notification as ABI SO records (ace-sources.md): per associated entry the SO10
 * entry record, the SO40 bill record and the SO50 disposition record (date MMDDYY, time HHMM,
 * disposition 30, text). Columns: schemas/profiles/outbound-abi-layouts.json.
 */
import { generateAbi } from './abi.js';
import { hhmm, mmddyy, parseCalendarDate } from './dates.js';
import type { PartnerProfile } from './profile.js';
import type { GeneratedFile, OutboundBatch } from './types.js';

export function generateBrokerAbiSo(batch: OutboundBatch, partner: PartnerProfile): GeneratedFile {
  return generateAbi(
    batch,
    partner,
    partner.abi.soApplication,
    ({ decision: d, text, entry, code, port, created, partner: p }) => {
      // Air bills are reported as house (or master) air waybills without issuer code, as in CATAIR bill records.
      const slash = d.scn.indexOf('/');
      const air = d.mode === 'air';
      const bill = air ? (slash >= 0 ? d.scn.slice(slash + 1) : `${d.issuer}${d.scn}`) : d.scn;
      const billType = air ? (slash >= 0 ? 'H' : 'M') : 'R';
      const day = parseCalendarDate(d.day);
      const arrival = day === null ? '' : mmddyy(day);
      const carrier = /^[A-Z0-9]{2,4}$/.test(d.carrierScac) ? d.carrierScac : '';
      return [
        {
          id: 'SO10',
          values: {
            port,
            entryFilerCode: entry.filerCode,
            entryNumber: entry.number,
            entryType: p.abi.entryType,
            carrier,
            arrivalDate: arrival,
          },
        },
        {
          id: 'SO40',
          values: { billType, issuer: air ? '' : d.issuer, bill, quantity: d.pieces ?? '', unit: '' },
        },
        {
          id: 'SO50',
          values: {
            date: mmddyy(created.date),
            time: hhmm(created.time),
            dispositionCode: code,
            narrative: text,
            carrier,
            arrivalDate: arrival,
            port,
          },
        },
      ];
    },
    'soText',
  );
}
