import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DEFAULT_INBOUND_PROFILE,
  deepMerge,
  InboundProfileSchema,
  parseInboundProfile,
  profileForSender,
  withPartnerOverrides,
} from '../../src/core/profiles/index.js';
import { only, runX12 } from './support.js';

const schemaFile = new URL('../../schemas/profiles/inbound-profile.schema.json', import.meta.url);
const defaultFile = new URL('../../schemas/profiles/inbound-default.json', import.meta.url);

describe('inbound profile', () => {
  it('the shipped default validates and carries a version', () => {
    const parsed = parseInboundProfile(JSON.parse(readFileSync(defaultFile, 'utf8')));
    expect(parsed.ok).toBe(true);
    expect(DEFAULT_INBOUND_PROFILE.version).toMatch(/\S/);
  });

  it('schemas/profiles/inbound-profile.schema.json is generated from the zod schema (UPDATE_GOLDEN=1 rewrites)', () => {
    const generated = `${JSON.stringify(z.toJSONSchema(InboundProfileSchema, { io: 'input' }), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(schemaFile, generated);
    expect(readFileSync(schemaFile, 'utf8')).toBe(generated);
  });

  it('refuses unknown keys, bad positions and unknown meanings, with paths', () => {
    const bad = deepMerge(DEFAULT_INBOUND_PROFILE, { x12: { '309': { m11: { isuer: 12 } } } });
    const r1 = parseInboundProfile(bad);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.errors.join()).toMatch(/x12\.309\.m11/);
    expect(
      parseInboundProfile(deepMerge(DEFAULT_INBOUND_PROFILE, { x12: { '350': { x4: { bill: 0 } } } })).ok,
    ).toBe(false);
    expect(
      parseInboundProfile(deepMerge(DEFAULT_INBOUND_PROFILE, { modes: { x12: { J: 'hovercraft' } } })).ok,
    ).toBe(false);
    expect(
      parseInboundProfile(deepMerge(DEFAULT_INBOUND_PROFILE, { dispositions: { '1C': 'maybe' } })).ok,
    ).toBe(false);
  });

  it('validates every partner override merged over the table', () => {
    const r = parseInboundProfile({
      ...DEFAULT_INBOUND_PROFILE,
      partners: { ACME: { x12: { '309': { m10: { mode: 'two' } } } } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^partners\.ACME\.x12\.309\.m10\.mode/);
  });
});

describe('partner overrides by sender id', () => {
  const parsed = parseInboundProfile({
    ...DEFAULT_INBOUND_PROFILE,
    partners: {
      ACMETRUCK: { modes: { x12: { T: 'truck' } } },
      'ZZ:ACMETRUCK': { modes: { x12: { T: 'rail' } } },
      OTHER: { modes: { x12: { J: null } } },
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const profile = parsed.profile;

  it("'QUALIFIER:ID' wins over 'ID'; ids are trimmed; others get the default", () => {
    expect(profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'ACMETRUCK   ' }).modes.x12.T).toBe(
      'rail',
    );
    expect(profileForSender(profile, { senderQualifier: '01', senderId: 'ACMETRUCK' }).modes.x12.T).toBe(
      'truck',
    );
    expect(
      profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'NOBODY' }).modes.x12.T,
    ).toBeUndefined();
    expect(profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'NOBODY' })).toBe(
      profileForSender(profile, { senderQualifier: '01', senderId: 'X' }),
    );
  });

  it('null removes a code for that partner only', () => {
    expect(
      profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'OTHER' }).modes.x12.J,
    ).toBeUndefined();
    expect(profileForSender(profile, { senderQualifier: 'ZZ', senderId: 'ACMETRUCK' }).modes.x12.J).toBe(
      'truck',
    );
  });

  it('applies in the normalizer by the interchange sender', () => {
    const body = `M10*ACME*T~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~N10*1*A**HS*1*5~`;
    expect(only(runX12('309', body, { ctx: { profile } }).events).mode).toBe('rail');
    expect(only(runX12('309', body, { ctx: { profile }, ic: { senderQualifier: '01' } }).events).mode).toBe(
      'truck',
    );
    expect(
      only(runX12('309', body, { ctx: { profile }, ic: { senderId: 'NOBODY' } }).rejected).issues[0]?.code,
    ).toBe('NORMALIZE_UNKNOWN_MODE');
  });

  it('override files name their senders', () => {
    const r = withPartnerOverrides(DEFAULT_INBOUND_PROFILE, [
      {
        version: '1',
        senders: ['ZZ:LOCK', 'LOCK'],
        overrides: { edifact: { CUSRES: { defaultMode: 'rail' } } },
      },
    ]);
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(
        profileForSender(r.profile, { senderQualifier: 'ZZ', senderId: 'LOCK' }).edifact.CUSRES.defaultMode,
      ).toBe('rail');
    expect(withPartnerOverrides(DEFAULT_INBOUND_PROFILE, [{ senders: [], overrides: {} }]).ok).toBe(false);
    expect(
      withPartnerOverrides(DEFAULT_INBOUND_PROFILE, [
        { version: '1', senders: ['X'], overrides: { air: { checkDigit: 'yes' } } },
      ]).ok,
    ).toBe(false);
  });
});
