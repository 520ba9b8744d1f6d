/**
 * Conformance, inbound X12 309: manifests written the way CBP's guides define them (docs/conformance.md).
 * - truck: ACE ANSI X12 Truck 309 guide (Dec 2016, ASC X12 5020, group AQ); Section 321 bill types
 *   13 and 35 in M11-09 (CSMS 64824427), the consignee in N1*CN, the value in N10-06 whole dollars;
 * - rail: bill type 23 "Section 321 release for residue cargo", its bill in N9*ZF, N10-06 required
 *   and over $200 rejected (CSMS 12-000064);
 * - ocean: 4010 guides, group SO; air: X12 element 582's code 13 (both unconfirmed profile defaults);
 * - modes from X12 element 91: S ocean, U private parcel service (counted as truck), 7 mail (not counted).
 */
import { describe, expect, it } from 'vitest';
import { facts, read, x12 } from './support.js';

const SHIPPER = ['N1*SH*MAPLE GOODS LTD', 'N3*1 KING ST', 'N4*TORONTO*ON*M5H1A1*CA'];
const consignee = (name: string, street = '40 PARK AVE', city = 'BUFFALO', state = 'NY', zip = '14201') => [
  `N1*CN*${name}`,
  `N3*${street}`,
  `N4*${city}*${state}*${zip}*US`,
];
/** One LX loop: M11 with the bill type in M11-09 and the issuer SCAC in M11-12. */
const bill = (lx: number, scn: string, type: string, parties: string[], goods: string[], issuer = 'BRDR') => [
  `LX*${lx}`,
  `M11*${scn}*0901*1*CTN*3*K***${type}***${issuer}`,
  ...parties,
  ...goods,
];

describe('truck 309 (ACE truck 309 guide, CSMS 64824427)', () => {
  const run = read(
    x12('BORDERTRUCK', { id: 'AQ', version: '005020' }, [
      {
        st: '309',
        body: [
          'M10*BRDR*J*CA*1**TRIP1014',
          'P4*0901*20251015***0830',
          ...bill(
            1,
            'BRDR1014001',
            '13',
            [...SHIPPER, ...consignee('SAM LEE')],
            ['N10*2*WOOL SCARVES**HS*6117100010*350*****CA'],
          ),
          ...bill(2, 'BRDR1014002', '35', consignee('SAM LEE'), [
            'N10*1*MAPLE CANDY**HS*1704901000*480*****CA',
          ]),
          ...bill(3, 'BRDR1014003', '24', consignee('SAM LEE'), [
            'N10*1*MACHINE PART**HS*8483109000*5000*****CA',
          ]),
          ...bill(4, 'BRDR1014004', '', consignee('SAM LEE'), ['N10*1*TOOLS**HS*8205400000*90*****CA']),
          ...bill(
            5,
            'BRDR1014005',
            '13',
            ['N1*UC*ROBIN LEE', 'N3*9 ELM ST', 'N4*ALBANY*NY*12207*US', ...consignee('SAM LEE')],
            ['N10*1*GLOVES**HS*6116100800*25*****CA', 'N10*2*SOCKS**HS*6115959000*12*****CA'],
          ),
        ],
      },
    ]),
  );

  it('reads every bill without an issue', () => {
    expect(run.rejected).toEqual([]);
    expect(run.issues).toEqual([]);
    expect(run.readerIssues).toEqual([]);
  });

  it('13 and 35 are Section 321; any other bill type, or none, is not (not counted)', () => {
    expect(run.events.map(facts)).toEqual([
      {
        bill: 'BRDR/BRDR1014001',
        kind: 'declared',
        mode: 'truck',
        type: 'S321',
        consignee: 'CN SAM LEE',
        cents: 35000,
        day: '2025-10-15',
      },
      {
        bill: 'BRDR/BRDR1014002',
        kind: 'declared',
        mode: 'truck',
        type: 'S321',
        consignee: 'CN SAM LEE',
        cents: 48000,
        day: '2025-10-15',
      },
      {
        bill: 'BRDR/BRDR1014003',
        kind: 'declared',
        mode: 'truck',
        type: 'other',
        consignee: 'CN SAM LEE',
        cents: 500000,
        day: '2025-10-15',
      },
      {
        bill: 'BRDR/BRDR1014004',
        kind: 'declared',
        mode: 'truck',
        type: 'other',
        consignee: 'CN SAM LEE',
        cents: 9000,
        day: '2025-10-15',
      },
      // N1*CN is the consignee ACE aggregates on, also when an N1*UC is sent; N10-06 lines add up.
      {
        bill: 'BRDR/BRDR1014005',
        kind: 'declared',
        mode: 'truck',
        type: 'S321',
        consignee: 'CN SAM LEE',
        cents: 3700,
        day: '2025-10-15',
      },
    ]);
  });

  it('the consignee key is the same person on every bill', () => {
    expect(new Set(run.events.map((e) => e.consigneeKey)).size).toBe(1);
  });
});

