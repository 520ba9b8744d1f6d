/**
 * The compact values the Redis store keeps (docs/queue-mode.md "Memory"): each round-trips, each
 * still reads the JSON form earlier versions wrote, and a value in neither form is refused with
 * STORE_BAD_RECORD rather than read as something else.
 */
import { describe, expect, it } from 'vitest';
import {
  decodePersonDayValue,
  encodePersonDayValue,
  StoreBadRecordError,
} from '../../src/adapters/store/redis/person-day-value.js';
import type { PersonDayRecord } from '../../src/core/aggregate/state.js';

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
