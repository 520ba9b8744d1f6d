/**
 * The evicted bills' tag filter: never "no" for a tag added (a wrong "no" would count an evicted
 * bill's late record as new), and rarely "maybe" for one never added at the sizes it is for.
 */
import { describe, expect, it } from 'vitest';
import { TagFilter } from '../../../../src/adapters/store/sqlite/append-layout/tag-filter.js';

describe('TagFilter', () => {
  it('holds every tag added, and answers "maybe" for < 2% of others at 2M tags', () => {
    let s = 12345;
    const next = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s;
    };
    const filter = new TagFilter();
    const added = new Uint32Array(2_000_000).map(() => next());
    for (const t of added) filter.add(t);
    expect(added.every((t) => filter.mayHold(t))).toBe(true);
    const set = new Set(added);
    let maybe = 0;
    let asked = 0;
    for (let i = 0; i < 200_000; i++) {
      const t = next() ^ 0x5bd1e995;
      if (set.has(t >>> 0)) continue;
      asked++;
      if (filter.mayHold(t >>> 0)) maybe++;
    }
    expect(maybe / asked).toBeLessThan(0.02);
    expect(maybe).toBeGreaterThan(0); // a fixed size: it does fill up
    expect(filter.bytes).toBe(4 * 1024 * 1024);
  });
});
