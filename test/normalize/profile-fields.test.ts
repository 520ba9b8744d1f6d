/**
 * Every field of the inbound profile has a test here: the last test walks the default profile and
 * fails when a field has no case, so a new profile field cannot ship untested. Overrides go through
 * the partner mechanism (sender ACMETRUCK, the helpers' default), which is tested on the way.
 */
import { describe, expect, it } from 'vitest';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import type { NormalizeOutput } from '../../src/core/normalize/types.js';
import { DEFAULT_INBOUND_PROFILE, parseInboundProfile } from '../../src/core/profiles/index.js';
import { only, runEdifact, runX12 } from './support.js';

type Overrides = Record<string, unknown>;
const partner = (overrides: Overrides) => {
  const parsed = parseInboundProfile({ ...DEFAULT_INBOUND_PROFILE, partners: { ACMETRUCK: overrides } });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return { ctx: { profile: parsed.profile } };
};
const x12 = (section: '309' | '350', over: Overrides) => partner({ x12: { [section]: over } });
const cuscar = (over: Overrides) => partner({ edifact: { CUSCAR: over } });
const cusres = (over: Overrides) => partner({ edifact: { CUSRES: over } });

const P309 = DEFAULT_INBOUND_PROFILE.x12['309'];
const P350 = DEFAULT_INBOUND_PROFILE.x12['350'];

/** An X12 segment with values at given element positions. */
function seg(tag: string, fields: ReadonlyArray<readonly [number, string]>): string {
  const els: string[] = [];
  for (const [pos, value] of fields) {
    while (els.length < pos) els.push('');
    els[pos - 1] = value;
  }
  return `${[tag, ...els].join('*')}~`;
}

type Positions309 = typeof P309;
/** A 309 built from a position table, so moving a field and telling the profile must give the same events. */
function build309(p: Positions309, air: boolean): string {
  return [
    seg('M10', [
      [p.m10.scac, air ? '020' : 'ACME'],
      [p.m10.mode, air ? 'A' : 'J'],
      [p.m10.conveyance, 'TRIP42'],
    ]),
    seg('P4', [
      [p.p4.port, '3004'],
      [p.p4.date, '20250915'],
      [p.p4.time, '1430'],
    ]),
    'LX*1~',
    seg('M13', [[p.m13.action, 'C']]),
    air
      ? seg('M11', [
          [p.m11.bill, 'HAWB1'],
          [p.m11.masterBill, '02012345675'],
          [p.m11.billType, '13'],
        ])
      : seg('M11', [
          [p.m11.bill, 'B1'],
          [p.m11.issuer, 'ISSU'],
          [p.m11.billType, '13'],
        ]),
    seg('N9', [
      [p.n9.qualifier, 'EN'],
      [p.n9.value, 'XYZ12345678'],
    ]),
    seg('N1', [
      [p.n1.role, 'UC'],
      [p.n1.name, 'Jane Doe'],
      [p.n1.idQualifier, '1'],
      [p.n1.id, '12345'],
    ]),
    'N3*1 Main St~N4*Buffalo*NY*14201*US~',
    seg('N10', [
      [p.n10.quantity, '2'],
      [p.n10.description, 'SHIRTS'],
      [p.n10.htsQualifier, 'HS'],
      [p.n10.hts, '6109100010'],
      [p.n10.value, '10.00'],
      [p.n10.origin, 'DE'],
      [p.n10.currency, 'EUR'],
    ]),
  ].join('');
}

function build350(section: typeof P350): string {
  const p = section.x4;
  return `M10*ACME*J~${seg('X4', [
    [p.bill, 'B1'],
    [p.quantity, '3'],
    [p.entry, 'XYZ12345678'],
    [p.date, '20250916'],
    [p.time, '0745'],
    [p.disposition, '19'],
    [p.issuer, 'ISSU'],
  ])}`;
}

/** Events and rejections without byte offsets and element numbers (which move with the data). */
function comparable(out: NormalizeOutput): unknown {
  const strip = (e: ShipmentEvent) => ({ ...e, source: { ...e.source, byteOffset: 0 } });
  return {
    events: out.events.map(strip),
    rejected: out.rejected.map((r) => [r.bill, r.issues.map((i) => i.code)]),
  };
}

function setPath(obj: Overrides, path: string[], value: unknown): Overrides {
  const [head, ...rest] = path as [string, ...string[]];
  return { ...obj, [head]: rest.length === 0 ? value : setPath((obj[head] as Overrides) ?? {}, rest, value) };
}

const MOVED = 20;

