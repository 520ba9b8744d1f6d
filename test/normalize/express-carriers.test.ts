/**
 * Express consignment carriers: no CBP manifest element marks an express consignment, so the
 * operator lists its express carriers (config `inbound.expressCarriers`, --express-carrier) and their
 * AIR shipments are express (they get the 098 warning); other modes and other carriers are not.
 */
import { describe, expect, it } from 'vitest';
import { inboundProfileWithDialects } from '../../src/app/normalizers.js';
import { only, runEdifact, runX12 } from './support.js';

const airLx = (carrier: string, mode = 'A') =>
  `M10*${carrier}*${mode}*US*1*QA 123*QA123~P4*JFK*20250916***0610~LX*1~M11*HAWB7781*57035*1*PCS*2*K***13**020-12345675~N1*CN*JANE Q DOE~N3*12 NORTH AVENUE~N4*BUFFALO*NY*14201*US~N10*1*SNEAKERS**HS*6404110000*89.00*****VN~`;

describe('express consignment carriers', () => {
  const profile = inboundProfileWithDialects([], ['QAIR']);

  it('the default profile marks no air shipment express', () => {
    expect(only(runX12('309', airLx('QAIR')).events).express).toBe(false);
  });

  it("a listed carrier's air shipment is express; another carrier's is not", () => {
    const listed = only(runX12('309', airLx('QAIR'), { ctx: { profile } }).events);
    expect([listed.mode, listed.shipmentType, listed.express]).toEqual(['air', 'S321', true]);
    expect(only(runX12('309', airLx('OTHR'), { ctx: { profile } }).events).express).toBe(false);
  });

  it("a listed carrier's truck shipment is not express (the 098 warning is an air notice)", () => {
    const truck = only(
      runX12('309', 'M10*QAIR*J~P4*3004*20250915~LX*1~M11*B1*****K***13~N1*CN*Jane~N10*1*A**HS*1*5~', {
        ctx: { profile },
      }).events,
    );
    expect([truck.mode, truck.express]).toEqual(['truck', false]);
  });

  it('a listed carrier on an air CUSCAR is express', () => {
    const ev = only(
      runEdifact(
        'CUSCAR',
        "BGM+85+M1+9'DTM+132:20250915:102'LOC+60+4701'NAD+CA+QAIR::172'TDT+20+QA123+4'CNI+1+:23'DOC+929:::13'RFF+AAM:02012345675'NAD+CN+++Jane+1 Main St+Buffalo+NY+14201+US'MOA+40:5:USD'",
        { ctx: { profile } },
      ).events,
    );
    expect([ev.mode, ev.carrierScac, ev.express]).toEqual(['air', 'QAIR', true]);
  });

  it('a blank or padded carrier code is refused, not silently unmatched', () => {
    expect(() => inboundProfileWithDialects([], [' QAIR'])).toThrow(/--express-carrier/);
    expect(() => inboundProfileWithDialects([], [''])).toThrow(/--express-carrier/);
  });
});