describe('rail 309 (CSMS 12-000064: bill type 23, N9*ZF, $200)', () => {
  const run = read(
    x12('RAILCO', { id: 'AQ', version: '004010' }, [
      {
        st: '309',
        body: [
          'M10*CPRS*R*CA*1*TRAIN 119*T119',
          'P4*0712*20250917',
          'LX*1',
          'M11*CPRS0917001*0712*1*CLD*15000*K***23',
          'N9*ZF*CPRS0917R01',
          ...consignee('NORTH GRAIN CO', '1 ELEVATOR RD', 'PLATTSBURGH', 'NY', '12901'),
          'N10*1*GRAIN RESIDUE**HS*1001990000*180*****CA',
          'LX*2',
          'M11*CPRS0917002*0712*1*CLD*15000*K***23',
          'N9*ZF*CPRS0917R02',
          ...consignee('NORTH GRAIN CO', '1 ELEVATOR RD', 'PLATTSBURGH', 'NY', '12901'),
          'N10*1*GRAIN RESIDUE**HS*1001990000*201*****CA',
          'LX*3',
          'M11*CPRS0917003*0712*1*CLD*15000*K***23',
          'N9*ZF*CPRS0917R03',
          ...consignee('NORTH GRAIN CO', '1 ELEVATOR RD', 'PLATTSBURGH', 'NY', '12901'),
          'N10*1*GRAIN RESIDUE**HS*1001990000',
          'LX*4',
          'M11*CPRS0917004*0712*1*PCS*2*K***13',
          ...consignee('ANNE MARTIN', '5 LAKE ROAD', 'PLATTSBURGH', 'NY', '12901'),
          'N10*1*BOOKS**HS*4901990070*40*****CA',
        ],
      },
    ]),
  );

  it('23 is Section 321 residue: counted up to $200, rejected over it or without a value', () => {
    expect(run.events.map(facts)).toEqual([
      {
        bill: 'CPRS/CPRS0917001',
        kind: 'declared',
        mode: 'rail',
        type: 'S321',
        consignee: 'CN NORTH GRAIN CO',
        cents: 18000,
        day: '2025-09-17',
      },
      // Truck's 13 is not a rail Section 321 bill type.
      {
        bill: 'CPRS/CPRS0917004',
        kind: 'declared',
        mode: 'rail',
        type: 'other',
        consignee: 'CN ANNE MARTIN',
        cents: 4000,
        day: '2025-09-17',
      },
    ]);
    expect(run.rejected.map((r) => [r.bill, r.issues.map((i) => i.code)])).toEqual([
      ['CPRS/CPRS0917002', ['NORMALIZE_RESIDUE_VALUE']],
      ['CPRS/CPRS0917003', ['NORMALIZE_RESIDUE_VALUE']],
    ]);
  });
});

