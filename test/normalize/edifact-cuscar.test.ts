import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { createEdifactNormalizer } from '../../src/core/normalize/index.js';
import { context, edifactInterchange, messageHeader, only, runEdifact, runFile } from './support.js';

const HEAD = (fn = '9', mode = '3') =>
  `BGM+85+MAN0001+${fn}'DTM+132:202509151430:203'LOC+60+3004'NAD+CA+ACME::172'TDT+20+TRIP42+${mode}'`;
const CN = "NAD+CN+++Jane Q Doe+12 North Avenue:Suite 300+Buffalo+NY+14201-1234+US'";
const CNI = (bill: string, extra = '', parties = CN, goods = "MOA+40:100.00:USD'") =>
  `CNI+1'RFF+BM:${bill}'${extra}${parties}${goods}`;

describe('CUSCAR: one consignment, every field', () => {
  const out = runEdifact(
    'CUSCAR',
    `${HEAD()}CNI+1+:23'DOC+929:::13'RFF+AAM:ACMEB1234567'RFF+ABT:XYZ12345678'
     NAD+CZ+++SHENZHEN SELLER'
     NAD+UC+123456789:ZZ++Jane Q Doe+12 North Avenue:Suite 300+Buffalo+NY+14201-1234+US'
     NAD+CN+++Nominal LLC+1 Dock St+Buffalo+NY+14201+US'
     NAD+CB+XYZ::172++Broker'
     GID+1+2:CT'FTX+AAA+++T-SHIRTS'PIA+5+6109.10.0010:HS'MOA+40:150.00:USD'LOC+27+CN'
     GID+2+1:CT'FTX+AAA+++SOCKS:COTTON'GIN+HS+6115959000'MOA+40:25.5:USD'LOC+27+VN'`,
  );
  const ev = only(out.events);

  it('is a valid ShipmentEvent with everything mapped', () => {
    expect(ShipmentEventSchema.safeParse(ev).success).toBe(true);
    expect(out.rejected).toEqual([]);
    expect(ev).toMatchObject({
      kind: 'declared',
      bill: { issuer: 'ACME', scn: 'ACMEB1234567', key: 'ACME/ACMEB1234567' },
      mode: 'truck',
      shipmentType: 'S321',
      express: false,
      entryNumber: 'XYZ12345678',
      carrierScac: 'ACME',
      brokerId: 'XYZ',
      port: '3004',
      conveyanceRef: 'TRIP42',
      consigneeKey: 'na|NOMINAL LLC|1 DOCK ST|BUFFALO|NY|14201|US',
      value: { usdCents: 17550, amount: '175.50', currency: 'USD' },
      eda: '2025-09-15',
      edaTime: '14:30',
      origin: 'CN',
      origins: ['CN', 'VN'],
      hts: ['6109100010', '6115959000'],
      description: 'T-SHIRTS; SOCKS COTTON',
      unmapped: [],
    });
    // ACE aggregates on NAD+CN: the ultimate consignee sent beside it is not the consignee.
    expect(ev.consignee).toMatchObject({
      role: 'CN',
      name: 'Nominal LLC',
      street: '1 Dock St',
      postal: '14201',
    });
    expect(ev.source).toMatchObject({
      standard: 'edifact',
      messageType: 'CUSCAR',
      sender: 'ACMETRUCK',
      interchangeControl: '7001',
    });
  });
});

