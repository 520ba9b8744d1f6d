import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDayIn, isCalendarDay } from '../../../src/adapters/inbox/calendar-day.js';
import { checkFileName, isInProgressName, sanitizeFileName } from '../../../src/adapters/inbox/file-name.js';

const rules = (name: string, maxBytes?: number): string[] =>
  checkFileName(name, maxBytes !== undefined ? { maxBytes } : {}).map((p) => p.rule);

describe('file name policy', () => {
  it('accepts ordinary EDI names', () => {
    for (const n of [
      'M309_20250812.edi',
      'cuscar.2025-08-12.txt',
      'ACME-350 (1).x12',
      'résumé.edi',
      'a.b.c',
    ]) {
      expect(rules(n)).toEqual([]);
    }
  });

  it('names each unsafe feature', () => {
    expect(rules('')).toEqual(['empty']);
    expect(rules('..')).toEqual(['dot-path']);
    expect(rules('a/b')).toEqual(['separator']);
    expect(rules('a\\b')).toEqual(['separator']);
    expect(rules('../etc')).toEqual(['separator', 'dot-dot']);
    expect(rules('x\u0000y')).toEqual(['control']);
    expect(rules('x\u009by')).toEqual(['control']);
    expect(rules('invoice\u202Efdp.exe')).toEqual(['control']);
    expect(rules('é'.repeat(101))).toEqual(['too-long']); // 202 bytes, 101 characters
    expect(rules('a'.repeat(200))).toEqual([]);
    expect(
      checkFileName('bad\uFFFD', { raw: Buffer.from([0x62, 0x61, 0x64, 0xff]) }).map((p) => p.rule),
    ).toEqual(['encoding']);
  });

  it('uploads in progress are recognised by convention', () => {
    expect(['.x.edi', 'x.edi.part', 'X.EDI.PART', 'x.tmp', 'x.TMP'].every(isInProgressName)).toBe(true);
    expect(['x.edi', 'part', 'x.parts', 'tmp.edi'].some(isInProgressName)).toBe(false);
  });

  it('a sanitized name is always safe and never hidden', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const safe = sanitizeFileName(name);
        expect(checkFileName(safe)).toEqual([]);
        expect(isInProgressName(safe) && !/\.(part|tmp)$/i.test(safe)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('calendar day', () => {
  it('comes from the zone asked for, not the machine', () => {
    const instant = new Date('2025-08-12T02:30:00Z');
    expect(calendarDayIn(instant, 'UTC')).toBe('2025-08-12');
    expect(calendarDayIn(instant, 'America/New_York')).toBe('2025-08-11');
    expect(calendarDayIn(instant, 'Asia/Tokyo')).toBe('2025-08-12');
    expect(calendarDayIn(new Date('2025-08-12T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-08-13');
  });

  it('accepts only real days', () => {
    expect(['2025-02-28', '2024-02-29', '2025-12-31'].every(isCalendarDay)).toBe(true);
    expect(['2025-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00', '../2025'].some(isCalendarDay)).toBe(
      false,
    );
  });
});