describe('ocean and air 309 (bill type 13: unconfirmed profile default)', () => {
  it('ocean in group SO (4010), modes O and S, entry type 86 with its entry number and broker', () => {
    const body = (mode: string, scn: string) => [
      `M10*MAEU*${mode}*DK*9321483*MAERSK KENTUCKY*V123E`,
      'P4*2704*20250918',
      'LX*1',
      `M11*${scn}*57035*10*PCS*2*K***13`,
      ...consignee('KIM PARK', '8 HILL RD', 'SEATTLE', 'WA', '98101'),
      'N10*10*LED LAMPS**HS*9405421000*640*****MY',
      'LX*2',
      `M11*${scn}X*57035*10*PCS*2*K`,
      'N9*ET*86',
      'N9*EN*AB1-2345678-9',
      ...consignee('KIM PARK', '8 HILL RD', 'SEATTLE', 'WA', '98101'),
      'N1*CB*FAST BROKERAGE*ZZ*AB1',
      'N10*40*PLUSH TOYS**HS*9503000071*310*****TH',
    ];
    const run = read(
      x12('OCEANLINE', { id: 'SO', version: '004010' }, [
        { st: '309', body: body('O', 'MAEU001') },
        { st: '309', body: body('S', 'MAEU002') },
      ]),
    );
    expect(run.issues).toEqual([]);
    expect(
      run.events.map((e) => [
        e.bill.key,
        e.mode,
        e.shipmentType,
        e.value?.usdCents,
        e.entryNumber,
        e.brokerId,
      ]),
    ).toEqual([
      ['MAEU/MAEU001', 'ocean', 'S321', 64000, undefined, undefined],
      ['MAEU/MAEU001X', 'ocean', 'ET86', 31000, 'AB123456789', 'AB1'],
      ['MAEU/MAEU002', 'ocean', 'S321', 64000, undefined, undefined],
      ['MAEU/MAEU002X', 'ocean', 'ET86', 31000, 'AB123456789', 'AB1'],
    ]);
  });

  it('air: master air waybill in M11-11, house bill in M11-01', () => {
    const run = read(
      x12('QUICKAIR', { id: 'AQ', version: '005020' }, [
        {
          st: '309',
          body: [
            'M10*QA*A*US*1*QA 123*QA123',
            'P4*4701*20250916',
            'LX*1',
            'M11*HAWB7781*57035*1*PCS*2*K***13**020-12345675',
            ...consignee('JANE DOE', '12 MAIN ST', 'BOSTON', 'MA', '02110'),
            'N10*1*PHONE**HS*8517130000*250*****CN',
          ],
        },
      ]),
    );
    expect(run.events.map(facts)).toEqual([
      {
        bill: '020/12345675/HAWB7781',
        kind: 'declared',
        mode: 'air',
        type: 'S321',
        consignee: 'CN JANE DOE',
        cents: 25000,
        day: '2025-09-16',
      },
    ]);
  });
});

describe('transport modes (X12 element 91)', () => {
  const manifest = (mode: string) =>
    read(
      x12('PARCELCO', { id: 'AQ', version: '005020' }, [
        {
          st: '309',
          body: [
            `M10*UPSN*${mode}*US*1**P77`,
            'P4*0901*20250917',
            'LX*1',
            'M11*UPSN0917001*0901*1*PCS*1*K***13',
            ...consignee('JANE DOE'),
            'N10*1*BOOKS**HS*4901990070*90*****GB',
          ],
        },
      ]),
    ).events.map((e) => [e.mode, e.shipmentType]);

  it('U is private parcel service, counted as truck; S is ocean; 7 is mail (not a 309 mode, not counted)', () => {
    expect(manifest('U')).toEqual([['truck', 'S321']]);
    expect(manifest('S')).toEqual([['ocean', 'S321']]);
    expect(manifest('7')).toEqual([['mail', 'other']]);
  });
});

describe('N10-06 is whole dollars', () => {
  it('a whole-dollar value is dollars; a value written with cents is read exactly, never rounded', () => {
    const run = read(
      x12('BORDERTRUCK', { id: 'AQ', version: '005020' }, [
        {
          st: '309',
          body: [
            'M10*BRDR*J*CA*1**TRIP1016',
            'P4*0901*20251016',
            ...bill(1, 'BRDR1016001', '13', consignee('SAM LEE'), ['N10*1*A**HS*6117100010*800*****CA']),
            ...bill(2, 'BRDR1016002', '13', consignee('SAM LEE'), ['N10*1*B**HS*6117100010*0.01*****CA']),
          ],
        },
      ]),
    );
    expect(run.events.map((e) => [e.value?.amount, e.value?.usdCents])).toEqual([
      ['800', 80000],
      ['0.01', 1],
    ]);
  });
});
