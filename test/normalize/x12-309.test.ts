import { describe, expect, it } from 'vitest';
import { ShipmentEventSchema } from '../../src/core/model/shipment-event.js';
import { createX12Normalizer } from '../../src/core/normalize/index.js';
import { context, messageHeader, OK, only, runX12, x12Interchange, x12Segments } from './support.js';

const HEAD = 'M10*ACME*J*US*1*TRUCK*TRIP42~P4*3004*20250915***1430~';
const CN = 'N1*CN*Jane Q Doe~N3*12 North Avenue*Suite 300~N4*Buffalo*NY*14201-1234*US~';
const N10 = (qty: string, desc: string, hts: string, amount: string, origin = 'CN', currency = '') =>
  `N10*${qty}*${desc}**HS*${hts}*${amount}*****${origin}**${currency}~`;
const shipment = (
  bill: string,
  extra = '',
  parties = CN,
  goods = N10('1', 'SHIRT', '6109100010', '100.00'),
) => `LX*1~M11*${bill}~${extra}${parties}${goods}`;

describe('X12 309: one shipment, every field', () => {
  const out = runX12(
    '309',
    `${HEAD}LX*1~M13*ACME*3004*A~M11*ACME1234567********13***ACMB~
     N1*SH*SHENZHEN SELLER~N3*1 FACTORY RD~N4*SHENZHEN**518000*CN~
     N1*UC*Jane Q Doe*1*123456789~N3*12 North Avenue*Suite 300~N4*Buffalo*NY*14201-1234*US~
     N1*CN*Nominal Importer LLC~N3*1 Dock St~N4*Buffalo*NY*14201*US~
     ${N10('2', 'T-SHIRTS', '6109.10.0010', '150.00', 'CN', 'USD')}${N10('1', 'SOCKS', '6115959000', '25.5', 'VN')}`,
  );
  const ev = only(out.events);

  it('is a valid ShipmentEvent', () => {
    expect(ShipmentEventSchema.safeParse(ev).success).toBe(true);
    expect(out.rejected).toEqual([]);
    expect(out.issues).toEqual([]);
  });

  it('maps header, bill, type and parties', () => {
    expect(ev).toMatchObject({
      kind: 'declared',
      bill: { issuer: 'ACMB', scn: 'ACME1234567', key: 'ACMB/ACME1234567' },
      mode: 'truck',
      shipmentType: 'S321',
      express: false,
      carrierScac: 'ACME',
      port: '3004',
      conveyanceRef: 'TRIP42',
      eda: '2025-09-15',
      edaTime: '14:30',
    });
    // ACE aggregates on the consignee loop (N1*CN): the UC sent beside it is not used.
    expect(ev.consignee).toEqual({
      role: 'CN',
      name: 'Nominal Importer LLC',
      street: '1 Dock St',
      city: 'Buffalo',
      state: 'NY',
      postal: '14201',
      country: 'US',
    });
    expect(ev.consigneeKey).toBe('na|NOMINAL IMPORTER LLC|1 DOCK ST|BUFFALO|NY|14201|US');
  });

  it('adds up goods lines', () => {
    expect(ev.value).toEqual({ usdCents: 17550, amount: '175.50', currency: 'USD' });
    expect(ev.pieces).toBe(3);
    expect(ev.origin).toBe('CN');
    expect(ev.origins).toEqual(['CN', 'VN']);
    expect(ev.hts).toEqual(['6109100010', '6115959000']);
    expect(ev.description).toBe('T-SHIRTS; SOCKS');
    expect(ev.unmapped).toEqual([]);
  });

  it('points its source at the LX', () => {
    expect(ev.source).toEqual({
      file: 'test.edi',
      standard: 'x12',
      sender: 'ACMETRUCK',
      interchangeControl: '000000101',
      groupControl: '101',
      messageRef: '0001',
      messageType: '309',
      segmentIndex: 5,
      byteOffset: expect.any(Number),
      usage: 'P',
    });
    expect(ev.eventId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('X12 309: the interchange usage indicator travels with the event', () => {
  const body = `${HEAD}${shipment('ACME1*******13')}`;
  it.each([
    ['P', 'P'],
    ['T', 'T'],
    ['I', undefined],
  ] as const)('ISA15 %s → source.usage %s', (isa15, usage) => {
    const ev = only(runX12('309', body, { ic: { usage: isa15 } }).events);
    expect(ev.source.usage).toBe(usage);
  });
});

describe('X12 309: actions, modes, parties', () => {
  it.each([
    ['', 'declared'],
    ['M13*ACME*3004*A~', 'declared'],
    ['M13*ACME*3004*C~', 'amended'],
    ['M13*ACME*3004*D~', 'deleted'],
  ])('M13 %j → %s', (m13, kind) => {
    expect(only(runX12('309', `${HEAD}${shipment('B1', m13)}`).events).kind).toBe(kind);
  });

  it('an unknown action rejects that shipment only', () => {
    const out = runX12('309', `${HEAD}${shipment('B1', 'M13*ACME*3004*X~')}${shipment('B2')}`);
    expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
    expect(only(out.rejected).issues.map((i) => i.code)).toEqual(['NORMALIZE_UNKNOWN_ACTION']);
  });

  it('a deletion needs no consignee, value or EDA and carries none', () => {
    const ev = only(
      runX12('309', `M10*ACME*J~P4*3004~LX*1~M13*ACME*3004*D~M11*B1~N10*1*X**HS*1*5*****CN~`).events,
    );
    expect(ev.kind).toBe('deleted');
    expect(ev.consignee).toBeUndefined();
    expect(ev.consigneeKey).toBeUndefined();
    expect(ev.value).toBeUndefined();
  });

  it.each([
    ['J', 'truck'],
    ['O', 'ocean'],
    ['S', 'ocean'],
    ['R', 'rail'],
    // U is private parcel service, not mail: counted and notified as truck (docs/conformance.md).
    ['U', 'truck'],
  ])('M10-02 %s → %s', (code, mode) => {
    expect(only(runX12('309', `M10*ACME*${code}~P4*3004*20250915~${shipment('B1')}`).events).mode).toBe(mode);
  });

  it('an unknown mode rejects every shipment of the message with the M10 position', () => {
    const out = runX12('309', `M10*ACME*Z~P4*3004*20250915~${shipment('B1')}${shipment('B2')}`);
    expect(out.events).toEqual([]);
    expect(out.rejected).toHaveLength(2);
    expect(out.rejected[0]?.issues[0]).toMatchObject({
      code: 'NORMALIZE_UNKNOWN_MODE',
      segmentTag: 'M10',
      element: 2,
      segmentIndex: 3,
    });
  });

  it('CN is the consignee when no UC is sent; the key folds name and address', () => {
    const ev = only(runX12('309', `${HEAD}${shipment('B1')}`).events);
    expect(ev.consignee?.role).toBe('CN');
    expect(ev.consigneeKey).toBe('na|JANE Q DOE|12 N AVE STE 300|BUFFALO|NY|14201|US');
  });

  it('a Section 321 consignee without a valid U.S. state is a warning (CSMS 64824427); still counted', () => {
    const out = runX12(
      '309',
      `${HEAD}LX*1~M11*B1********13~N1*CN*Jane~N4*Toronto*ON*M5H1A1*CA~N10*1*A**HS*1*5~` +
        `LX*2~M11*B2********13~N1*CN*Jane~N4*Buffalo*New York*14201*US~N10*1*A**HS*1*5~` +
        `LX*3~M11*B3********24~N1*CN*Jane~N4*Toronto*ON*M5H1A1*CA~N10*1*A**HS*1*5~`,
    );
    expect(out.events.map((e) => e.shipmentType)).toEqual(['S321', 'S321', 'other']);
    expect(out.issues.map((i) => [i.code, i.segmentIndex])).toEqual([['NORMALIZE_S321_CONSIGNEE_STATE', 5]]);
  });

  it('CN wins over a UC sent beside it; a UC alone is used', () => {
    const both = only(
      runX12('309', `${HEAD}${shipment('B1', '', `N1*UC*Ultimate Person*1*9~${CN}`)}`).events,
    );
    expect([both.consignee?.role, both.consignee?.name]).toEqual(['CN', 'Jane Q Doe']);
    const alone = only(runX12('309', `${HEAD}${shipment('B1', '', 'N1*UC*Ultimate Person*1*9~')}`).events);
    expect([alone.consignee?.role, alone.consigneeKey]).toEqual(['UC', 'id|1|9']);
  });

  it('a UC with neither name nor id falls back to CN', () => {
    const ev = only(runX12('309', `${HEAD}${shipment('B1', '', `N1*UC~${CN}`)}`).events);
    expect(ev.consignee?.role).toBe('CN');
  });

  it('N2 extends the name; N3/N4 outside an N1 loop are named unmapped', () => {
    const ev = only(
      runX12(
        '309',
        `${HEAD}LX*1~M11*B1~N3*stray~N1*CN*Jane~N2*Q Doe~N3*1 Main St~N4*Buffalo*NY*14201*US~${N10('1', 'X', '1', '1')}`,
      ).events,
    );
    expect(ev.consignee?.name).toBe('Jane Q Doe');
    expect(ev.unmapped).toContain('N3 (outside an N1 loop)');
  });

  it('ET86 with entry number and broker', () => {
    const ev = only(
      runX12('309', `${HEAD}${shipment('B1', 'N9*ET*86~N9*EN*AB1-1234567-8~N1*CB*BROKER INC*ZZ*XYZ~')}`)
        .events,
    );
    expect(ev).toMatchObject({ shipmentType: 'ET86', entryNumber: 'AB112345678', brokerId: 'XYZ' });
  });

  it('ET86 without a CB id takes the filer code from the entry number', () => {
    const ev = only(runX12('309', `${HEAD}${shipment('B1', 'N9*ET*86~N9*EN*XYZ12345678~')}`).events);
    expect(ev.brokerId).toBe('XYZ');
  });

  it('ET86 without entry, a malformed entry and S321+ET86 are warnings', () => {
    const out = runX12(
      '309',
      `${HEAD}${shipment('B1', 'N9*ET*86~')}${shipment('B2', 'N9*ET*86~N9*EN*12~')}${shipment('B3********13', 'N9*ET*86~N9*EN*XYZ12345678~')}`,
    );
    expect(out.events).toHaveLength(3);
    expect(out.events[2]?.shipmentType).toBe('ET86');
    expect(out.issues.map((i) => i.code)).toEqual([
      'NORMALIZE_ET86_WITHOUT_ENTRY',
      'NORMALIZE_ENTRY_NUMBER_FORMAT',
      'NORMALIZE_CONFLICTING_SHIPMENT_TYPE',
    ]);
    expect(out.issues.every((i) => i.severity === 'warning')).toBe(true);
  });

  it('names what it cannot map', () => {
    const ev = only(
      runX12(
        '309',
        `${HEAD}${shipment('B1', 'N9*ZZ*XYZ~N9*ET*99~N9*BM*X~N1*NP*NOTIFY~VID*TL*ABCD*123~H1*1234~')}LX*2~`,
      ).events.slice(0, 1),
    );
    expect(ev.unmapped).toEqual(['N9*ZZ', 'N9*ET*99', 'N9*BM', 'N1*NP', 'VID', 'H1']);
  });
});

describe('X12 309: values', () => {
  it('converts foreign currency with the rate of the EDA day, half up to cents', () => {
    const out = runX12(
      '309',
      `${HEAD}${shipment('B1', '', CN, N10('1', 'A', '1', '100.00', 'DE', 'EUR') + N10('1', 'B', '2', '0.05', 'DE', 'EUR'))}`,
    );
    // 100.05 EUR × 1.1650 (rate from 2025-09-01) = 116.558… → 116.56
    expect(only(out.events).value).toEqual({ usdCents: 11656, amount: '100.05', currency: 'EUR' });
    const before = runX12(
      '309',
      `M10*ACME*J~P4*3004*20250831~${shipment('B1', '', CN, N10('1', 'A', '1', '100', 'DE', 'EUR'))}`,
    );
    expect(only(before.events).value?.usdCents).toBe(10837);
  });

  it('mixed currencies reject the shipment', () => {
    const out = runX12(
      '309',
      `${HEAD}${shipment('B1', '', CN, N10('1', 'A', '1', '1', 'DE', 'EUR') + N10('1', 'B', '1', '1', 'GB', 'GBP'))}`,
    );
    expect(only(out.rejected).issues[0]).toMatchObject({
      code: 'NORMALIZE_MIXED_CURRENCIES',
      segmentTag: 'N10',
      element: 13,
    });
  });

  it.each([
    ['unknown currency', N10('1', 'A', '1', '10', 'CN', 'XXX'), 'NORMALIZE_UNKNOWN_CURRENCY', 13],
    ['not a currency code', N10('1', 'A', '1', '10', 'CN', 'EURO'), 'NORMALIZE_UNKNOWN_CURRENCY', 13],
    ['negative amount', N10('1', 'A', '1', '-10', 'CN'), 'NORMALIZE_NEGATIVE_AMOUNT', 6],
    ['malformed amount', N10('1', 'A', '1', '1,000.00', 'CN'), 'NORMALIZE_MALFORMED_AMOUNT', 6],
  ])('%s rejects that shipment, the next still comes out', (_name, goods, code, element) => {
    const out = runX12('309', `${HEAD}${shipment('B1', '', CN, goods)}${shipment('B2')}`);
    expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
    const rejection = only(out.rejected);
    expect(rejection.bill).toBe('ACME/B1');
    expect(rejection.segmentIndex).toBe(5);
    expect(rejection.issues[0]).toMatchObject({
      code,
      severity: 'error',
      file: 'test.edi',
      interchangeControl: '000000101',
      groupControl: '101',
      messageRef: '0001',
      segmentTag: 'N10',
      element,
      segmentIndex: 10,
      positionInMessage: 9,
    });
  });

  it('no rate in force on the day rejects', () => {
    const out = runX12(
      '309',
      `M10*ACME*J~P4*3004*20241231~${shipment('B1', '', CN, N10('1', 'A', '1', '1', 'CN', 'EUR'))}`,
    );
    expect(only(out.rejected).issues[0]?.code).toBe('NORMALIZE_NO_RATE_FOR_DAY');
  });

  it('a fractional quantity is a warning and leaves pieces out', () => {
    const out = runX12('309', `${HEAD}${shipment('B1', '', CN, N10('1.5', 'A', '1', '1'))}`);
    expect(only(out.events).pieces).toBeUndefined();
    expect(only(out.issues).code).toBe('NORMALIZE_BAD_QUANTITY');
  });

  it('an HTS code without the HS qualifier is named, not taken', () => {
    const ev = only(runX12('309', `${HEAD}${shipment('B1', '', CN, 'N10*1*A**ZZ*12345*1~')}`).events);
    expect(ev.hts).toEqual([]);
    expect(ev.unmapped).toEqual(["N10-05 commodity code with qualifier 'ZZ'"]);
  });
});

describe('X12 309: rejections name file, control numbers, segment and element', () => {
  it('missing bill', () => {
    const out = runX12('309', `${HEAD}LX*1~${CN}${N10('1', 'A', '1', '1')}${shipment('B2')}`);
    expect(out.events).toHaveLength(1);
    const r = only(out.rejected);
    expect(r.bill).toBeUndefined();
    expect(r.issues[0]).toMatchObject({ code: 'NORMALIZE_MISSING_BILL', segmentTag: 'LX' });
  });

  it('missing consignee on declared and amended', () => {
    for (const m13 of ['', 'M13*ACME*3004*C~']) {
      const out = runX12('309', `${HEAD}${shipment('B1', m13, 'N1*SH*SELLER~')}${shipment('B2')}`);
      expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
      expect(only(out.rejected).issues[0]).toMatchObject({
        code: 'NORMALIZE_MISSING_CONSIGNEE',
        segmentTag: 'LX',
        segmentIndex: 5,
      });
    }
  });

  it('a bad EDA rejects the shipments of its P4 loop only', () => {
    const out = runX12(
      '309',
      `M10*ACME*J~P4*3004*20250231~${shipment('B1')}P4*3004*20250915*1~${shipment('B2')}`,
    );
    expect(out.events.map((e) => e.bill.scn)).toEqual(['B2']);
    expect(only(out.rejected).issues[0]).toMatchObject({
      code: 'NORMALIZE_BAD_DATE',
      segmentTag: 'P4',
      element: 2,
    });
  });

  it('a bad EDA time rejects', () => {
    const out = runX12('309', `M10*ACME*J~P4*3004*20250915***2460~${shipment('B1')}`);
    expect(only(out.rejected).issues[0]).toMatchObject({ code: 'NORMALIZE_BAD_DATE', element: 5 });
  });

  it('no EDA at all rejects declared shipments', () => {
    const out = runX12('309', `M10*ACME*J~P4*3004~${shipment('B1')}`);
    expect(only(out.rejected).issues[0]?.code).toBe('NORMALIZE_MISSING_EDA');
  });

  it('no carrier SCAC rejects', () => {
    const out = runX12(
      '309',
      `M10**J~P4*3004*20250915~LX*1~M11*B1***********ISSU~${CN}${N10('1', 'A', '1', '1')}`,
    );
    expect(only(out.rejected).issues.map((i) => i.code)).toEqual(['NORMALIZE_MISSING_CARRIER']);
  });

  it('shipments before any M10 are rejected with a reason', () => {
    const out = runX12('309', `P4*3004*20250915~${shipment('B1')}`);
    expect(only(out.rejected).issues.map((i) => i.code)).toContain('NORMALIZE_UNKNOWN_MODE');
  });
});

describe('X12 309: air bills', () => {
  const air = (m11: string) =>
    runX12('309', `M10*020*A~P4*JFK*20250915~LX*1~M11*${m11}~${CN}${N10('1', 'A', '1', '1')}`);

  it('an 11-digit master AWB: airline prefix is the issuer, the 8-digit serial the SCN', () => {
    expect(only(air('020-12345675').events).bill).toEqual({
      issuer: '020',
      scn: '12345675',
      key: '020/12345675',
    });
  });

  it('master in M11-11 and house bill in M11-01', () => {
    expect(only(air('HAWB778**********02012345675').events).bill).toEqual({
      issuer: '020',
      scn: '12345675/HAWB778',
      key: '020/12345675/HAWB778',
    });
  });

  it('an 8-digit serial with the prefix in M11-12', () => {
    expect(only(air('12345675***********020').events).bill.key).toBe('020/12345675');
  });

  it('a check digit mismatch is a warning', () => {
    const out = air('020-12345670');
    expect(only(out.events).bill.key).toBe('020/12345670');
    expect(only(out.issues).code).toBe('NORMALIZE_AWB_CHECK_DIGIT');
  });

  it('something else is rejected', () => {
    expect(only(air('ABC123').rejected).issues[0]).toMatchObject({
      code: 'NORMALIZE_BAD_AIR_WAYBILL',
      segmentTag: 'M11',
      element: 1,
    });
  });
});

describe('X12 309: message level', () => {
  it('emits each shipment as its loop closes (drain) and keeps manifest order', () => {
    const n = createX12Normalizer(x12Interchange(), messageHeader('309'), context());
    if (n === undefined) throw new Error('no normalizer');
    const segs = x12Segments(`${HEAD}${shipment('B1')}${shipment('B2')}${shipment('B3')}`);
    const lx = segs.filter((s) => s.tag === 'LX');
    let drained: string[] = [];
    for (const seg of segs) {
      n.segment(seg);
      if (seg === lx[2]) drained = n.drain().events.map((e) => e.bill.scn);
    }
    expect(drained).toEqual(['B1', 'B2']);
    expect(n.finish(OK).events.map((e) => e.bill.scn)).toEqual(['B3']);
  });

  it('warns about a wrong GS01 and an empty manifest', () => {
    const out = runX12('309', HEAD, { msg: { functionalId: 'SM' } });
    expect(out.issues.map((i) => i.code)).toEqual([
      'NORMALIZE_FUNCTIONAL_ID_MISMATCH',
      'NORMALIZE_NO_SHIPMENTS',
    ]);
  });

  it('other transaction sets are not processed', () => {
    expect(createX12Normalizer(x12Interchange(), messageHeader('850'), context())).toBeUndefined();
  });
});
