/**
 * Unconfirmed profile defaults are said, not hidden: a file that used one records
 * GENERATE_UNCONFIRMED_DEFAULT naming the profile path (replay writes it to outbound-issues.jsonl);
 * a partner who sets the value has agreed it, and the warning goes. Release 3 hold codes for truck
 * and ABI have no CBP source: without a partner value the decision's own code goes out, said so.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARTNER_PROFILE,
  generateOutbound,
  resolvePartnerProfile,
} from '../../src/core/generate/index.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import type { Decision } from '../../src/core/model/decision.js';
import { GOLDEN_ROOT, readJson } from './golden-support.js';

const batchOf = (channel: string, name: string): OutboundBatch =>
  readJson<{ batch: OutboundBatch }>(join(GOLDEN_ROOT, channel, name, 'input.json')).batch;

function profile(over: unknown = {}) {
  const p = resolvePartnerProfile(over);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.profile;
}

const unconfirmed = (issues: ReadonlyArray<{ code: unknown; message: string }>) =>
  issues.filter((i) => (i.code as string) === 'GENERATE_UNCONFIRMED_DEFAULT').map((i) => i.message);

describe('unconfirmed defaults', () => {
  it('the shipped profile lists them, and a partner override takes a path off the list', () => {
    expect(DEFAULT_PARTNER_PROFILE.unconfirmed).toContain('abi.site');
    expect(DEFAULT_PARTNER_PROFILE.unconfirmed).toContain('holdCodes.truck-x12-350');
    const p = profile({ abi: { site: 'NY01' }, holdCodes: { 'truck-x12-350': '7H' } });
    expect(p.unconfirmed).not.toContain('abi.site');
    expect(p.unconfirmed).not.toContain('holdCodes.truck-x12-350');
    expect(p.unconfirmed).toContain('holdCodes.broker-abi-so');
  });

  it('ABI: the file says it used the unconfirmed A/Z site, until the partner sets one', () => {
    const batch = batchOf('broker-abi-so', 'et86-30');
    expect(unconfirmed(generateOutbound(batch, profile()).issues)).toEqual([
      expect.stringContaining('abi.site'),
    ]);
    expect(unconfirmed(generateOutbound(batch, profile({ abi: { site: 'NY01' } })).issues)).toEqual([]);
  });

  it('truck 350 Release 3: no hold code configured, the decision code goes out and the file says so', () => {
    const batch = batchOf('truck-x12-350', 'release3-hold-and-rejects');
    const d = batch.decisions[0] as Decision;
    const one = { ...batch, decisions: [{ ...d, code: '4M', withhold: true, port: '3801' }] };
    const file = generateOutbound(one, profile());
    expect(file.ok).toBe(true);
    expect(file.sent.map((s) => s.code)).toEqual(['4M']);
    expect(unconfirmed(file.issues)).toEqual([expect.stringContaining('holdCodes.truck-x12-350')]);
    const configured = generateOutbound(one, profile({ holdCodes: { 'truck-x12-350': '7H' } }));
    expect(configured.sent.map((s) => s.code)).toEqual(['7H']);
    expect(unconfirmed(configured.issues)).toEqual([]);
  });
});
