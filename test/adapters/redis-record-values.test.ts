/**
 * The compact values the Redis store keeps (docs/queue-mode.md "Memory"): each round-trips, each
 * still reads the JSON form earlier versions wrote, and a value in neither form is refused with
 * STORE_BAD_RECORD rather than read as something else.
 */
import { describe, expect, it } from 'vitest';
import { decodeDecisionValue, encodeDecisionValue } from '../../src/adapters/store/redis/decision-value.js';
import {
  decodePersonDayValue,
  encodePersonDayValue,
  StoreBadRecordError,
} from '../../src/adapters/store/redis/person-day-value.js';
import type { PersonDayRecord } from '../../src/core/aggregate/state.js';
import type { Decision } from '../../src/core/model/decision.js';

describe('person-day value', () => {
  const field = '2025-06-10:na|NOAH WANG|3536 10TH LN|DALLAS|TX|75202|US';
  const pd: PersonDayRecord = {
    consigneeKey: 'na|NOAH WANG|3536 10TH LN|DALLAS|TX|75202|US',
    day: '2025-06-10',
    totalCents: 81932,
    bills: 3,
    everExceeded: true,
    unnotifiedFrom: 5863,
  };

  it('keeps the integers only (the field holds the day and the consignee key) and reads them back', () => {
    expect(encodePersonDayValue(pd)).toBe('81932,3,1,5863');
    expect(decodePersonDayValue(field, encodePersonDayValue(pd))).toStrictEqual(pd);
    const { unnotifiedFrom: _, ...before } = pd;
    const never = { ...before, everExceeded: false };
    expect(encodePersonDayValue(never)).toBe('81932,3,0');
    expect(decodePersonDayValue(field, encodePersonDayValue(never))).toStrictEqual(never);
  });

  it('a consignee key holding commas and colons comes back whole', () => {
    const odd = { ...pd, consigneeKey: 'id|24|9,7:6' };
    expect(decodePersonDayValue(`2025-06-10:${odd.consigneeKey}`, encodePersonDayValue(odd))).toStrictEqual(
      odd,
    );
  });

  it('still reads the JSON object form of earlier versions', () => {
    expect(decodePersonDayValue(field, JSON.stringify(pd))).toStrictEqual(pd);
  });

  it.each(['', '1,2', '1,2,0,4,5', '1,x,0', '1.5,2,0', '["a"]'])(
    'refuses %j with STORE_BAD_RECORD',
    (value) => {
      expect(() => decodePersonDayValue(field, value)).toThrow(StoreBadRecordError);
      try {
        decodePersonDayValue(field, value);
      } catch (e) {
        expect((e as StoreBadRecordError).code).toBe('STORE_BAD_RECORD');
      }
    },
  );
});

describe('decision value', () => {
  const decision: Decision = {
    decisionId: 'OCNB/OCNB0000435275|carrier-x12-350|2M',
    seq: 1247,
    bill: 'OCNB/OCNB0000435275',
    issuer: 'OCNB',
    scn: 'OCNB0000435275',
    carrierScac: 'OCNB',
    mode: 'ocean',
    channel: 'carrier-x12-350',
    code: '2M',
    text: 'DE MINIMIS VALUE MAY EXCEED CONSIGNEE DAILY MAX',
    recipient: 'OCNB',
    role: 'earlier',
    withhold: false,
    consigneeKey: 'na|WILLIAM LEWIS|4064 MAIN DR|JACKSONVILLE|FL|32245|US',
    day: '2025-06-10',
    totalCents: 86564,
    profile: 'release2',
    pieces: 4,
    port: '2704',
    causeEventId: '86a5277534e91fd09da1f60b95f8a957',
    cause: {
      file: '20250610-000000.x12',
      standard: 'x12',
      sender: 'OCNBEDI',
      interchangeControl: '000114046',
      groupControl: '1',
      messageRef: '1002',
      messageType: '309',
      segmentIndex: 29301,
      byteOffset: 805892,
      usage: 'P',
    },
  };

  it('keeps the values without names or what the id holds, and reads back the same decision', () => {
    const packed = encodeDecisionValue(decision);
    expect(packed.startsWith('[')).toBe(true);
    expect(packed).not.toContain('OCNB0000435275');
    expect(packed.length).toBeLessThan(JSON.stringify(decision).length * 0.6);
    expect(decodeDecisionValue(decision.decisionId, packed)).toStrictEqual(decision);
    // The same key order as the core's decisions (outputs that stringify a decision do not change).
    expect(Object.keys(decodeDecisionValue(decision.decisionId, packed))).toEqual(Object.keys(decision));
  });

  it('every optional field, present or absent, comes back as it was', () => {
    const { pieces: _p, port: _q, ...bare } = decision;
    const { usage: _u, ...cause } = decision.cause;
    const variants: Decision[] = [
      { ...bare, cause },
      { ...decision, entryNumber: 'ABC12345678', flight: 'KL0643' },
      { ...bare, flight: '5X123A', withhold: true, role: 'crossing' },
      // An air SCN holds a '/' (master/house): the issuer ends at the first one.
      {
        ...decision,
        decisionId: '176/12345678/H1|air-camir-fsn|SN517',
        bill: '176/12345678/H1',
        issuer: '176',
        scn: '12345678/H1',
        channel: 'air-camir-fsn',
        code: 'SN517',
      },
    ];
    for (const d of variants) {
      const packed = encodeDecisionValue(d);
      expect(packed.startsWith('[')).toBe(true);
      expect(decodeDecisionValue(d.decisionId, packed)).toStrictEqual(d);
    }
  });

  it('a decision the array cannot carry exactly is kept as the JSON object (nothing is lost)', () => {
    const odd: Decision[] = [
      { ...decision, decisionId: 'something else' },
      { ...decision, bill: 'OC|NB/1', decisionId: 'OC|NB/1|carrier-x12-350|2M', issuer: 'OC|NB', scn: '1' },
      { ...decision, issuer: 'OTHER' },
      { ...decision, extra: 1 } as Decision,
    ];
    for (const d of odd) {
      const kept = encodeDecisionValue(d);
      expect(kept).toBe(JSON.stringify(d));
      expect(decodeDecisionValue(d.decisionId, kept)).toStrictEqual(d);
    }
  });

  it('still reads the JSON object form of earlier versions', () => {
    expect(decodeDecisionValue(decision.decisionId, JSON.stringify(decision))).toStrictEqual(decision);
  });

  it.each(['', 'not json', '[1,2,3]', '"x"', '[]'])('refuses %j with STORE_BAD_RECORD', (value) => {
    expect(() => decodeDecisionValue(decision.decisionId, value)).toThrow(StoreBadRecordError);
  });
});
