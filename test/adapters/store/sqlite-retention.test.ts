/**
 * Retention on a real SQLite file (docs/retention.md): a store filled over several days is reopened
 * with a window; what lies before the watermark is pruned and counted, a late amendment or status
 * for pruned state is rejected with its code and not counted, and the days kept decide exactly as
 * in a store that was never pruned.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import { DerivedJournal } from '../../../src/app/derived-journal.js';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../../src/ports/decision-store.js';
import { ev } from '../../aggregate/event-builder.js';

const config = aggregationConfig();
let icn = 0;
function ic(events: ShipmentEvent[]): InterchangeEvents {
  icn += 1;
  return {
    sender: 'SENDER',
    controlNumber: String(icn),
    fingerprint: `fp${icn}`,
    file: `f${icn}.edi`,
    events,
  };
}

/** Days 06-01 and 06-02 exceeded and emitted, 06-10 and 06-12 kept; acks recorded on the way. */
async function filledStore(): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 's321-retain-'));
  const db = join(dir, 'state.db');
  const store = new SqliteDecisionStore(db);
  await applyBatch(
    store,
    [
      ic([
        ev({ bill: 'A1', cents: 50000, consignee: 'X', day: '2025-06-01' }),
        ev({ bill: 'A2', cents: 40000, consignee: 'X', day: '2025-06-01' }),
        ev({ bill: 'B1', cents: 90000, consignee: 'Z', day: '2025-06-02' }),
        ev({ bill: 'S1', kind: 'status', arrival: '2025-06-03' }),
      ]),
    ],
    config,
  );
  const old = await store.pendingDecisions();
  expect(old.map((d) => d.bill)).toEqual(['ABCD/A1', 'ABCD/A2', 'ABCD/B1']);
  await store.recordOutbound([
    {
      name: 'old.350',
      recipient: 'ABCD',
      channel: 'truck-x12-350',
      content: 'x',
      twin: '',
      decisionIds: old.map((d) => d.decisionId),
    },
  ]);
  await store.markWritten(['old.350']);
  store.recordAcknowledgments(
    [{ name: 'old.999', recipient: 'SENDER', channel: 'ack', content: 'ack', twin: '', decisionIds: [] }],
    ['f1.edi\u00000\u0000fp1'],
  );
  await store.markWritten(['old.999']);
  await applyBatch(
    store,
    [
      ic([
        ev({ bill: 'C1', cents: 50000, consignee: 'Y', day: '2025-06-10' }),
        ev({ bill: 'D1', cents: 10000, consignee: 'W', day: '2025-06-12' }),
      ]),
    ],
    config,
  );
  await store.close();
  return { dir, db };
}

const policy = { days: 5, today: '2025-06-30' };

