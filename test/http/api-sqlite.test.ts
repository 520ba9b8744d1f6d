/**
 * The /v1 API over a SQLite file a real replay wrote (EDI in), opened read-only as `s321 api` opens
 * it; "writes nothing" is checked on the file's bytes (database and WAL).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { apiContract } from './api-contract.js';
import { replayDay, startApi, storeBytes } from './support/api-fixture.js';

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
