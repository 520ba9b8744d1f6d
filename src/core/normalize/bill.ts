/**
 * Bill identity (rules.md §2): issuer SCAC + bill / SCN, and for air the airline prefix + 8-digit
 * master serial + house bill.
 *
 * Air convention (docs/conformance.md; what air AMS / CAMIR carriers send):
 * - the master air waybill is 11 digits: 3-digit airline prefix + 8-digit serial, written with or
 *   without a '-' or space after the prefix ('020-12345675');
 * - it comes from the master-bill place (X12 M11-11, RFF+AWB/MB) when sent, and the bill place
 *   (M11-01, RFF+BM) then holds the house bill; otherwise the bill place holds the master and
 *   there is no house bill;
 * - an 8-digit serial alone is accepted when the issuer place (M11-12, X4-09) holds the 3-digit prefix;
 * - issuer = airline prefix; scn = serial, or serial + '/' + house bill;
 * - the serial's last digit is the mod-7 check digit of the first seven: a mismatch is a warning.
 */
import type { Bill } from '../model/shipment-event.js';
import { ownString } from './own-string.js';

export type BillResult =
  | { ok: true; bill: Bill; checkDigitOk: boolean }
  | { ok: false; problem: 'missing-bill' | 'missing-issuer' | 'bad-air-waybill'; detail: string };

export function makeBill(issuer: string, scn: string): Bill {
  // ownString: events outlive the reader's text (own-string.ts).
  const ownScn = ownString(scn);
  return { issuer: ownString(issuer), scn: ownScn, key: `${issuer}/${ownScn}` };
}

/** Issuer rules for surface modes: the explicit issuer, else the fallback (carrier SCAC). */
export function surfaceBill(billRaw: string, issuerRaw: string, fallbackIssuer: string): BillResult {
  const scn = billRaw.trim();
  if (scn === '') return { ok: false, problem: 'missing-bill', detail: 'no bill / shipment control number' };
  const issuer = issuerRaw.trim() !== '' ? issuerRaw.trim() : fallbackIssuer.trim();
  if (issuer === '' || issuer.includes('/')) {
    return { ok: false, problem: 'missing-issuer', detail: `no usable issuer SCAC for bill '${scn}'` };
  }
  return { ok: true, bill: makeBill(issuer, scn), checkDigitOk: true };
}

/**
 * EDIFACT rule (docs/conformance.md; CBP's CUSCAR sample keys LOCKKH041122106): issuer = carrier SCAC unless the bill is SCAC + bill, recognised as
 * longer than `minLength - 1` characters starting with `scacLength` letters; the SCN stays as sent
 * (ACE's SCN includes the SCAC prefix, so the same shipment keys alike in X12 and EDIFACT).
 */
export function prefixedBill(
  billRaw: string,
  carrierScac: string,
  rule: { minLength: number; scacLength: number },
): BillResult {
  const scn = billRaw.trim();
  const prefix = scn.slice(0, rule.scacLength);
  const hasPrefix = scn.length >= rule.minLength && new RegExp(`^[A-Z]{${rule.scacLength}}$`).test(prefix);
  return surfaceBill(scn, hasPrefix ? prefix : '', carrierScac);
}

export function awbCheckDigitOk(serial: string): boolean {
  return Number(serial.slice(0, 7)) % 7 === Number(serial.slice(7));
}

/** The air convention above. `prefixHint` is the issuer place (used only for an 8-digit serial). */
export function airBill(masterRaw: string, houseRaw: string, prefixHint: string): BillResult {
  const master = masterRaw.trim().replace(/[\s-]/g, '');
  if (master === '') return { ok: false, problem: 'missing-bill', detail: 'no master air waybill' };
  let prefix: string;
  let serial: string;
  if (/^\d{11}$/.test(master)) {
    prefix = master.slice(0, 3);
    serial = master.slice(3);
  } else if (/^\d{8}$/.test(master) && /^\d{3}$/.test(prefixHint.trim())) {
    prefix = prefixHint.trim();
    serial = master;
  } else {
    return {
      ok: false,
      problem: 'bad-air-waybill',
      detail: `'${masterRaw.trim()}' is not an air waybill (3-digit airline prefix + 8-digit serial, or 8 digits with a 3-digit prefix in the issuer element)`,
    };
  }
  const house = houseRaw.trim();
  return {
    ok: true,
    bill: makeBill(prefix, house === '' ? serial : `${serial}/${house}`),
    checkDigitOk: awbCheckDigitOk(serial),
  };
}
