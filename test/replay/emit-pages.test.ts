/**
 * emitOutbound reads pending decisions a page at a time: memory is bounded by the page, every
 * decision is sent exactly once whatever the page size, and each page's issues reach the callback.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import type { Issue } from '../../src/core/model/issue.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { ev } from '../aggregate/event-builder.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-emit-pages-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function storeWithDecisions(name: string): Promise<SqliteDecisionStore> {
  const store = new SqliteDecisionStore(join(scratch, `${name}.db`));
  // 25 truck shipments of $100 for one person on one day: the 9th crosses $800, every bill is notified.
  const events = Array.from({ length: 25 }, (_, i) => ({
    ...ev({ bill: `P${i}`, consignee: 'na|ANN LEE|1 ELM ST|DETROIT|MI|48201|US', cents: 10_000 }),
    port: '3801',
  }));
  await applyBatch(
    store,
    [{ sender: 'S', controlNumber: '1', fingerprint: name, file: 'f', events }],
    aggregationConfig(),
  );
  return store;
}

describe('emitOutbound pages', () => {
  it('sends every pending decision exactly once with a page of 7 as with one page', async () => {
    const results: Array<{ ids: string[]; files: number }> = [];
    for (const pageSize of [7, 10_000]) {
      const store = await storeWithDecisions(`p${pageSize}`);
      const pendingBefore = (await store.pendingDecisions()).map((d) => d.decisionId);
      expect(pendingBefore.length).toBeGreaterThan(pageSize === 7 ? 14 : 0);
      const dir = join(scratch, `out-${pageSize}`);
      mkdirSync(dir);
      const issues: Issue[] = [];
      const out = await emitOutbound(
        store,
        dir,
        fixedClock('2025-06-10T18:00'),
        undefined,
        0,
        (page) => issues.push(...page),
        pageSize,
      );
      expect(out.issues).toEqual([]); // handed to the callback instead
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(out.decisions).toBe(pendingBefore.length);
      expect(await store.pendingDecisions()).toEqual([]);
      expect(out.nextSeq).toBeGreaterThan(Math.max(...(await store.allDecisions()).map((d) => d.seq)));
      results.push({
        ids: pendingBefore,
        files: readdirSync(dir).filter((f) => !f.endsWith('.json')).length,
      });
      await store.close();
    }
    const [paged, whole] = results as [{ ids: string[]; files: number }, { ids: string[]; files: number }];
    expect(paged.ids).toEqual(whole.ids);
    expect(paged.files).toBeGreaterThan(whole.files); // a file per channel and recipient per page
  });
});
