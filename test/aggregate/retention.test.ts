import { describe, expect, it } from 'vitest';
import {
  addDays,
  NOTHING_PRUNED,
  nextWatermark,
  type RetentionView,
  screenRetention,
} from '../../src/core/aggregate/retention.js';
import type { BillRecord } from '../../src/core/aggregate/state.js';
import { ev } from './event-builder.js';

const pruned = (watermark: string, bills: string[] = []): RetentionView => ({
  watermark,
  wasPruned: (key) => bills.includes(key),
});
const onRecord = (keys: string[]) => ({
  bill: (key: string) => (keys.includes(key) ? ({ key } as BillRecord) : undefined),
});

describe('retention rule (core)', () => {
  it('passes every event while nothing was pruned', () => {
    const events = [
      ev({ bill: 'A', day: '2020-01-01' }),
      ev({ bill: 'B', kind: 'status', arrival: '2020-01-02' }),
    ];
    const out = screenRetention(events, NOTHING_PRUNED, onRecord([]));
    expect(out.kept).toBe(events);
    expect(out.rejected).toEqual([]);
  });

  it('rejects an event naming a day before the watermark, with its code and position', () => {
    const late = ev({ bill: 'A', kind: 'amended', day: '2025-06-01', cents: 100 });
    const kept = ev({ bill: 'B', day: '2025-06-07', cents: 100 });
    const out = screenRetention([late, kept], pruned('2025-06-07'), onRecord(['ABCD/A']));
    expect(out.kept).toEqual([kept]);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]).toMatchObject({
      code: 'PIPELINE_DAY_PRUNED',
      severity: 'error',
      file: 'test.edi',
      interchangeControl: '000000001',
      groupControl: '1',
      messageRef: '0001',
      segmentIndex: late.source.segmentIndex,
      byteOffset: late.source.byteOffset,
    });
    expect(out.rejected[0]?.message).toContain('2025-06-01');
  });

  it('rejects a status whose arrival is before the watermark, and one for a pruned bill after it', () => {
    const early = ev({ bill: 'A', kind: 'status', arrival: '2025-06-05' });
    const late = ev({ bill: 'B', kind: 'status', arrival: '2025-06-20' });
    const unknown = ev({ bill: 'C', kind: 'status', arrival: '2025-06-20' });
    const out = screenRetention([early, late, unknown], pruned('2025-06-07', ['ABCD/B']), onRecord([]));
    expect(out.rejected.map((i) => i.code)).toEqual(['PIPELINE_DAY_PRUNED', 'PIPELINE_BILL_PRUNED']);
    // A status for a bill never seen (not pruned) still goes to the core: it waits for its manifest.
    expect(out.kept).toEqual([unknown]);
  });

  it('rejects an amendment or deletion of a pruned bill not on record, not a bill on record or a new declaration', () => {
    const amended = ev({ bill: 'P', kind: 'amended', day: '2025-06-20', cents: 5 });
    const deleted = ev({ bill: 'P', kind: 'deleted' });
    const onRec = ev({ bill: 'K', kind: 'amended', day: '2025-06-20', cents: 5 });
    // Bill numbers are reused eventually: an original declaration on a kept day is a new shipment.
    const declared = ev({ bill: 'Q', day: '2025-06-20', cents: 5 });
    const out = screenRetention(
      [amended, deleted, onRec, declared],
      pruned('2025-06-07', ['ABCD/P', 'ABCD/K', 'ABCD/Q']),
      onRecord(['ABCD/K']),
    );
    expect(out.rejected.map((i) => i.code)).toEqual(['PIPELINE_BILL_PRUNED', 'PIPELINE_BILL_PRUNED']);
    expect(out.kept).toEqual([onRec, declared]);
  });

  it('a status after its declaration earlier in the same batch is for a bill on record', () => {
    const declared = ev({ bill: 'Q', day: '2025-06-20', cents: 5 });
    const status = ev({ bill: 'Q', kind: 'status', arrival: '2025-06-21' });
    const out = screenRetention([declared, status], pruned('2025-06-07', ['ABCD/Q']), onRecord([]));
    expect(out.kept).toEqual([declared, status]);
  });
});

describe('retention watermark', () => {
  const policy = (days: number, today = '2025-12-31') => ({ days, today });

  it('counts back from the latest day held, capped at today, and never moves back', () => {
    expect(nextWatermark(policy(5), '2025-06-12', undefined)).toBe('2025-06-07');
    // A mistyped future EDA cannot push the window past today.
    expect(nextWatermark(policy(5, '2025-06-12'), '2052-06-12', undefined)).toBe('2025-06-07');
    expect(nextWatermark(policy(5), '2025-06-12', '2025-06-09')).toBe('2025-06-09');
    expect(nextWatermark(policy(5), '2025-06-20', '2025-06-09')).toBe('2025-06-15');
  });

  it('is off with 0 days and on an empty store', () => {
    expect(nextWatermark(policy(0), '2025-06-12', undefined)).toBeUndefined();
    expect(nextWatermark(policy(0), '2025-06-12', '2025-06-01')).toBe('2025-06-01');
    expect(nextWatermark(policy(5), undefined, undefined)).toBeUndefined();
  });

  it('adds days across month and leap-year ends', () => {
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -120)).toBe('2024-09-03');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
});