function positionCase(section: '309' | '350', path: string[]) {
  return () => {
    const defaults = section === '309' ? P309 : P350;
    const moved = structuredClone(defaults) as Record<string, unknown>;
    let node = moved;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[path.at(-1) as string] = MOVED;
    const override = x12(section, setPath({}, path, MOVED));
    const bases = section === '309' ? [false, true] : [false];
    let changed = false;
    for (const air of bases) {
      const original = section === '309' ? build309(P309, air) : build350(P350);
      const relocated =
        section === '309' ? build309(moved as Positions309, air) : build350(moved as typeof P350);
      const reference = comparable(runX12(section, original));
      expect(comparable(runX12(section, relocated, override))).toEqual(reference);
      if (JSON.stringify(comparable(runX12(section, original, override))) !== JSON.stringify(reference))
        changed = true;
    }
    expect(changed).toBe(true);
  };
}

const HEAD = "BGM+85+M1+9'DTM+132:20250915:102'LOC+60+3004'NAD+CA+ACME'TDT+20+T1+3'";
const CN = "NAD+CN+++Jane Doe+1 Main St+Buffalo+NY+14201+US'MOA+40:1:USD'";
const cnEvent = (body: string, opts = {}) => only(runEdifact('CUSCAR', body, opts).events);

const cases: Record<string, () => void> = {
  defaultCurrency: () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~N10*1*A**HS*1*100~`;
    expect(only(runX12('309', body).events).value).toEqual({
      usdCents: 10000,
      amount: '100',
      currency: 'USD',
    });
    expect(only(runX12('309', body, partner({ defaultCurrency: 'CAD' })).events).value).toEqual({
      usdCents: 7312,
      amount: '100',
      currency: 'CAD',
    });
  },
  'modes.x12': () => {
    for (const [code, mode] of Object.entries(DEFAULT_INBOUND_PROFILE.modes.x12)) {
      expect(only(runX12('350', `M10*ACME*${code}~X4*02012345675~`).events).mode).toBe(mode);
    }
    expect(
      only(runX12('350', `M10*ACME*T~X4*B1~`, partner({ modes: { x12: { T: 'truck' } } })).events).mode,
    ).toBe('truck');
    expect(
      only(runX12('350', `M10*ACME*J~X4*B1~`, partner({ modes: { x12: { J: null } } })).rejected).issues[0]
        ?.code,
    ).toBe('NORMALIZE_UNKNOWN_MODE');
  },
  'modes.edifact': () => {
    for (const [code, mode] of Object.entries(DEFAULT_INBOUND_PROFILE.modes.edifact)) {
      expect(only(runEdifact('CUSRES', `TDT+20++${code}'NAD+CA+ACME'RFF+BM:02012345675'`).events).mode).toBe(
        mode,
      );
    }
    expect(
      only(
        runEdifact(
          'CUSRES',
          `TDT+20++30'NAD+CA+ACME'RFF+BM:B1'`,
          partner({ modes: { edifact: { '30': 'truck' } } }),
        ).events,
      ).mode,
    ).toBe('truck');
  },
  'shipment.markers': () => {
    // No CBP guide defines a GIS / N9*ZZ marker: the default table is empty and GIS+S321 is named unmapped.
    expect(DEFAULT_INBOUND_PROFILE.shipment.markers).toEqual({});
    const gis = cnEvent(`${HEAD}CNI+1'RFF+BM:B1'GIS+S321'${CN}`);
    expect([gis.shipmentType, gis.unmapped]).toEqual(['other', ['GIS+S321']]);
    expect(
      cnEvent(`${HEAD}CNI+1'RFF+BM:B1'GIS+T86'${CN}`, partner({ shipment: { markers: { T86: 'ET86' } } }))
        .shipmentType,
    ).toBe('ET86');
  },
  'shipment.express': () => {
    expect(cnEvent(`${HEAD}CNI+1'RFF+BM:B1'GIS+EXP'${CN}`).express).toBe(false);
    const ev = cnEvent(
      `${HEAD}CNI+1'RFF+BM:B1'GIS+EXP'GIS+XPR'${CN}`,
      partner({ shipment: { express: ['XPR'] } }),
    );
    expect([ev.express, ev.unmapped]).toEqual([true, ['GIS+EXP']]);
  },
  'shipment.expressCarriers': () => {
    // Empty by default: no manifest element marks express; a listed carrier's air shipments are express.
    expect(DEFAULT_INBOUND_PROFILE.shipment.expressCarriers).toEqual([]);
    const air = `M10*QAIR*A~P4*JFK*20250916~LX*1~M11*HAWB1*****K***13**020-12345675~N1*CN*Jane~N10*1*A**HS*1*5~`;
    expect(only(runX12('309', air).events).express).toBe(false);
    expect(only(runX12('309', air, partner({ shipment: { expressCarriers: ['QAIR'] } })).events).express).toBe(
      true,
    );
  },
  'shipment.billTypes': () => {
    const modeCode = { truck: 'J', rail: 'R', ocean: 'O', air: 'A' } as const;
    const body = (mode: keyof typeof modeCode, code: string) =>
      `M10*${mode === 'air' ? '020' : 'ACME'}*${modeCode[mode]}~P4*3004*20250915~LX*1~M11*${mode === 'air' ? '02012345675' : 'B1'}********${code}~N1*CN*Jane~N10*1*A**HS*1*5~`;
    for (const [mode, table] of Object.entries(DEFAULT_INBOUND_PROFILE.shipment.billTypes)) {
      for (const [code, type] of Object.entries(table ?? {}))
        expect(only(runX12('309', body(mode as keyof typeof modeCode, code)).events).shipmentType).toBe(type);
    }
    // A bill type is read with the manifest's mode: rail's 23 is not a truck code.
    expect(only(runX12('309', body('truck', '23')).events).shipmentType).toBe('other');
    const over = partner({ shipment: { billTypes: { truck: { '13': null, '24': 'S321' } } } });
    expect(only(runX12('309', body('truck', '24'), over).events).shipmentType).toBe('S321');
    expect(only(runX12('309', body('truck', '13'), over).events).shipmentType).toBe('other');
  },
  'shipment.entryTypes': () => {
    const body = (type: string) => `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*ET*${type}~N1*CN*Jane~`;
    expect(only(runX12('309', body('86')).events).shipmentType).toBe('ET86');
    expect(only(runX12('309', body('11')).events).shipmentType).toBe('other');
    expect(
      only(runX12('309', body('11'), partner({ shipment: { entryTypes: { '11': 'ET86' } } })).events)
        .shipmentType,
    ).toBe('ET86');
  },
  consigneeRoles: () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*UC*Ultimate~N1*CN*Nominal~N10*1*A**HS*1*5~`;
    expect(only(runX12('309', body).events).consignee).toMatchObject({ role: 'CN', name: 'Nominal' });
    expect(
      only(runX12('309', body, partner({ consigneeRoles: ['ultimateConsignee', 'consignee'] })).events)
        .consignee,
    ).toMatchObject({ role: 'UC', name: 'Ultimate' });
    // UC is used when no CN is sent.
    expect(only(runX12('309', body.replace('N1*CN*Nominal~', '')).events).consignee?.role).toBe('UC');
  },
  'partyRoles.x12': () => {
    const body = (code: string) =>
      `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Nominal~N1*${code}*Party X*ZZ*PX1~N10*1*A**HS*1*5~`;
    const roles = DEFAULT_INBOUND_PROFILE.partyRoles.x12;
    const observe = (ev: ShipmentEvent) => ({
      consignee: ev.consignee?.name,
      broker: ev.brokerId,
      unmapped: ev.unmapped,
    });
    const expected: Record<string, unknown> = {
      // ACE aggregates on CN: a UC sent beside it is not the consignee.
      ultimateConsignee: { consignee: 'Nominal', broker: undefined, unmapped: [] },
      consignee: { consignee: 'Nominal', broker: undefined, unmapped: [] }, // first CN wins
      broker: { consignee: 'Nominal', broker: 'PX1', unmapped: [] },
      shipper: { consignee: 'Nominal', broker: undefined, unmapped: [] },
    };
    for (const [code, role] of Object.entries(roles))
      expect(observe(only(runX12('309', body(code)).events))).toEqual(expected[role]);
    expect(observe(only(runX12('309', body('ZC')).events))).toEqual({
      consignee: 'Nominal',
      broker: undefined,
      unmapped: ['N1*ZC'],
    });
    const zc = only(
      runX12('309', body('ZC'), partner({ partyRoles: { x12: { ZC: 'consignee', CN: null } } })).events,
    );
    expect([zc.consignee?.name, zc.unmapped]).toEqual(['Party X', ['N1*CN']]);
  },
  'partyRoles.edifact': () => {
    const roles = DEFAULT_INBOUND_PROFILE.partyRoles.edifact;
    const body = (code: string) =>
      `${HEAD}CNI+1'RFF+BM:B1'NAD+CN+++Jane Doe'NAD+${code}+PX1++Party X'MOA+40:1:USD'`;
    const observe = (ev: ShipmentEvent) => ({
      consignee: ev.consignee?.name,
      broker: ev.brokerId,
      unmapped: ev.unmapped,
    });
    const expected: Record<string, unknown> = {
      ultimateConsignee: { consignee: 'Jane Doe', broker: undefined, unmapped: [] },
      consignee: { consignee: 'Jane Doe', broker: undefined, unmapped: [] },
      broker: { consignee: 'Jane Doe', broker: 'PX1', unmapped: [] },
      shipper: { consignee: 'Jane Doe', broker: undefined, unmapped: [] },
      carrier: { consignee: 'Jane Doe', broker: undefined, unmapped: [] },
    };
    for (const [code, role] of Object.entries(roles))
      expect(observe(cnEvent(body(code)))).toEqual(expected[role]);
    // The carrier role is read in the header: it names the carrier SCAC.
    const carrierCode = Object.entries(roles).find(([, r]) => r === 'carrier')?.[0] ?? '';
    expect(
      cnEvent(`${HEAD.replace("NAD+CA+ACME'", `NAD+${carrierCode}+ZZZZ'`)}CNI+1'RFF+BM:B1'${CN}`).carrierScac,
    ).toBe('ZZZZ');
    expect(
      cnEvent(
        `${HEAD.replace('NAD+CA+', 'NAD+MS+')}CNI+1'RFF+BM:B1'${CN}`,
        partner({ partyRoles: { edifact: { MS: 'carrier' } } }),
      ).carrierScac,
    ).toBe('ACME');
  },
  dispositions: () => {
    for (const [code, meaning] of Object.entries(DEFAULT_INBOUND_PROFILE.dispositions)) {
      const ev = only(runX12('350', `M10*ACME*J~X4*B1****20250916*0745*${code}~`).events);
      expect([ev.disposition, ev.arrivalDate !== undefined]).toEqual([code, meaning === 'arrived']);
    }
    const over = partner({ dispositions: { A1: 'arrived' } });
    expect(only(runX12('350', `M10*ACME*J~X4*B1****20250916*0745*A1~`, over).events).arrivalDate).toBe(
      '2025-09-16',
    );
  },
  timeZones: () => {
    for (const [zone, minutes] of Object.entries(DEFAULT_INBOUND_PROFILE.timeZones)) {
      const ev = only(runEdifact('CUSRES', `NAD+CA+ACME'RFF+BM:B1'DTM+178:202507151200${zone}:303'`).events);
      // July: New York is UTC-4 (240 minutes behind UTC).
      const eastern = 12 * 60 - minutes - 240;
      const dayShift = Math.floor(eastern / 1440);
      const m = ((eastern % 1440) + 1440) % 1440;
      expect([ev.arrivalDate, ev.arrivalTime]).toEqual([
        `2025-07-${15 + dayShift}`,
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
      ]);
    }
    const over = partner({ timeZones: { IST: 330 } });
    expect(
      only(runEdifact('CUSRES', `NAD+CA+ACME'RFF+BM:B1'DTM+178:202507151200IST:303'`, over).events)
        .arrivalTime,
    ).toBe('02:30');
  },
  arrivalTimeZone: () => {
    const body = `NAD+CA+ACME'RFF+BM:B1'DTM+178:202507151200UTC:303'`;
    expect(only(runEdifact('CUSRES', body).events).arrivalTime).toBe('08:00');
    expect(
      only(runEdifact('CUSRES', body, partner({ arrivalTimeZone: 'America/Los_Angeles' })).events)
        .arrivalTime,
    ).toBe('05:00');
    expect(parseInboundProfile({ ...DEFAULT_INBOUND_PROFILE, arrivalTimeZone: 'Mars/Olympus' }).ok).toBe(
      false,
    );
  },
  'air.checkDigit': () => {
    const body = `M10*020*A~X4*02012345670~`;
    expect(runX12('350', body).issues.map((i) => i.code)).toEqual(['NORMALIZE_AWB_CHECK_DIGIT']);
    expect(runX12('350', body, partner({ air: { checkDigit: false } })).issues).toEqual([]);
  },
  entryNumberPattern: () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*ET*86~N9*EN*12345678901~N1*CN*Jane~`;
    expect(runX12('309', body).issues.map((i) => i.code)).toEqual([]);
    expect(
      runX12('309', body, partner({ entryNumberPattern: '^[A-Z]{3}[0-9]{8}$' })).issues.map((i) => i.code),
    ).toEqual(['NORMALIZE_ENTRY_NUMBER_FORMAT']);
  },
  'x12.309.functionalIds': () => {
    expect(
      runX12('309', 'M10*ACME*J~', x12('309', { functionalIds: ['ZZ'] })).issues.map((i) => i.code),
    ).toContain('NORMALIZE_FUNCTIONAL_ID_MISMATCH');
    // CBP's ocean 309 guides use group SO.
    expect(
      runX12('309', 'M10*ACME*O~', { msg: { functionalId: 'SO' } }).issues.map((i) => i.code),
    ).not.toContain('NORMALIZE_FUNCTIONAL_ID_MISMATCH');
    expect(runX12('309', 'M10*ACME*J~').issues.map((i) => i.code)).not.toContain(
      'NORMALIZE_FUNCTIONAL_ID_MISMATCH',
    );
  },
  'x12.309.actions': () => {
    for (const [code, kind] of Object.entries(P309.actions)) {
      expect(
        only(runX12('309', `M10*ACME*J~P4*3004*20250915~LX*1~M13*A*B*${code}~M11*B1~N1*CN*Jane~`).events)
          .kind,
      ).toBe(kind);
    }
    expect(
      only(
        runX12(
          '309',
          `M10*ACME*J~P4*3004*20250915~LX*1~M13*A*B*R~M11*B1~N1*CN*Jane~`,
          x12('309', { actions: { R: 'amended' } }),
        ).events,
      ).kind,
    ).toBe('amended');
  },
  'x12.309.defaultAction': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~`;
    expect(only(runX12('309', body).events).kind).toBe('declared');
    expect(only(runX12('309', body, x12('309', { defaultAction: 'C' })).events).kind).toBe('amended');
  },
  'x12.309.n9.shipmentTypeQualifiers': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*SP*S321~N1*CN*Jane~`;
    expect(only(runX12('309', body).events).shipmentType).toBe('other');
    const dialect = partner({
      shipment: { markers: { S321: 'S321' } },
      x12: { '309': { n9: { shipmentTypeQualifiers: ['SP'] } } },
    });
    expect(only(runX12('309', body, dialect).events).shipmentType).toBe('S321');
  },
  'x12.309.n9.entryTypeQualifiers': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*7E*86~N1*CN*Jane~`;
    expect(only(runX12('309', body).events).shipmentType).toBe('other');
    expect(
      only(runX12('309', body, x12('309', { n9: { entryTypeQualifiers: ['7E'] } })).events).shipmentType,
    ).toBe('ET86');
  },
  'x12.309.residue.billTypes': () => {
    const body = `M10*CPRS*R~P4*0712*20250915~LX*1~M11*B1********23~N1*CN*Grain Co~N4*Plattsburgh*NY*12901*US~N10*1*RESIDUE**HS*1*250~`;
    expect(only(runX12('309', body).rejected).issues.map((i) => i.code)).toEqual(['NORMALIZE_RESIDUE_VALUE']);
    expect(only(runX12('309', body, x12('309', { residue: { billTypes: [] } })).events).shipmentType).toBe(
      'S321',
    );
  },
  'x12.309.residue.billQualifiers': () => {
    const body = `M10*CPRS*R~P4*0712*20250915~LX*1~M11*B1********23~N9*ZF*R1~N1*CN*Grain Co~N10*1*R**HS*1*5~`;
    expect(only(runX12('309', body).events).unmapped).toEqual([]);
    expect(
      only(runX12('309', body, x12('309', { residue: { billQualifiers: ['ZX'] } })).events).unmapped,
    ).toEqual(['N9*ZF']);
  },
  'x12.309.residue.maxValueCents': () => {
    const body = `M10*CPRS*R~P4*0712*20250915~LX*1~M11*B1********23~N1*CN*Grain Co~N10*1*R**HS*1*200.01~`;
    expect(runX12('309', body).events).toEqual([]);
    expect(
      only(runX12('309', body, x12('309', { residue: { maxValueCents: 30000 } })).events).value?.usdCents,
    ).toBe(20001);
  },
  'x12.309.n9.entryQualifiers': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*7G*XYZ12345678~N1*CN*Jane~`;
    expect(only(runX12('309', body).events).entryNumber).toBeUndefined();
    expect(
      only(runX12('309', body, x12('309', { n9: { entryQualifiers: ['7G'] } })).events).entryNumber,
    ).toBe('XYZ12345678');
  },
  'x12.309.n10.htsQualifiers': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~N10*1*A**TS*6109100010~`;
    expect(only(runX12('309', body).events).hts).toEqual([]);
    expect(only(runX12('309', body, x12('309', { n10: { htsQualifiers: ['TS'] } })).events).hts).toEqual([
      '6109100010',
    ]);
  },
  'x12.309.ignoredSegments': () => {
    const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~N10*1*A**HS*1*5~VID*TL*A*1~`;
    expect(only(runX12('309', body).events).unmapped).toEqual(['VID']);
    expect(only(runX12('309', body, x12('309', { ignoredSegments: ['VID'] })).events).unmapped).toEqual([]);
  },
  'x12.350.functionalIds': () => {
    expect(
      runX12('350', 'M10*ACME*J~', x12('350', { functionalIds: ['AR'] })).issues.map((i) => i.code),
    ).toContain('NORMALIZE_FUNCTIONAL_ID_MISMATCH');
    expect(
      runX12('350', 'M10*ACME*J~', {
        ...x12('350', { functionalIds: ['AR'] }),
        msg: { functionalId: 'AR' },
      }).issues.map((i) => i.code),
    ).not.toContain('NORMALIZE_FUNCTIONAL_ID_MISMATCH');
  },
  'x12.350.ignoredSegments': () => {
    const body = `M10*ACME*J~X4*B1~N9*BM*B1~`;
    expect(only(runX12('350', body).events).unmapped).toEqual(['N9*BM']);
    expect(only(runX12('350', body, x12('350', { ignoredSegments: ['N9'] })).events).unmapped).toEqual([]);
  },
  'edifact.CUSCAR.messageFunctions': () => {
    for (const [code, kind] of Object.entries(DEFAULT_INBOUND_PROFILE.edifact.CUSCAR.messageFunctions)) {
      expect(cnEvent(`${HEAD.replace('+M1+9', `+M1+${code}`)}CNI+1'RFF+BM:B1'${CN}`).kind).toBe(kind);
    }
    expect(
      cnEvent(
        `${HEAD.replace('+M1+9', '+M1+47')}CNI+1'RFF+BM:B1'${CN}`,
        cuscar({ messageFunctions: { '47': 'amended' } }),
      ).kind,
    ).toBe('amended');
  },
  'edifact.CUSCAR.cniActions': () => {
    for (const [code, kind] of Object.entries(DEFAULT_INBOUND_PROFILE.edifact.CUSCAR.cniActions)) {
      expect(cnEvent(`${HEAD}CNI+1+:${code}'RFF+BM:B1'${CN}`).kind).toBe(kind);
    }
    // The CNI action wins over the message function; an unknown one rejects that consignment.
    expect(cnEvent(`${HEAD.replace('+M1+9', '+M1+5')}CNI+1+:23'RFF+BM:B1'${CN}`).kind).toBe('declared');
    const body = `${HEAD}CNI+1+:25'RFF+BM:B1'${CN}`;
    expect(only(runEdifact('CUSCAR', body).rejected).issues.map((i) => i.code)).toEqual([
      'NORMALIZE_UNKNOWN_ACTION',
    ]);
    expect(cnEvent(body, cuscar({ cniActions: { '25': 'amended' } })).kind).toBe('amended');
  },
  'edifact.CUSCAR.cniAction': () => {
    const body = `${HEAD}CNI+1+24:23'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).kind).toBe('declared');
    expect(cnEvent(body, cuscar({ cniAction: [2, 1] })).kind).toBe('amended');
  },
  'edifact.CUSCAR.declarationTypes': () => {
    for (const [code, type] of Object.entries(DEFAULT_INBOUND_PROFILE.edifact.CUSCAR.declarationTypes)) {
      expect(cnEvent(`${HEAD}CNI+1+:23'DOC+929:::${code}'RFF+BM:B1'${CN}`).shipmentType).toBe(type);
    }
    const body = `${HEAD}CNI+1+:23'DOC+929:::61'RFF+BM:B1'${CN}`;
    expect([cnEvent(body).shipmentType, cnEvent(body).unmapped]).toEqual(['other', ['DOC+929:::61']]);
    expect(cnEvent(body, cuscar({ declarationTypes: { '61': 'S321' } })).shipmentType).toBe('S321');
  },
  'edifact.CUSCAR.declarationDocuments': () => {
    const body = `${HEAD}CNI+1+:23'DOC+714:::13'RFF+BM:B1'${CN}`;
    expect([cnEvent(body).shipmentType, cnEvent(body).unmapped]).toEqual(['other', ['DOC+714']]);
    expect(cnEvent(body, cuscar({ declarationDocuments: ['714'] })).shipmentType).toBe('S321');
  },
  'edifact.CUSCAR.declarationType': () => {
    const body = `${HEAD}CNI+1+:23'DOC+929:13'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).shipmentType).toBe('other');
    expect(cnEvent(body, cuscar({ declarationType: [1, 2] })).shipmentType).toBe('S321');
  },
  'edifact.CUSCAR.declarationNumber': () => {
    const body = `${HEAD}CNI+1+:23'DOC+929:::86+:XYZ12345678'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).entryNumber).toBeUndefined();
    expect(cnEvent(body, cuscar({ declarationNumber: [2, 2] })).entryNumber).toBe('XYZ12345678');
  },
  'edifact.CUSCAR.defaultFunction': () => {
    const body = `${HEAD.replace('+M1+9', '+M1')}CNI+1'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).kind).toBe('declared');
    expect(cnEvent(body, cuscar({ defaultFunction: '5' })).kind).toBe('amended');
  },
  'edifact.CUSCAR.bgmFunction': () => {
    const body = `${HEAD.replace('+M1+9', '+M1+9:5')}CNI+1'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).kind).toBe('declared');
    expect(cnEvent(body, cuscar({ bgmFunction: [3, 2] })).kind).toBe('amended');
  },
  'edifact.CUSCAR.tdtMode': () => {
    const body = `${HEAD.replace('TDT+20+T1+3', 'TDT+20+T1+3:1')}CNI+1'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).mode).toBe('truck');
    expect(cnEvent(body, cuscar({ tdtMode: [3, 2] })).mode).toBe('ocean');
  },
  'edifact.CUSCAR.portLocationQualifiers': () => {
    const body = `${HEAD.replace('LOC+60', 'LOC+22')}CNI+1'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).port).toBeUndefined();
    expect(cnEvent(body, cuscar({ portLocationQualifiers: ['22'] })).port).toBe('3004');
  },
  'edifact.CUSCAR.edaDateQualifiers': () => {
    const body = `${HEAD.replace('DTM+132', "DTM+132:20250916:102'DTM+17")}CNI+1'RFF+BM:B1'${CN}`;
    expect(cnEvent(body).eda).toBe('2025-09-16');
    expect(cnEvent(body, cuscar({ edaDateQualifiers: ['17'] })).eda).toBe('2025-09-15');
  },
  'edifact.CUSCAR.billQualifiers': () => {
    const body = `${HEAD}CNI+1'RFF+AAM:A1'RFF+BM:B1'RFF+BN:N1'${CN}`;
    // The shipment control number (RFF+AAM) is the key ACE's statuses use.
    expect(cnEvent(body).bill.scn).toBe('A1');
    expect(cnEvent(body, cuscar({ billQualifiers: ['BM', 'AAM'] })).bill.scn).toBe('B1');
    expect(cnEvent(body, cuscar({ billQualifiers: ['BN'] })).bill.scn).toBe('N1');
  },
  'edifact.CUSCAR.airMasterQualifiers': () => {
    const body = `${HEAD.replace('T1+3', 'T1+4')}CNI+1'RFF+BM:02012345675'RFF+MAWB:02099999996'${CN}`;
    expect(cnEvent(body).bill.key).toBe('020/12345675');
    expect(cnEvent(body, cuscar({ airMasterQualifiers: ['MAWB'] })).bill.key).toBe('020/99999996');
  },
  'edifact.CUSCAR.airHouseQualifiers': () => {
    const body = `${HEAD.replace('T1+3', 'T1+4')}CNI+1'RFF+BM:02012345675'RFF+HAWB:H1'${CN}`;
    expect(cnEvent(body).bill.key).toBe('020/12345675');
    expect(cnEvent(body, cuscar({ airHouseQualifiers: ['HAWB'] })).bill.key).toBe('020/12345675/H1');
  },
  'edifact.CUSCAR.entryQualifiers': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'RFF+ENT:XYZ12345678'${CN}`;
    expect(cnEvent(body).entryNumber).toBeUndefined();
    expect(cnEvent(body, cuscar({ entryQualifiers: ['ENT'] })).entryNumber).toBe('XYZ12345678');
  },
  'edifact.CUSCAR.valueQualifiers': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'NAD+CN+++Jane Doe'MOA+44:12:USD'`;
    expect(cnEvent(body).value).toBeUndefined();
    expect(cnEvent(body, cuscar({ valueQualifiers: ['44'] })).value?.usdCents).toBe(1200);
  },
  'edifact.CUSCAR.originLocationQualifiers': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'${CN}LOC+35+CN'`;
    expect(cnEvent(body).origins).toEqual([]);
    expect(cnEvent(body, cuscar({ originLocationQualifiers: ['35'] })).origins).toEqual(['CN']);
  },
  'edifact.CUSCAR.htsItemTypes': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'${CN}PIA+5+6109100010:TSU'`;
    expect(cnEvent(body).hts).toEqual([]);
    expect(cnEvent(body, cuscar({ htsItemTypes: ['TSU'] })).hts).toEqual(['6109100010']);
  },
  'edifact.CUSCAR.descriptionTextQualifiers': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'${CN}FTX+AAB+++SHIRTS'`;
    expect(cnEvent(body).description).toBeUndefined();
    expect(cnEvent(body, cuscar({ descriptionTextQualifiers: ['AAB'] })).description).toBe('SHIRTS');
  },
  'edifact.CUSCAR.scacPrefix.minLength': () => {
    const body = `${HEAD}CNI+1'RFF+BM:LOCK1234'${CN}`;
    expect(cnEvent(body).bill.issuer).toBe('ACME');
    expect(cnEvent(body, cuscar({ scacPrefix: { minLength: 8 } })).bill.issuer).toBe('LOCK');
  },
  'edifact.CUSCAR.scacPrefix.scacLength': () => {
    const body = `${HEAD}CNI+1'RFF+BM:LOC123456789'${CN}`;
    expect(cnEvent(body).bill.issuer).toBe('ACME');
    expect(cnEvent(body, cuscar({ scacPrefix: { scacLength: 3 } })).bill.issuer).toBe('LOC');
  },
  'edifact.CUSCAR.ignoredSegments': () => {
    const body = `${HEAD}CNI+1'RFF+BM:B1'${CN}GID+1'PAC+2'`;
    expect(cnEvent(body).unmapped).toEqual(['PAC']);
    expect(cnEvent(body, cuscar({ ignoredSegments: ['GID', 'PAC'] })).unmapped).toEqual([]);
  },
  'edifact.CUSRES.billQualifiers': () => {
    const body = `NAD+CA+ACME'RFF+AAM:ACMEB1234567'RFF+BM:X1'ERC+SN053'`;
    expect(only(runEdifact('CUSRES', body).events).bill.scn).toBe('ACMEB1234567');
    expect(only(runEdifact('CUSRES', body, cusres({ billQualifiers: ['BM'] })).events).bill.scn).toBe('X1');
  },
  'edifact.CUSRES.shipmentDocuments': () => {
    const body = `NAD+CA+ACME'DOC+929:::13'RFF+AAM:ACMEB1234567'DOC+929:::13'ERC+SN053'`;
    const out = runEdifact('CUSRES', body);
    expect([out.events.length, out.rejected.map((r) => r.issues[0]?.code)]).toEqual([
      1,
      ['NORMALIZE_MISSING_BILL'],
    ]);
    const over = runEdifact('CUSRES', body, cusres({ shipmentDocuments: ['930'] }));
    expect([over.rejected, only(over.events).unmapped]).toEqual([[], ['DOC+929']]);
  },
  'edifact.CUSRES.statusDateQualifiers': () => {
    const body = `NAD+CA+ACME'ERC+SN030'DTM+163:202509160745:203'RFF+AAM:B1'ERC+SN053'`;
    expect(only(runEdifact('CUSRES', body).events).arrivalDate).toBe('2025-09-16');
    expect(
      only(runEdifact('CUSRES', body, cusres({ statusDateQualifiers: ['999'] })).events).arrivalDate,
    ).toBeUndefined();
  },
  'edifact.CUSRES.arrivalDateQualifiers': () => {
    const body = `NAD+CA+ACME'RFF+BM:B1'DTM+232:202509160745:203'`;
    expect(only(runEdifact('CUSRES', body).events).arrivalDate).toBeUndefined();
    expect(
      only(runEdifact('CUSRES', body, cusres({ arrivalDateQualifiers: ['232'] })).events).arrivalDate,
    ).toBe('2025-09-16');
  },
  'edifact.CUSRES.defaultMode': () => {
    const body = `NAD+CA+ACME'RFF+BM:B1'`;
    expect(only(runEdifact('CUSRES', body).events).mode).toBe('truck');
    expect(only(runEdifact('CUSRES', body, cusres({ defaultMode: 'rail' })).events).mode).toBe('rail');
  },
  'edifact.CUSRES.ignoredSegments': () => {
    const body = `NAD+CA+ACME'RFF+BM:B1'QTY+1'`;
    expect(only(runEdifact('CUSRES', body).events).unmapped).toEqual(['QTY+1']);
    expect(only(runEdifact('CUSRES', body, cusres({ ignoredSegments: ['QTY'] })).events).unmapped).toEqual(
      [],
    );
  },
};

