/**
 * The /v1 API over a SQLite file a real replay wrote (EDI in), opened read-only as `s321 api` opens
 * it; "writes nothing" is checked on the file's bytes (database and WAL).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { apiContract } from './api-contract.js';
import { DAY, getJson, postJson, replayDay, startApi, storeBytes } from './support/api-fixture.js';

const JANE_AT = { street: '12 ELM ST', city: 'BOSTON', state: 'MA', postal: '02110' };
const janeShipment = (scn: string, value: string) => ({
  bill: `ACME/${scn}`,
  consignee: { name: 'JANE DOE', ...JANE_AT, country: 'US' },
  day: DAY,
  value,
  mode: 'truck',
  origin: 'VN',
  hts: ['6109100010'],
});

apiContract('a SQLite file (read-only open)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 's321-api-sqlite-'));
  const db = await replayDay(dir);
  const store = new SqliteDecisionStore(db, { readOnly: true });
  const { url, server } = await startApi(store);
  return {
    url,
    fingerprint: async () => storeBytes(db),
    close: async () => {
      await server.close();
      await store.close();
    },
  };
});

// The same over a writing open (as a replay holds the store): the pre-check's snapshot is a read
// transaction rolled back, so not a byte of the database or its WAL changes either.
apiContract('a SQLite file (writing open)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 's321-api-sqlite-rw-'));
  const db = await replayDay(dir);
  const store = new SqliteDecisionStore(db);
  const { url, server } = await startApi(store);
  return {
    url,
    fingerprint: async () => storeBytes(db),
    close: async () => {
      await server.close();
      await store.close();
    },
  };
});

describe('a read-only open beside a writer (s321 api beside a replay)', () => {
  it('each pre-check reads the state the writer last committed, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-api-beside-'));
    const db = await replayDay(dir);
    const reader = new SqliteDecisionStore(db, { readOnly: true });
    const { url, server } = await startApi(reader);
    try {
      const ask = async () =>
        (
          (await postJson(`${url}/v1/precheck`, { shipment: janeShipment('LATE1', '100.00') })).body
            .answers as Array<{
            currentTotalCents: number;
            wouldExceed: boolean;
          }>
        )[0];
      expect(await ask()).toMatchObject({ currentTotalCents: 55000, wouldExceed: false });
      // A replay commits $200 more for JANE DOE while the API has the file open.
      await replayDay(dir, [{ scn: 'API009', name: 'JANE DOE', ...JANE_AT, value: '200.00' }], 502);
      expect(await ask()).toMatchObject({ currentTotalCents: 75000, wouldExceed: true });
      const page = await getJson(`${url}/v1/person-days?consignee=jane`);
      expect((page.body.items as Array<{ billKeys: string[] }>)[0]?.billKeys).toEqual([
        'ACME/API003',
        'ACME/API004',
        'ACME/API009',
      ]);
    } finally {
      await server.close();
      await reader.close();
    }
  });
});
