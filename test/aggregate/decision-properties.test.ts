/**
 * The decision rules as users see them (rules.md §2, §4–§6; issue #13), checked on generated streams
 * with amendments, deletions, arrival moves, consignee moves, redeliveries and re-crossings on
 * exceeded days, against a model that knows only the latest version of every bill:
 * - totals equal the sum of the latest versions;
 * - a bill gets a notification only while it is counted on an exceeded person-day, and every bill
 *   counted on an exceeded person-day has been notified;
 * - a bill is first notified as the crossing shipment exactly when its own event exceeded the day
 *   (or it joined an exceeded one), as an earlier bill only when another bill's event made its day
 *   cross, withheld exactly when that crossing happened on a release 3 day;
 * - a bill never gets both a hold and a release / warning code, nor two roles;
 * - "dropped to or below the threshold" is audited exactly when a person-day really did, with the
 *   total it dropped to.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { checkAgainstModel, decisionProperties, run } from './decision-model.js';
import { ev } from './event-builder.js';

describe('decisions as users see them (model-checked)', () => {
  decisionProperties('memory', () => new MemoryDecisionStore(), 300);
  decisionProperties(
    'sqlite',
    () => new SqliteDecisionStore(join(mkdtempSync(join(tmpdir(), 's321-decide-')), 'state.db')),
    60,
  );

  it('the issue #13 stream: an earlier bill amended on an exceeded release 3 day', async () => {
    const day = '2025-08-20';
    const events = [
      ev({ bill: '001', cents: 50000, day }),
      ev({ bill: '002', cents: 40000, day }),
      ev({ bill: '001', cents: 55000, day, kind: 'amended' }),
    ];
    const out = await run(new MemoryDecisionStore(), events, 1);
    checkAgainstModel(events, out);
    expect(out.decisions.map((d) => `${d.bill} ${d.code} ${d.role}`)).toEqual([
      'ABCD/001 95 earlier',
      'ABCD/002 4M crossing',
    ]);
  });
});
