/** One shipment event as one readable line (`s321 parse` without --json). */
import type { ShipmentEvent } from '../core/model/shipment-event.js';

const usd = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

export function formatEvent(e: ShipmentEvent): string {
  const parts = [e.kind.padEnd(8), e.bill.key, `${e.mode} ${e.shipmentType}${e.express ? ' express' : ''}`];
  if (e.port !== undefined) parts.push(`port ${e.port}`);
  if (e.eda !== undefined) parts.push(`eda ${e.eda}${e.edaTime !== undefined ? ` ${e.edaTime}` : ''}`);
  if (e.arrivalDate !== undefined)
    parts.push(`arrived ${e.arrivalDate}${e.arrivalTime !== undefined ? ` ${e.arrivalTime}` : ''}`);
  if (e.disposition !== undefined) parts.push(`disposition ${e.disposition}`);
  if (e.value !== undefined)
    parts.push(
      e.value.currency === 'USD'
        ? `USD ${usd(e.value.usdCents)}`
        : `USD ${usd(e.value.usdCents)} (${e.value.currency} ${e.value.amount})`,
    );
  if (e.consignee !== undefined)
    parts.push(
      [e.consignee.name, e.consignee.city, e.consignee.state, e.consignee.country]
        .filter((p) => p !== undefined && p !== '')
        .join(', '),
    );
  const s = e.source;
  parts.push(`[${s.file} ICN ${s.interchangeControl} segment ${s.segmentIndex}]`);
  return parts.join('  ');
}
