import { describe, expect, it } from 'vitest';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { only, runEdifact } from './support.js';

const HEAD = "BGM+962+R1+9'DTM+137:202509161200:203'NAD+CA+ACME::172'";

describe('CUSRES status', () => {
  it('RFF+BM, ERC, DTM+178 (203, Eastern as sent), FTX', () => {
    const ev = only(
      runEdifact(
        'CUSRES',
        `${HEAD}RFF+BM:ACMEB1234567'ERC+1C'DTM+178:202509160745:203'FTX+AAH+++ARRIVED:GATE 4'`,
      ).events,
    );
    expect(ShipmentEventSchema.safeParse(ev).success).toBe(true);
    expect(ev).toMatchObject({
      kind: 'status',
      bill: { issuer: 'ACME', scn: 'ACMEB1234567' },
      mode: 'truck',
      carrierScac: 'ACME',
      disposition: '1C',
      arrivalDate: '2025-09-16',
      arrivalTime: '07:45',
      description: 'ARRIVED GATE 4',
    });
  });

  it.each([
    ['202509160230UTC', '2025-09-15', '22:30'], // EDT is UTC-4
    ['202501160230UTC', '2025-01-15', '21:30'], // EST is UTC-5
    ['202509161200?+0200', '2025-09-16', '06:00'],
    ['202509161200-07', '2025-09-16', '15:00'],
    ['202509160100PDT', '2025-09-16', '04:00'],
    ['202503090300UTC', '2025-03-08', '22:00'], // the night DST starts
  ])('DTM 303 %s → %s %s Eastern', (value, date, time) => {
    const ev = only(runEdifact('CUSRES', `${HEAD}RFF+BM:B1'ERC+SN1C'DTM+178:${value}:303'`).events);
    expect([ev.arrivalDate, ev.arrivalTime]).toEqual([date, time]);
  });

  it('unknown zone and bad dates reject that bill only', () => {
    const out = runEdifact(
      'CUSRES',
      `${HEAD}RFF+BM:B1'DTM+178:202509161200XYZ:303'RFF+BM:B2'DTM+178:20250916:102'RFF+BM:B3'DTM+178:202509161260:203'`,
    );
    expect(out.events.map((e) => [e.bill.scn, e.arrivalDate, e.arrivalTime])).toEqual([
      ['B2', '2025-09-16', undefined],
    ]);
    expect(out.rejected.map((r) => r.issues[0]?.code)).toEqual([
      'NORMALIZE_UNKNOWN_TIME_ZONE',
      'NORMALIZE_BAD_DATE',
    ]);
  });

  it('a trip-level DTM+178 applies to bills without their own; a second ERC is named', () => {
    const out = runEdifact(
      'CUSRES',
      `${HEAD}DTM+178:202509160600:203'RFF+BM:B1'ERC+SN517'ERC+SN518'RFF+BM:B2'DTM+178:202509170600:203'`,
    );
    expect(out.events.map((e) => [e.bill.scn, e.disposition, e.arrivalDate])).toEqual([
      ['B1', 'SN517', '2025-09-16'],
      ['B2', undefined, '2025-09-17'],
    ]);
    expect(out.events[0]?.unmapped).toEqual(['ERC+SN518 (further status code)']);
  });

  it('mode from TDT, else the profile default (truck); SCAC-prefixed SCNs name their issuer', () => {
    expect(only(runEdifact('CUSRES', `BGM+962'TDT+20++1'RFF+BM:MAEU12345678'`).events)).toMatchObject({
      mode: 'ocean',
      bill: { issuer: 'MAEU' },
      carrierScac: 'MAEU',
    });
    expect(only(runEdifact('CUSRES', `BGM+962'RFF+BM:12345'`).rejected).issues[0]?.code).toBe(
      'NORMALIZE_MISSING_ISSUER',
    );
  });

  it('an empty response warns', () => {
    expect(runEdifact('CUSRES', HEAD).issues.map((i) => i.code)).toEqual(['NORMALIZE_NO_SHIPMENTS']);
  });
});