describe('SQLite store retention', () => {
  it('prunes before the watermark at open, in one transaction, and counts what it removed', async () => {
    const { db } = await filledStore();
    const store = new SqliteDecisionStore(db, { retention: policy });
    // Latest day held 06-12, window 5 days: 06-07 is the earliest day kept.
    expect(store.pruned).toEqual({
      watermark: '2025-06-07',
      previous: undefined,
      personDays: 2,
      parties: 0,
      bills: 4, // A1, A2, B1 and the status stub S1 (arrival 06-03)
      decisions: 3,
      outboundFiles: 1,
      // Recorded after the first batch: stamped with the latest day then held (06-02).
      ackFiles: 1,
      acknowledged: 1,
    });
    expect((await store.personDays()).map((p) => `${p.day} ${p.consigneeKey}`)).toEqual([
      '2025-06-10 Y',
      '2025-06-12 W',
    ]);
    expect(store.allDecisions()).toEqual([]);
    expect(await store.unwrittenOutbound()).toEqual([]);
    expect(store.retentionTotals()).toMatchObject({
      watermark: '2025-06-07',
      prunes: 1,
      bills: 4,
      personDays: 2,
    });
    await store.close();
    // Reopened with the same window and no new day: the watermark does not move, nothing is pruned.
    const again = new SqliteDecisionStore(db, { retention: policy });
    expect(again.pruned).toBeUndefined();
    expect(again.acknowledged('f1.edi\u00000\u0000fp1')).toBe(false);
    await again.close();
    // Later days arrive: the watermark follows them.
    const later = new SqliteDecisionStore(db, { retention: policy });
    await applyBatch(
      later,
      [ic([ev({ bill: 'E1', cents: 100, consignee: 'V', day: '2025-06-20' })])],
      config,
    );
    await later.close();
    const third = new SqliteDecisionStore(db, { retention: { days: 5, today: '2025-06-30' } });
    expect(third.pruned).toMatchObject({
      watermark: '2025-06-15',
      previous: '2025-06-07',
      personDays: 2,
      bills: 2,
    });
    expect(third.retentionTotals()).toMatchObject({ prunes: 2, personDays: 4, bills: 6 });
    await third.close();
  });

  it('rejects a late amendment for a pruned day and a status for a pruned bill, counting neither', async () => {
    const { db } = await filledStore();
    const store = new SqliteDecisionStore(db, { retention: policy });
    const late = ev({ bill: 'A1', kind: 'amended', cents: 90000, consignee: 'X', day: '2025-06-01' });
    const status = ev({ bill: 'A2', kind: 'status', arrival: '2025-06-09' });
    const moved = ev({ bill: 'B1', kind: 'amended', cents: 90000, consignee: 'Z', day: '2025-06-11' });
    const out = await applyBatch(store, [ic([late, status, moved])], config);
    expect(out.eventsApplied).toBe(0);
    expect(out.decisions).toEqual([]);
    expect(out.pruned?.map((i) => `${i.code} ${i.segmentIndex}`)).toEqual([
      `PIPELINE_DAY_PRUNED ${late.source.segmentIndex}`,
      `PIPELINE_BILL_PRUNED ${status.source.segmentIndex}`,
      `PIPELINE_BILL_PRUNED ${moved.source.segmentIndex}`,
    ]);
    expect(out.pruned?.[0]).toMatchObject({
      file: 'test.edi',
      interchangeControl: '000000001',
      messageRef: '0001',
    });
    // Nothing counted as new: no person-day for the pruned day or the amended one, no stub.
    expect((await store.personDays()).map((p) => p.day)).toEqual(['2025-06-10', '2025-06-12']);
    const declaredAgain = await applyBatch(
      store,
      [ic([ev({ bill: 'A2', kind: 'status', arrival: '2025-06-09' })])],
      config,
    );
    expect(declaredAgain.pruned?.map((i) => i.code)).toEqual(['PIPELINE_BILL_PRUNED']);
    await store.close();
  });

  it('after a prune and a restart, the days kept decide exactly as in a store never pruned', async () => {
    const { dir, db } = await filledStore();
    const unprunedDb = join(dir, 'unpruned.db');
    copyFileSync(db, unprunedDb);
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(db + suffix)) copyFileSync(db + suffix, unprunedDb + suffix);
    const pruned = new SqliteDecisionStore(db, { retention: policy });
    expect(pruned.pruned?.bills).toBe(4);
    await pruned.close();
    const batch = (): InterchangeEvents[] => {
      icn = 1000; // the same interchanges for both stores
      return [
        ic([
          ev({ bill: 'C2', cents: 40000, consignee: 'Y', day: '2025-06-10' }), // Y crosses: C1 earlier
          ev({ bill: 'D1', kind: 'amended', cents: 95000, consignee: 'W', day: '2025-06-12' }),
          ev({ bill: 'F1', cents: 100, consignee: 'Y', day: '2025-06-10' }),
        ]),
      ];
    };
    const restarted = new SqliteDecisionStore(db, { retention: policy });
    const never = new SqliteDecisionStore(unprunedDb);
    const same = batch(); // the same events (ids, positions) for both stores
    const a = await applyBatch(restarted, same, config);
    const b = await applyBatch(never, same, config);
    expect(a.decisions.length).toBeGreaterThan(0);
    expect(a.decisions).toEqual(b.decisions);
    const kept = async (s: SqliteDecisionStore) =>
      (await s.personDays()).filter((p) => p.day >= '2025-06-07');
    expect(await kept(restarted)).toEqual(await kept(never));
    await restarted.close();
    await never.close();
  });

  it('decisions.jsonl keeps the lines of pruned decisions and goes on from the store after the prune', async () => {
    const { dir, db } = await filledStore();
    const path = join(dir, 'decisions.jsonl');
    const before = new SqliteDecisionStore(db);
    DerivedJournal.open(path, before, 'decisions');
    await before.close();
    const linesBefore = readFileSync(path, 'utf8').trim().split('\n');
    expect(linesBefore).toHaveLength(3);
    const store = new SqliteDecisionStore(db, { retention: policy });
    expect(store.pruned?.decisions).toBe(3);
    const journal = DerivedJournal.open(path, store, 'decisions');
    const out = await applyBatch(
      store,
      [ic([ev({ bill: 'C9', cents: 40000, consignee: 'Y', day: '2025-06-10' })])],
      config,
    );
    journal.append(out.decisions.map((d) => JSON.stringify(d)));
    await store.close();
    const reopened = new SqliteDecisionStore(db, { retention: policy });
    DerivedJournal.open(path, reopened, 'decisions'); // matches by seq: no mismatch, nothing repeated
    await reopened.close();
    const seqs = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
  });
});
