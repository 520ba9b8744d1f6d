import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { storeContract } from './store-contract.js';

storeContract('memory', async () => new MemoryDecisionStore());
storeContract(
  'sqlite file',
  async () => new SqliteDecisionStore(join(mkdtempSync(join(tmpdir(), 's321-sqlite-')), 'state.db')),
);
