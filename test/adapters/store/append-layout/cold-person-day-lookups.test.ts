/**
 * A person-day of an evicted day is looked up in the cold index once per batch: the core reads it
 * through the state view (`personDay`), and the commit that then writes it finds its rowid in the
 * batch's cache instead of asking cold_person_days again (docs/store-commit-cut.md: ~15 µs a
 * lookup, each cold-day person-day update paid two). Real SQLite file, hotDays 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ev } from '../../../aggregate/event-builder.js';
import { AppendStore } from './support/append-store.js';

const dir = mkdtempSync(join(tmpdir(), 's321-cold-pd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cold person-day lookups', () => {
  it('a late bill joining a person-day of an evicted day asks the cold index once, and is counted there', () => {
    const store = new AppendStore(join(dir, 'cold-pd.db'), { hotDays: 0 });
    store.apply([ev({ bill: 'OLD1', consignee: 'ALICE', cents: 30_00, day: '2025-06-09' })]);
    // A newer day with enough person-days to be established evicts 2025-06-09.
    store.apply(
      Array.from({ length: 4 }, (_, i) =>
        ev({ bill: `NEW${i}`, consignee: `C${i}`, cents: 10_00, day: '2025-06-10' }),
      ),
    );
    expect(store.state.cold.evictions).toBe(1);
    const before = { ...store.state.cold };
    store.apply([ev({ bill: 'OLD2', consignee: 'ALICE', cents: 25_00, day: '2025-06-09' })]);
    // One lookup of ALICE's 2025-06-09 person-day, found (the new bill's own key is ruled out by the tag filter).
    expect(store.state.cold.lookups - before.lookups).toBe(1);
    expect(store.state.cold.hits - before.hits).toBe(1);
    const alice = store.personDays().find((pd) => pd.day === '2025-06-09');
    expect(alice).toMatchObject({ totalCents: 55_00, bills: 2, billKeys: ['ABCD/OLD1', 'ABCD/OLD2'] });
    store.close();
  });
});
