/**
 * Issue #17: an outbound file's usage indicator (ISA15 / UNB 0035) is the partner's explicit
 * `usage` unless every decision of the file comes from inputs that recorded one and they agree:
 * then the file mirrors it, so a test manifest never yields a production notification.
 * Issue #12 ports: an air FSN for a manifest naming a Schedule D port goes out with the shipped
 * Schedule D → IATA table; a partner's airportByPort still wins.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import { SCHEDULE_D_AIRPORTS } from '../../src/core/generate/schedule-d.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import type { Channel, Decision } from '../../src/core/model/decision.js';
import { GOLDEN_ROOT, readJson } from './golden-support.js';

const batchOf = (channel: Channel, name: string): OutboundBatch =>
  readJson<{ batch: OutboundBatch }>(join(GOLDEN_ROOT, channel, name, 'input.json')).batch;

function profile(over: unknown = {}) {
  const p = resolvePartnerProfile(over);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.profile;
}

const withUsage = (batch: OutboundBatch, usage: Array<'P' | 'T' | undefined>): OutboundBatch => ({
  ...batch,
  decisions: batch.decisions.map((d, i) => {
    const u = usage[i % usage.length];
    const { usage: _drop, ...cause } = d.cause;
    return { ...d, cause: u === undefined ? cause : { ...cause, usage: u } } as Decision;
  }),
});

const isa15 = (content: string) => content.split('*')[15];

describe('usage indicator (ISA15 / UNB 0035)', () => {
  const truck = batchOf('truck-x12-350', 'release2-two-ports');

  it('is the profile usage when the inputs did not record theirs', () => {
    expect(isa15(generateOutbound(withUsage(truck, [undefined]), profile()).content)).toBe('P');
    expect(isa15(generateOutbound(withUsage(truck, [undefined]), profile({ usage: 'T' })).content)).toBe('T');
  });

  it('mirrors test inputs: a production profile still sends T for test manifests', () => {
    expect(isa15(generateOutbound(withUsage(truck, ['T']), profile()).content)).toBe('T');
    expect(isa15(generateOutbound(withUsage(truck, ['P']), profile({ usage: 'T' })).content)).toBe('P');
  });

  it('falls back to the profile when inputs disagree or mirroring is off', () => {
    expect(isa15(generateOutbound(withUsage(truck, ['T', 'P']), profile()).content)).toBe('P');
    expect(
      isa15(generateOutbound(withUsage(truck, ['T']), profile({ mirrorInputUsage: false })).content),
    ).toBe('P');
  });

  it('CUSRES: test inputs give UNB 0035 = 1', () => {
    const cusres = batchOf('truck-cusres', 'release2-sn517');
    const unb = (b: OutboundBatch) => generateOutbound(b, profile()).content.split("'")[0] ?? '';
    expect(unb(withUsage(cusres, ['T']))).toMatch(/\+1$/);
    expect(unb(withUsage(cusres, ['P']))).not.toMatch(/\+1$/);
  });
});

describe('Schedule D ports for air FSN', () => {
  const fsn = batchOf('air-camir-fsn', 'release2-and-withhold');
  const one = { ...fsn, decisions: [{ ...(fsn.decisions[0] as Decision), port: '2720' }] };

  it('ships a table with its sources', () => {
    expect(SCHEDULE_D_AIRPORTS.ports['2720']?.iata).toBe('LAX');
    expect(Object.keys(SCHEDULE_D_AIRPORTS.source)).toEqual(['scheduleD', 'iata']);
  });

  it('an FSN for port 2720 goes out to LAX without any partner file', () => {
    const file = generateOutbound(one, profile());
    expect(file.ok).toBe(true);
    expect(file.content.split('\n')[1]).toBe(`LAX${one.decisions[0]?.carrierScac}`);
  });

  it("a partner's airportByPort overrides the table, and the table can be switched off", () => {
    expect(generateOutbound(one, profile({ camir: { airportByPort: { '2720': 'ONT' } } })).content).toContain(
      '\nONT',
    );
    expect(generateOutbound(one, profile({ camir: { useScheduleD: false } })).ok).toBe(false);
  });
});
