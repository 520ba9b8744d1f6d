/**
 * GET /v1/split-suspects (issue #16: split-shipment suspects in the API): JOHN SMITH, SMITH JOHN and
 * J SMITH at one address with $500 each, replayed as real 309s, are reported as one group with the
 * pairs as evidence and their combined $1,500 over the threshold — and stay three person-days of
 * $500 (rules.md §3: report, do not merge). Real HTTP over the SQLite file the replay wrote; the
 * Redis store keeps no consignee as sent and answers 501.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import type { ManifestBill } from '../report/manifest.js';
import { DAY, getJson, replayDay, startApi } from './support/api-fixture.js';

const at = { street: '45 ELM ST', city: 'ALBANY', state: 'NY', postal: '12207' };
const BILLS: ManifestBill[] = [
  { scn: 'SPL001', name: 'JOHN SMITH', ...at, value: '500.00' },
  { scn: 'SPL002', name: 'SMITH JOHN', ...at, value: '500.00' },
  { scn: 'SPL003', name: 'J SMITH', ...at, value: '500.00' },
  // Another person at another address: never a suspect.
  {
    scn: 'SPL004',
    name: 'MARY JONES',
    street: '9 OAK AVE',
    city: 'TROY',
    state: 'NY',
    postal: '12180',
    value: '700.00',
  },
];

describe('GET /v1/split-suspects over the SQLite store', () => {
  let dir: string;
  let store: SqliteDecisionStore;
  let api: Awaited<ReturnType<typeof startApi>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's321-split-api-'));
    const db = await replayDay(dir, BILLS, 601);
    store = new SqliteDecisionStore(db, { readOnly: true });
    api = await startApi(store);
  });
  afterAll(async () => {
    await api.server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the three name variants as one group, with the evidence and the combined total', async () => {
    const res = await getJson(`${api.url}/v1/split-suspects?day=${DAY}`);
    expect(res.status).toBe(200);
    const body = res.body as {
      day: string;
      groups: Array<{
        members: Array<{ consignee: { name: string }; totalCents: number; bills: number }>;
        pairs: Array<{ reason: string }>;
        combinedCents: number;
        thresholdCents: number;
        combinedExceeds: boolean;
      }>;
    };
    expect(body.day).toBe(DAY);
    expect(body.groups).toHaveLength(1);
    const [group] = body.groups;
    expect(group?.members.map((m) => m.consignee.name).sort()).toEqual([
      'J SMITH',
      'JOHN SMITH',
      'SMITH JOHN',
    ]);
    expect(group?.members.map((m) => [m.totalCents, m.bills])).toEqual([
      [50000, 1],
      [50000, 1],
      [50000, 1],
    ]);
    expect(new Set(group?.pairs.map((p) => p.reason))).toEqual(new Set(['name-word-order', 'name-initials']));
    expect([group?.combinedCents, group?.thresholdCents, group?.combinedExceeds]).toEqual([
      150000,
      80000,
      true,
    ]);
  });

  it('does not merge them: the person-days stay three of $500, none exceeded', async () => {
    const res = await getJson(`${api.url}/v1/person-days?day=${DAY}&consignee=smith`);
    const items = (res.body as { items: Array<{ totalCents: number; exceeded: boolean }> }).items;
    expect(items.map((i) => [i.totalCents, i.exceeded])).toEqual([
      [50000, false],
      [50000, false],
      [50000, false],
    ]);
  });

  it('a day without suspects answers no groups; a day that is not a date is refused', async () => {
    expect((await getJson(`${api.url}/v1/split-suspects?day=2025-06-11`)).body).toEqual({
      day: '2025-06-11',
      groups: [],
    });
    const bad = await getJson(`${api.url}/v1/split-suspects?day=2025-02-30`);
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid-request']);
    expect((await getJson(`${api.url}/v1/split-suspects`)).status).toBe(400);
  });
});
