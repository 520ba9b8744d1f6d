/**
 * Which notifications a bill gets when its person-day is exceeded (rules.md §4, §5): a pure table
 * from (mode, shipment type, express, role, withheld) to (channel, code, recipient). Codes and texts are
 * matched by value; hold codes come from configuration.
 */
import type { Channel } from '../model/decision.js';
import type { BillRecord } from './state.js';

export type NotifyRole = 'crossing' | 'earlier';

export interface HoldCodes {
  /** X4-07 on the truck 350 under release3 (configuration; CBP has not published one code for all). */
  truckX12: string;
  /** ERC code on the truck CUSRES under release3. */
  truckEdifact: string;
  /** Air / ocean / rail disposition under release3. */
  carrier: string;
  /** Disposition on an extra broker SO under release3 (the SX 284 condition is sent as well). */
  abi: string;
}

export const DEFAULT_HOLD_CODES: HoldCodes = { truckX12: '4M', truckEdifact: '4M', carrier: '4M', abi: '4M' };

export const NOTIFICATION_TEXT: Readonly<Record<string, string>> = {
  '95': 'SECTION 321 VALUE MAY EXCEED CONSIGNEE DAILY MAX',
  SN517: 'SECTION 321 VALUE MAY EXCEED CONSIGNEE DAILY MAX',
  '2M': 'DE MINIMIS VALUE MAY EXCEED CONSIGNEE DAILY MAX',
  '4M': 'WITHHOLD ENTRY RELEASE - DE MINIMIS MET',
  '098': 'VALUE MAY EXCEED CONSIGNEE DAILY MAX ET86',
  '284': 'DE MINIMIS VALUE EXCEEDED',
  '30': 'DE MINIMIS VALUE MET',
};

export interface PlannedNotification {
  channel: Channel;
  code: string;
  text: string;
  recipient: string;
  withhold: boolean;
}

function textOf(code: string, withhold: boolean): string {
  return (
    NOTIFICATION_TEXT[code] ??
    (withhold ? 'WITHHOLD ENTRY RELEASE - DE MINIMIS MET' : 'DE MINIMIS VALUE EXCEEDED')
  );
}

/** Broker (filer) of an ET86 bill: the N1*CB / NAD id, else the filer code of the entry number. */
export function brokerOf(bill: BillRecord): string | undefined {
  if (bill.brokerId !== undefined && bill.brokerId !== '') return bill.brokerId;
  if (bill.entryNumber !== undefined && bill.entryNumber.length >= 3) return bill.entryNumber.slice(0, 3);
  return undefined;
}

/**
 * `withhold`: whether a crossing bill is withheld (release 3). It is the bill's kept standing, not
 * the era of its current day, so a bill moved to a day of another era is never sent a code that
 * contradicts one it already had (issue #13). An earlier bill is never withheld.
 */
export function planNotifications(
  bill: BillRecord,
  role: NotifyRole,
  withheld: boolean,
  hold: HoldCodes,
): PlannedNotification[] {
  const withhold = withheld && role === 'crossing';
  const out: PlannedNotification[] = [];
  const carrier = (channel: Channel, code: string): void => {
    out.push({ channel, code, text: textOf(code, withhold), recipient: bill.carrierScac, withhold });
  };
  switch (bill.mode) {
    case 'truck':
      if (bill.standard === 'edifact') carrier('truck-cusres', withhold ? hold.truckEdifact : 'SN517');
      else carrier('truck-x12-350', withhold ? hold.truckX12 : '95');
      break;
    case 'air':
      // Express carriers get the 098 warning for the crossing (and every later) shipment; every
      // carrier gets a 2M (4M when withheld) status per bill.
      if (bill.express && role === 'crossing' && bill.shipmentType === 'S321')
        carrier('air-camir-fer', '098');
      carrier('air-camir-fsn', withhold ? hold.carrier : '2M');
      break;
    case 'ocean':
    case 'rail':
      carrier('carrier-x12-350', withhold ? hold.carrier : '2M');
      break;
    case 'mail':
      break;
  }
  if (bill.shipmentType === 'ET86' && bill.mode !== 'mail') {
    const broker = brokerOf(bill);
    if (broker !== undefined) {
      if (role === 'crossing') {
        out.push({
          channel: 'broker-abi-sx',
          code: '284',
          text: textOf('284', withhold),
          recipient: broker,
          withhold,
        });
        if (withhold) {
          out.push({
            channel: 'broker-abi-so',
            code: hold.abi,
            text: textOf('4M', true),
            recipient: broker,
            withhold,
          });
        }
      } else {
        out.push({
          channel: 'broker-abi-so',
          code: '30',
          text: textOf('30', false),
          recipient: broker,
          withhold: false,
        });
      }
    }
  }
  return out;
}
