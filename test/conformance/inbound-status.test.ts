/**
 * Conformance, inbound status messages: the actual arrival Release 3 counts on comes from an arrival
 * event — 350 disposition 19 "actual conveyance arrival" (CAMIR Appendix D / CATAIR Appendix N) or a
 * CUSRES trip ERC+SN030 "trip arrived" with its DTM+163 — never from the release disposition 1C.
 * CUSRES as ACE truck CUSRES are written (published CUSRES messages): BGM+34, trip part, then per
 * shipment DOC+929, RFF+AAM, DTM+163, ERP+2, ERC+SN050/SN053/SN105, FTX.
 */
import { describe, expect, it } from 'vitest';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { edifact, read, x12 } from './support.js';

const status = (e: ShipmentEvent) => [e.bill.key, e.disposition, e.arrivalDate, e.arrivalTime];

describe('350 (truck 350 guide 004060USCBP350, group AU)', () => {
  it('19 dates the arrival (X4-05/06, Eastern); 1C and the other dispositions do not', () => {
    const run = read(
      x12('CBPACE', { id: 'AU', version: '004060' }, [
        {
          st: '350',
          body: [
            'M10*BRDR*J*US*1234*TRUCK 7*TRIP1014',
            'P4*0901*20251015',
            'X4*BRDR1014001*2*01**20251015*0845*19**BRDR',
            'K1*CONVEYANCE ARRIVED',
            'X4*BRDR1014001*2*01**20251015*0910*1C**BRDR',
            'K1*ENTERED AND RELEASED',
            'X4*BRDR1014002*1*01**20251015*0910*95**BRDR',
            'K1*SECTION 321 VALUE MAY EXCEED CONSIGNEE DAILY MAX',
          ],
        },
      ]),
    );
    expect(run.rejected).toEqual([]);
    expect(run.events.map(status)).toEqual([
      ['BRDR/BRDR1014001', '19', '2025-10-15', '08:45'],
      ['BRDR/BRDR1014001', '1C', undefined, undefined],
      ['BRDR/BRDR1014002', '95', undefined, undefined],
    ]);
  });
});

describe('CUSRES (ACE truck CUSRES, D:03B)', () => {
  const trip = (code: string, dtm163: string) => [
    'BGM+34:::ST+TRIP1014',
    'DTM+132:202510150830:203',
    `DTM+163:${dtm163}:203`,
    'FTX+AIQ+++TRIP1014',
    'TDT+20+TRIP1014+3',
    'LOC+24+0901',
    'LOC+60+0901',
    'NAD+CA+BRDR::172',
    'ERP+1',
    `ERC+${code}`,
    'FTX+AAH+++TRIP STATUS',
  ];
  const shipment = (scn: string, code: string, dtm163: string) => [
    `DOC+929:::13+${scn}`,
    'PAC+2',
    `RFF+AAM:${scn}`,
    `RFF+BM:${scn}`,
    'LOC+60+0901',
    `DTM+163:${dtm163}:203`,
    'ERP+2',
    `ERC+${code}`,
    'FTX+AAO+++STATUS',
  ];

  it('a trip ERC+SN030 with DTM+163 is the actual arrival of every shipment on it', () => {
    const run = read(
      edifact('CBPACE', 'CUSRES', [
        [
          ...trip('SN030', '202510150845'),
          ...shipment('BRDR1014001', 'SN053', '202510150910'),
          ...shipment('BRDR1014002', 'SN050', '202510150912'),
          ...shipment('BRDR1014003', 'SN105', '202510150915'),
        ],
      ]),
    );
    expect(run.readerIssues).toEqual([]);
    expect(run.rejected).toEqual([]);
    expect(run.events.map(status)).toEqual([
      ['BRDR/BRDR1014001', 'SN053', '2025-10-15', '08:45'],
      ['BRDR/BRDR1014002', 'SN050', '2025-10-15', '08:45'],
      ['BRDR/BRDR1014003', 'SN105', '2025-10-15', '08:45'],
    ]);
    expect(run.events.every((e) => e.mode === 'truck' && e.kind === 'status' && e.port === '0901')).toBe(
      true,
    );
  });

  it('a trip that has not arrived (SN038) gives no arrival; a shipment release (SN053) is no arrival either', () => {
    const run = read(
      edifact('CBPACE', 'CUSRES', [
        [...trip('SN038', '202510150845'), ...shipment('BRDR1014001', 'SN053', '202510150910')],
      ]),
    );
    expect(run.events.map(status)).toEqual([['BRDR/BRDR1014001', 'SN053', undefined, undefined]]);
  });
});
