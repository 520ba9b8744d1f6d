/**
 * After a replay: the split-shipment suspects of the store go to the audit (the store's audit table
 * and <out>/audit.jsonl), each group once, and again only when its combined total changed. The
 * person-days are not touched: rules.md §3 reports near-identical consignees, it does not merge them.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDecisionStore } from '../adapters/store/sqlite/sqlite-store.js';
import type { AuditRecord } from '../core/aggregate/state.js';
import { findSplitSuspects } from './report-data.js';

export async function auditSplitSuspects(dbPath: string, outDir: string): Promise<AuditRecord[]> {
  const store = new SqliteDecisionStore(dbPath);
  try {
    const written = store.recordSplitSuspects(findSplitSuspects(store.reportQueries()));
    if (written.length > 0)
      appendFileSync(join(outDir, 'audit.jsonl'), written.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return written;
  } finally {
    await store.close();
  }
}
