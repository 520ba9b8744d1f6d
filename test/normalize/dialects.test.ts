/**
 * Partner dialects: the companion guide's markers (N9*ZZ*S321, GIS+S321, UC before CN, 1C as
 * arrival) are read only for a sender the dialect is assigned to; everyone else gets CBP's layouts.
 */
import { describe, expect, it } from 'vitest';
import { inboundProfileWithDialects } from '../../src/app/normalizers.js';
import {
  DEFAULT_INBOUND_PROFILE,
  parseDialectAssignment,
  withDialects,
} from '../../src/core/profiles/index.js';
import { only, runEdifact, runX12 } from './support.js';

const LX =
  'M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N9*ZZ*S321~N9*ZZ*EXP~N1*UC*Person~N1*CN*Forwarder~N10*1*A**HS*1*5~';

describe('partner dialects', () => {
  const profile = inboundProfileWithDialects(['ACMETRUCK=s321-companion']);

  it('the default profile does not read the companion markers', () => {
    const ev = only(runX12('309', LX).events);
    expect([ev.shipmentType, ev.express, ev.consignee?.name, ev.unmapped]).toEqual([
      'other',
      false,
      'Forwarder',
      ['N9*ZZ'],
    ]);
  });

  it('the assigned sender is read with the dialect; another sender is not', () => {
    const ev = only(runX12('309', LX, { ctx: { profile } }).events);
    expect([ev.shipmentType, ev.express, ev.consignee?.name]).toEqual(['S321', true, 'Person']);
    const other = only(runX12('309', LX, { ctx: { profile }, ic: { senderId: 'OTHERCO        ' } }).events);
    expect(other.shipmentType).toBe('other');
    const gis = only(
      runEdifact(
        'CUSCAR',
        "BGM+85+M1+9'DTM+132:20250915:102'NAD+CA+ACME'TDT+20+T1+3'CNI+1'RFF+BM:B1'GIS+S321'NAD+CN+++Jane'MOA+40:1:USD'",
        { ctx: { profile } },
      ).events,
    );
    expect(gis.shipmentType).toBe('S321');
    // formats.md read 1C as the arrival.
    expect(
      only(runX12('350', 'M10*ACME*J~X4*B1****20250916*0745*1C~', { ctx: { profile } }).events).arrivalDate,
    ).toBe('2025-09-16');
  });

  it('names what is wrong with an assignment', () => {
    expect(parseDialectAssignment('QUICKAIR=s321-companion')).toEqual({
      sender: 'QUICKAIR',
      dialect: 's321-companion',
    });
    expect(parseDialectAssignment('QUICKAIR')).toBeUndefined();
    expect(parseDialectAssignment('=x')).toBeUndefined();
    const unknown = withDialects(DEFAULT_INBOUND_PROFILE, [{ sender: 'X', dialect: 'nope' }]);
    expect(unknown.ok).toBe(false);
    expect(() => inboundProfileWithDialects(['X'])).toThrow(/SENDER=NAME/);
    expect(() => inboundProfileWithDialects(['X=nope'])).toThrow(/not shipped/);
  });
});
