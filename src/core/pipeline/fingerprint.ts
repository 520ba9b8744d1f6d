/**
 * Content fingerprint of an interchange, from the shipment events it produced (bill, kind, consignee,
 * day, value, status) — not from positions, so the same interchange redelivered inside another file
 * is still recognised. A 2 × 32-bit FNV-1a: not cryptographic, and it need not be: the key also holds
 * the sender and control number, so a collision needs two interchanges with the same both.
 */
import type { ShipmentEvent } from '../model/shipment-event.js';

export class FingerprintBuilder {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;

  add(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    // Field separator, so ('ab','c') and ('a','bc') differ.
    this.h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
  }

  addEvent(e: ShipmentEvent): void {
    this.add(
      `${e.source.messageRef}|${e.kind}|${e.bill.key}|${e.consigneeKey ?? ''}|${e.eda ?? ''}|${e.value?.usdCents ?? ''}|${e.value?.amount ?? ''}${e.value?.currency ?? ''}|${e.mode}|${e.shipmentType}|${e.arrivalDate ?? ''}${e.arrivalTime ?? ''}|${e.disposition ?? ''}|${e.origins.join(',')}|${e.hts.join(',')}`,
    );
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}
