/**
 * emitOutbound reads pending decisions a page at a time: memory is bounded by the page, every
 * decision is sent exactly once whatever the page size, and each page's issues reach the callback.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import type { Issue } from '../../src/core/model/issue.js';
import { storeWithDecisions } from './support/store-with-decisions.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-emit-pages-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('emitOutbound pages', () => {
  it('sends every pending decision exactly once with a page of 7 as with one page', async () => {
    const results: Array<{ ids: string[]; files: number }> = [];
    for (const pageSize of [7, 10_000]) {
      const store = await storeWithDecisions(scratch, `p${pageSize}`, 25, 'P');
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
