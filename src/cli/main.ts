#!/usr/bin/env node
/**
 * The `s321` executable. The commands are in program.ts, loaded only once it is decided that this
 * process runs them: a `s321 replay` without a heap budget re-runs itself with one (heap-budget.ts)
 * and this process only waits, as a bare Node process (~45 MB RSS; with every command's modules
 * loaded it was ~95 MB, a third of the replay's memory budget).
 */
import { needsHeapBudget, rerunWithHeapBudget } from './heap-budget.js';

if (needsHeapBudget(process.argv, process.execArgv, process.env)) process.exit(await rerunWithHeapBudget());
await import('./program.js');
