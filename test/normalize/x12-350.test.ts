import { describe, expect, it } from 'vitest';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { only, runX12 } from './support.js';

const HEAD = 'M10*ACME*J*US*1234*TRUCK 7*TRIP42~P4*3004*20250915~';

describe('X12 350 status', () => {
  it('19 (actual conveyance arrival): X4-05/06 is the actual arrival (Eastern, as sent)', () => {
    const out = runX12(
      '350',
      `${HEAD}K1*TRIP REMARK~X4*ACME1234567*3*01*XYZ12345678*20250916*0745*19**ACMB~K1*RELEASED~K1*ARRIVED*GATE 4~`,
    );
    const ev = only(out.events);
    expect(ShipmentEventSchema.safeParse(ev).success).toBe(true);
    expect(ev).toMatchObject({
      kind: 'status',
      bill: { issuer: 'ACMB', scn: 'ACME1234567', key: 'ACMB/ACME1234567' },
      mode: 'truck',
      shipmentType: 'other',
      express: false,
      carrierScac: 'ACME',
      port: '3004',
      conveyanceRef: 'TRIP42',
      pieces: 3,
      entryNumber: 'XYZ12345678',
      disposition: '19',
      arrivalDate: '2025-09-16',
      arrivalTime: '07:45',
      description: 'RELEASED / ARRIVED GATE 4',
      unmapped: [],
      origins: [],
      hts: [],
    });
    expect(ev.eda).toBeUndefined();
    expect(ev.consignee).toBeUndefined();
  });

  it('other dispositions are status history without an arrival; issuer defaults to M10-01', () => {
    const out = runX12(
      '350',
      `${HEAD}X4*B1****20250916*0745*95~X4*B2****20250916*0745*4M~X4*B3****20250916**ZZ~X4*B4****20250916*0745*1C~`,
    );
    // 1C is "entered and released, general examination" (CAMIR Appendix D): a release, not the arrival.
    expect(out.events.map((e) => [e.bill.key, e.disposition, e.arrivalDate])).toEqual([
      ['ACME/B1', '95', undefined],
      ['ACME/B2', '4M', undefined],
      ['ACME/B3', 'ZZ', undefined],
      ['ACME/B4', '1C', undefined],
    ]);
  });

  it('19 without a valid date rejects that bill only', () => {
    const out = runX12(
      '350',
      `${HEAD}X4*B1****20251301*0745*19~X4*B2****20250916*0745*19~X4*B3****20250916*9999*19~`,
    );
    expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
    expect(out.rejected.map((r) => [r.bill, r.issues[0]?.code, r.issues[0]?.element])).toEqual([
      ['ACME/B1', 'NORMALIZE_BAD_DATE', 5],
      ['ACME/B3', 'NORMALIZE_BAD_DATE', 6],
    ]);
  });

  it('a 19 without time gives the date only', () => {
    const ev = only(runX12('350', `${HEAD}X4*B1****20250916**19~`).events);
    expect(ev.arrivalDate).toBe('2025-09-16');
    expect(ev.arrivalTime).toBeUndefined();
  });

  it('missing bill, unknown mode', () => {
    expect(only(runX12('350', `${HEAD}X4*****20250916*0745*1C~`).rejected).issues[0]?.code).toBe(
      'NORMALIZE_MISSING_BILL',
    );
    expect(only(runX12('350', `M10*ACME*Q~X4*B1~`).rejected).issues[0]?.code).toBe('NORMALIZE_UNKNOWN_MODE');
  });

  it('air: the X4 bill follows the air waybill convention', () => {
    expect(only(runX12('350', `M10*020*A~X4*020-12345675~`).events).bill.key).toBe('020/12345675');
  });

  it('segments inside an X4 loop other than K1 are named unmapped', () => {
    expect(only(runX12('350', `${HEAD}X4*B1~N9*BM*B1~N7*CONT*123~`).events).unmapped).toEqual([
      'N9*BM',
      'N7',
    ]);
  });

  it('warns about GS01 other than AU and about no X4', () => {
    expect(runX12('350', HEAD, { msg: { functionalId: 'AR' } }).issues.map((i) => i.code)).toEqual([
      'NORMALIZE_FUNCTIONAL_ID_MISMATCH',
      'NORMALIZE_NO_SHIPMENTS',
    ]);
  });
});