describe('CUSCAR: message function, mode, bills', () => {
  it.each([
    ['9', 'declared'],
    ['22', 'declared'],
    ['5', 'amended'],
    ['4', 'amended'],
    ['3', 'deleted'],
    ['1', 'deleted'],
  ])('BGM 1225 %s → %s for every consignment', (fn, kind) => {
    const out = runEdifact('CUSCAR', `${HEAD(fn)}${CNI('B1')}${CNI('B2')}`);
    expect(out.events.map((e) => e.kind)).toEqual([kind, kind]);
  });

  it('an unknown function rejects every consignment', () => {
    const out = runEdifact('CUSCAR', `${HEAD('47')}${CNI('B1')}`);
    expect(only(out.rejected).issues[0]).toMatchObject({
      code: 'NORMALIZE_UNKNOWN_ACTION',
      segmentTag: 'BGM',
      element: 3,
    });
  });

  it.each([
    ['1', 'ocean'],
    ['2', 'rail'],
    ['3', 'truck'],
    ['03', 'truck'],
    ['5', 'mail'],
  ])('TDT 8067 %s → %s', (code, mode) => {
    expect(only(runEdifact('CUSCAR', `${HEAD('9', code)}${CNI('B1')}`).events).mode).toBe(mode);
  });

  it('unknown or missing mode rejects', () => {
    expect(only(runEdifact('CUSCAR', `${HEAD('9', '8')}${CNI('B1')}`).rejected).issues[0]?.code).toBe(
      'NORMALIZE_UNKNOWN_MODE',
    );
    expect(
      only(runEdifact('CUSCAR', `BGM+85+X+9'DTM+132:20250915:102'NAD+CA+ACME'${CNI('B1')}`).rejected)
        .issues[0]?.code,
    ).toBe('NORMALIZE_UNKNOWN_MODE');
  });

  it('issuer: carrier SCAC, unless the bill is SCAC + bill longer than 8', () => {
    const out = runEdifact(
      'CUSCAR',
      `${HEAD()}${CNI('12345678')}${CNI('LOCKKH041122106')}${CNI('1234567890')}${CNI('ABCD1234')}`,
    );
    expect(out.events.map((e) => e.bill.key)).toEqual([
      'ACME/12345678',
      'LOCK/LOCKKH041122106',
      'ACME/1234567890',
      'ACME/ABCD1234',
    ]);
  });

  it('RFF+AAM is the bill when no RFF+BM is sent (CBP truck shape)', () => {
    expect(
      only(runEdifact('CUSCAR', `${HEAD()}CNI+1'RFF+AAM:LOCKKH041122106'${CN}MOA+40:1:USD'`).events).bill.key,
    ).toBe('LOCK/LOCKKH041122106');
  });

  it('air: master from RFF+AWB, house from RFF+HWB', () => {
    const out = runEdifact(
      'CUSCAR',
      `${HEAD('9', '4')}CNI+1'RFF+AWB:020-12345675'RFF+HWB:H778'${CN}MOA+40:1:USD'CNI+2'RFF+BM:02012345675'${CN}MOA+40:1:USD'`,
    );
    expect(out.events.map((e) => e.bill.key)).toEqual(['020/12345675/H778', '020/12345675']);
  });

  it('missing carrier and missing bill reject', () => {
    expect(
      only(runEdifact('CUSCAR', `BGM+85+X+9'DTM+132:20250915:102'TDT+20++3'${CNI('B1')}`).rejected).issues[0]
        ?.code,
    ).toBe('NORMALIZE_MISSING_CARRIER');
    expect(only(runEdifact('CUSCAR', `${HEAD()}CNI+1'${CN}MOA+40:1:USD'`).rejected).issues[0]?.code).toBe(
      'NORMALIZE_MISSING_BILL',
    );
  });
});

