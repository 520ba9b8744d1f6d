/** Lookup helpers the normalizers use on every segment: profile code tables and tag codes. */
import { describe, expect, it } from 'vitest';
import { tagCode } from '../../src/core/normalize/tag-code.js';
import { codeTables } from '../../src/core/profiles/code-tables.js';
import { DEFAULT_INBOUND_PROFILE, profileForSender } from '../../src/core/profiles/index.js';
import { profileWith } from './support.js';

describe('codeTables', () => {
  const body = profileForSender(DEFAULT_INBOUND_PROFILE, { senderQualifier: 'ZZ', senderId: 'X' });

  it('answers like an own-key lookup on the profile objects', () => {
    const t = codeTables(body);
    const probes = [
      'CN',
      'UC',
      'CB',
      'SH',
      'CA',
      'ZZ',
      '',
      'constructor',
      '__proto__',
      'toString',
      'S321',
      'A',
      '9',
      '13',
      '23',
      '86',
      'truck',
    ];
    const own = <V>(o: Readonly<Record<string, V>>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
    for (const k of probes) {
      expect(t.x12Roles.get(k)).toBe(own(body.partyRoles.x12, k));
      expect(t.edifactRoles.get(k)).toBe(own(body.partyRoles.edifact, k));
      expect(t.shipmentTypes.get(k)).toBe(own(body.shipment.markers, k));
      expect(t.entryTypes.get(k)).toBe(own(body.shipment.entryTypes, k));
      expect(t.cniActions.get(k)).toBe(own(body.edifact.CUSCAR.cniActions, k));
      expect(t.declarationTypes.get(k)).toBe(own(body.edifact.CUSCAR.declarationTypes, k));
      for (const [mode, table] of Object.entries(body.shipment.billTypes))
        expect(t.billTypes.get(mode)?.get(k)).toBe(own(table ?? {}, k));
      expect(t.x12Actions.get(k)).toBe(own(body.x12['309'].actions, k));
      expect(t.cuscarFunctions.get(k)).toBe(own(body.edifact.CUSCAR.messageFunctions, k));
    }
    const c = body.edifact.CUSCAR;
    for (const q of [...c.billQualifiers, ...c.airMasterQualifiers, ...c.airHouseQualifiers])
      expect(t.cuscarBillRefs.has(q)).toBe(true);
    expect(t.cuscarBillRefs.has('ABT')).toBe(false);
  });

  it('is built per resolved profile (a partner override has its own tables)', () => {
    const profile = profileWith({ P1: { partyRoles: { x12: { ZC: 'consignee' } } } });
    const partner = profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'P1' });
    expect(codeTables(partner).x12Roles.get('ZC')).toBe('consignee');
    expect(codeTables(body).x12Roles.get('ZC')).toBeUndefined();
    expect(codeTables(partner)).toBe(codeTables(partner));
  });
});

describe('tagCode', () => {
  it('gives distinct codes to distinct 2- and 3-character ASCII tags', () => {
    const seen = new Map<number, string>();
    const chars = 'AZ09N1 *\u0000\u007f';
    for (const a of chars)
      for (const b of chars)
        for (const c of ['', ...chars]) {
          const tag = a + b + c;
          const code = tagCode(tag);
          if (code === -1) continue;
          expect(seen.get(code) ?? tag).toBe(tag);
          seen.set(code, tag);
        }
    expect(tagCode('LX')).not.toBe(tagCode('LX\u0000'));
  });

  it('gives -1 to other tags, so they match no case', () => {
    for (const tag of ['', 'N', 'N10X', 'NÉ', 'N1\u0100', '\uff2e1']) expect(tagCode(tag)).toBe(-1);
  });
});