// Element positions: moved to element 20 with the profile told so, the events do not change.
for (const [group, fields] of Object.entries({
  m10: P309.m10,
  p4: P309.p4,
  m13: P309.m13,
  m11: P309.m11,
  n1: P309.n1,
})) {
  for (const field of Object.keys(fields))
    cases[`x12.309.${group}.${field}`] = positionCase('309', [group, field]);
}
for (const field of ['qualifier', 'value'] as const)
  cases[`x12.309.n9.${field}`] = positionCase('309', ['n9', field]);
for (const field of [
  'quantity',
  'description',
  'htsQualifier',
  'hts',
  'value',
  'origin',
  'currency',
] as const) {
  cases[`x12.309.n10.${field}`] = positionCase('309', ['n10', field]);
}
for (const field of Object.keys(P350.x4)) cases[`x12.350.x4.${field}`] = positionCase('350', ['x4', field]);

describe('every inbound profile field', () => {
  for (const [path, run] of Object.entries(cases)) it(path, run);

  it('has a case for every field of the default profile', () => {
    const codeMaps = new Set([
      'modes.x12',
      'modes.edifact',
      'shipment.markers',
      'shipment.billTypes',
      'shipment.entryTypes',
      'edifact.CUSCAR.cniActions',
      'edifact.CUSCAR.declarationTypes',
      'partyRoles.x12',
      'partyRoles.edifact',
      'dispositions',
      'timeZones',
      'x12.309.actions',
      'edifact.CUSCAR.messageFunctions',
    ]);
    const skip = new Set(['$schema', 'version', 'description', 'notes', 'partners']);
    const leaves: string[] = [];
    const walk = (value: unknown, path: string[]) => {
      const key = path.join('.');
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && !codeMaps.has(key)) {
        for (const [k, v] of Object.entries(value))
          if (!(path.length === 0 && skip.has(k))) walk(v, [...path, k]);
      } else leaves.push(key);
    };
    walk(DEFAULT_INBOUND_PROFILE, []);
    expect([...leaves].sort()).toEqual(Object.keys(cases).sort());
  });
});
