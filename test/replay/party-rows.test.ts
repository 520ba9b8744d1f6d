/**
 * Every person-day the replay writes has its consignee row (name and address for the report, the
 * blocking keys of split-shipment detection), the consignee as sent on the event that first counted
 * a bill in it, whatever the batch size. Generated traffic has amendments that move bills to another
 * consignee and status lines that move them to their arrival day, so a person-day is often opened
 * and left within one batch; before, a person-day whose opening bill moved on in the same commit
 * got no row (it showed by key in the report and escaped split detection), and which ones did
 * depended on the batch size.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { consigneeKey } from '../../src/core/consignee/consignee-key.js';
import type { Party, ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import type { InterchangeEvents } from '../../src/ports/decision-store.js';
import { ev } from '../aggregate/event-builder.js';
import { replayInto, writeMixedTraffic } from './support/generated-replay.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-party-rows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface PartyOfDay {
  ck: string;
  day: string;
  bills: number;
  name: string | null;
  street: string | null;
  city: string | null;
  postal: string | null;
  name_key: string | null;
  address_key: string | null;
}

function partiesOf(dbPath: string): PartyOfDay[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], PartyOfDay>(
        `SELECT p.ck, p.day, p.bills, q.name, q.street, q.city, q.postal, q.name_key, q.address_key
           FROM person_days p LEFT JOIN person_day_parties q ON q.pd = p.rowid
          ORDER BY p.day, p.ck`,
      )
      .all();
  } finally {
    db.close();
  }
}

describe('consignee rows of person-days', () => {
  it('every person-day has its consignee row, the same with batches of 97 events and of 10k', async () => {
    const input = join(scratch, 'traffic');
    writeMixedTraffic(input, 14, 6000);
    const run = (name: string, batchEvents: number) =>
      replayInto(input, join(scratch, name), { batchEvents });
    await run('small', 97);
    await run('large', 10_000);
    const small = partiesOf(join(scratch, 'small', 's321.db'));
    const large = partiesOf(join(scratch, 'large', 's321.db'));
    expect(small.length).toBeGreaterThan(3000);
    // Person-days a bill joined and left again (moved to another consignee or to its arrival day):
    // the case that lost its row.
    expect(large.filter((p) => p.bills === 0).length).toBeGreaterThan(5);
    expect(large.filter((p) => p.name === null)).toEqual([]);
    expect(small.filter((p) => p.name === null)).toEqual([]);
    expect(small).toEqual(large);
  }, 120_000);
});

/**
 * Under an arrival-day era (release3, from 2025-08-12) a status line moves a bill to its arrival
 * day and sends no consignee: the new person-day takes the consignee of the one the bill left,
 * stored before or created in the same commit; a bill first counted on a status line (it arrived
 * on a day whose era counts it) takes it from its declaration in the batch.
 */
describe('consignee rows of person-days opened by a status line', () => {
  const jane: Party = {
    role: 'CN',
    name: 'Jane Doe',
    street: '1 Main St',
    city: 'Boston',
    state: 'MA',
    postal: '02110',
    country: 'US',
  };
  const janeKey = consigneeKey(jane);
  const declared = (bill: string, day: string): ShipmentEvent => ({
    ...ev({ bill, cents: 10_000, day, consignee: janeKey }),
    consignee: jane,
  });
  let icn = 0;
  const batch = (events: ShipmentEvent[]): InterchangeEvents => {
    icn += 1;
    return { sender: 'S', controlNumber: String(icn), fingerprint: `fp${icn}`, file: `f${icn}`, events };
  };

  it('takes the consignee of the person-day the bill left, or of its declaration', async () => {
    const dbPath = join(scratch, 'status', 's321.db');
    mkdirSync(join(scratch, 'status'));
    const store = new SqliteDecisionStore(dbPath);
    const config = aggregationConfig();
    // B1's day 08-14 is stored by the first commit; its arrival on 08-15 comes in the second.
    await applyBatch(store, [batch([declared('B1', '2025-08-14')])], config);
    await applyBatch(
      store,
      [
        batch([
          ev({ bill: 'B1', kind: 'status', arrival: '2025-08-15' }),
          // B2 opens 08-16 and leaves it for 08-17 in this commit.
          declared('B2', '2025-08-16'),
          ev({ bill: 'B2', kind: 'status', arrival: '2025-08-17' }),
          // B3 is declared for 08-29 (suspended: not counted) and arrives on 08-27 (release3).
          declared('B3', '2025-08-29'),
          ev({ bill: 'B3', kind: 'status', arrival: '2025-08-27' }),
        ]),
      ],
      config,
    );
    await store.close();
    const rows = partiesOf(dbPath).map((p) => [p.day, p.bills, p.name, p.city]);
    expect(rows).toEqual([
      ['2025-08-14', 0, 'Jane Doe', 'Boston'],
      ['2025-08-15', 1, 'Jane Doe', 'Boston'],
      ['2025-08-16', 0, 'Jane Doe', 'Boston'],
      ['2025-08-17', 1, 'Jane Doe', 'Boston'],
      ['2025-08-27', 1, 'Jane Doe', 'Boston'],
    ]);
  });
});
