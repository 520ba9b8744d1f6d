/**
 * When `s321` re-runs itself with a heap budget (src/cli/heap-budget.ts): `replay` with no heap
 * size from the user, never another command, never twice, never over the user's own setting.
 */
import { describe, expect, it } from 'vitest';
import { budgetEnv, needsHeapBudget } from '../../src/cli/heap-budget.js';

const argv = (...args: string[]) => ['/usr/bin/node', '/x/dist/src/cli/main.js', ...args];

describe('needsHeapBudget', () => {
  it('replay with no heap flags: yes', () => {
    expect(needsHeapBudget(argv('replay', 'in/', '--db', 'x.db'), [], {})).toBe(true);
    expect(
      needsHeapBudget(argv('replay', 'in/'), ['--enable-source-maps'], { NODE_OPTIONS: '--trace-warnings' }),
    ).toBe(true);
  });

  it('other commands, or no command: no', () => {
    for (const c of ['serve', 'worker', 'report', 'inspect', 'parse', 'enqueue'])
      expect(needsHeapBudget(argv(c, 'x'), [], {})).toBe(false);
    expect(needsHeapBudget(argv('--help'), [], {})).toBe(false);
    expect(needsHeapBudget(argv(), [], {})).toBe(false);
  });

  it("the user's own old-space size wins, from node flags or NODE_OPTIONS, in either spelling", () => {
    expect(needsHeapBudget(argv('replay', 'in/'), ['--max-old-space-size=2048'], {})).toBe(false);
    expect(needsHeapBudget(argv('replay', 'in/'), ['--max_old_space_size=512'], {})).toBe(false);
    expect(
      needsHeapBudget(argv('replay', 'in/'), [], { NODE_OPTIONS: '--inspect --max-old-space-size=4096' }),
    ).toBe(false);
  });

  it('the re-run child does not re-run again', () => {
    expect(
      needsHeapBudget(argv('replay', 'in/'), ['--max-semi-space-size=4'], { S321_HEAP_BUDGET: '1' }),
    ).toBe(false);
  });
});

describe('budgetEnv', () => {
  it("limits glibc's malloc arenas unless the operator set a limit, and marks the child", () => {
    const env = budgetEnv({ PATH: '/bin' });
    expect(env).toMatchObject({ PATH: '/bin', MALLOC_ARENA_MAX: '2', S321_HEAP_BUDGET: '1' });
    expect(needsHeapBudget(argv('replay', 'in/'), [], env)).toBe(false);
    expect(budgetEnv({ MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });
});