describe('CUSCAR: values and dates', () => {
  it('the UNA decimal mark applies', () => {
    const out = runEdifact('CUSCAR', `${HEAD()}${CNI('B1', '', CN, "MOA+40:1234,56:EUR'MOA+40:0,44:EUR'")}`, {
      ic: {
        delimiters: {
          component: ':',
          element: '+',
          decimal: ',',
          release: '?',
          repetition: null,
          segment: "'",
        },
        una: true,
      },
    });
    // 1235.00 EUR × 1.1650 = 1438.775 → 1438.78
    expect(only(out.events).value).toEqual({ usdCents: 143878, amount: '1235.00', currency: 'EUR' });
  });

  it('a consignment-level DTM+132 overrides the header EDA; a bad one rejects that consignment only', () => {
    const out = runEdifact(
      'CUSCAR',
      `${HEAD()}${CNI('B1', "DTM+132:20250916:102'")}${CNI('B2', "DTM+132:20250931:102'")}${CNI('B3')}`,
    );
    expect(out.events.map((e) => [e.bill.scn, e.eda, e.edaTime])).toEqual([
      ['B1', '2025-09-16', undefined],
      ['B3', '2025-09-15', '14:30'],
    ]);
    expect(only(out.rejected).issues[0]).toMatchObject({
      code: 'NORMALIZE_BAD_DATE',
      segmentTag: 'DTM',
      element: 1,
      component: 2,
    });
  });

  it('a bad header EDA rejects every consignment', () => {
    const out = runEdifact(
      'CUSCAR',
      `BGM+85+X+9'DTM+132:2025091514:203'NAD+CA+ACME'TDT+20++3'${CNI('B1')}${CNI('B2')}`,
    );
    expect(out.rejected.map((r) => r.issues[0]?.code)).toEqual(['NORMALIZE_BAD_DATE', 'NORMALIZE_BAD_DATE']);
  });

  it.each([
    ['unknown currency', "MOA+40:10:XYZ'", 'NORMALIZE_UNKNOWN_CURRENCY'],
    ['negative', "MOA+40:-10:USD'", 'NORMALIZE_NEGATIVE_AMOUNT'],
    ['wrong decimal mark', "MOA+40:10,5:USD'", 'NORMALIZE_MALFORMED_AMOUNT'],
  ])('%s rejects that consignment only', (_n, moa, code) => {
    const out = runEdifact('CUSCAR', `${HEAD()}${CNI('B1', '', CN, moa)}${CNI('B2')}`);
    expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
    expect(only(out.rejected).issues[0]).toMatchObject({ code, segmentTag: 'MOA', element: 1 });
  });

  it('missing consignee rejects a declaration but not a deletion', () => {
    expect(only(runEdifact('CUSCAR', `${HEAD()}${CNI('B1', '', '')}`).rejected).issues[0]?.code).toBe(
      'NORMALIZE_MISSING_CONSIGNEE',
    );
    expect(only(runEdifact('CUSCAR', `${HEAD('3')}${CNI('B1', '', '', '')}`).events).kind).toBe('deleted');
  });
});

describe('CUSCAR: the CBP ACE truck sample (D:03B)', () => {
  const file = new URL('../../../shared/corpus/edifact/cbp-ace-cuscar-truck.edi', import.meta.url);
  const run = runFile(readFileSync(file), 'cbp-ace-cuscar-truck.edi', context());

  it('maps what it can and names the rest', () => {
    expect(run.rejected).toEqual([]);
    const ev = only(run.events);
    expect(ev).toMatchObject({
      kind: 'declared', // BGM 1225 '22' (final transmission) is a complete manifest
      bill: { issuer: 'LOCK', scn: 'LOCKKH041122106' },
      mode: 'truck',
      carrierScac: 'LOCK',
      port: '0901',
      eda: '2004-12-30',
      edaTime: '12:00',
      shipmentType: 'other',
      consignee: {
        role: 'CN',
        name: 'KATHY SMITH',
        street: '1234 MAIN STREET',
        city: 'BELTSVILLE',
        state: 'MD',
        postal: '20708',
        country: 'US',
        idQualifier: '109',
        id: '65424',
      },
      consigneeKey: 'id|109|65424',
      description: 'IRON COIL SHEET METAL',
    });
    expect(ev.value).toBeUndefined();
    expect(ev.unmapped).toEqual(
      expect.arrayContaining(['DOC+714', 'LOC+9', 'DTM+133', 'NAD+IM', 'NAD+OS', 'MOA+40 (no value sent)']),
    );
    expect(ev.unmapped.join(' ')).not.toMatch(/8005551212/);
  });
});

it('CUSCAR/CUSRES only', () => {
  expect(createEdifactNormalizer(edifactInterchange(), messageHeader('INVOIC'), context())).toBeUndefined();
});

describe('CUSCAR: the interchange usage indicator travels with the event', () => {
  it.each([
    ['', 'P'],
    ['1', 'T'],
  ] as const)('UNB 0035 %j → source.usage %s', (flag, usage) => {
    const out = runEdifact('CUSCAR', `${HEAD()}${CNI('B1')}`, { ic: { usage: flag } });
    for (const ev of out.events) expect(ev.source.usage).toBe(usage);
    expect(out.events.length).toBeGreaterThan(0);
  });
});
