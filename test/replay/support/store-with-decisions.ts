/**
 * A SQLite store holding pending decisions for the emit tests: `shipments` truck shipments of $100
 * for one person on one day at port 3801, so the 9th crosses $800 and every bill is notified.
 */
import { join } from 'node:path';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import { aggregationConfig } from '../../../src/core/rules/defaults.js';
import { ev } from '../../aggregate/event-builder.js';

export async function storeWithDecisions(
  dir: string,
  name: string,
  shipments: number,
  billPrefix: string,
): Promise<SqliteDecisionStore> {
  const store = new SqliteDecisionStore(join(dir, `${name}.db`));
  const events = Array.from({ length: shipments }, (_, i) => ({
    ...ev({ bill: `${billPrefix}${i}`, consignee: 'na|ANN LEE|1 ELM ST|DETROIT|MI|48201|US', cents: 10_000 }),
    port: '3801',
  }));
  await applyBatch(
    store,
    [{ sender: 'S', controlNumber: '1', fingerprint: name, file: 'f', events }],
    aggregationConfig(),
  );
  return store;
}
