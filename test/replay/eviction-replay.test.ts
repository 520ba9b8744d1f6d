/**
 * A replay whose SQLite store evicts every day but the newest (hotDays 0) writes the same
 * decisions.jsonl, audit.jsonl and ledger.jsonl, byte for byte, as one that evicts nothing, on
 * generated traffic over five days (late amendments, redeliveries, status of earlier days' bills)
 * in commits of 997 events, so days are evicted between commits all through the run. And so does
 * one whose row cap evicts the oldest rows of the newest day too (docs/replay-memory.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTraffic } from '../../bench/traffic/index.js';
import { runReplay } from '../../src/app/replay.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-eviction-replay-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const OUTPUTS = ['decisions.jsonl', 'audit.jsonl', 'ledger.jsonl'];

describe('replay with old days evicted', () => {
  it('writes the same decisions, audit and ledger as with every day held', async () => {
    const input = join(scratch, 'in');
    writeTraffic(input, { seed: 14, shipments: 12_000, days: 5 });
    const run = async (name: string, hotDays: number, maxHeldRows?: number) => {
      const dbPath = join(scratch, `${name}.db`);
      const outDir = join(scratch, name);
      await runReplay({
        inputs: [input],
        dbPath,
        outDir,
        now: '2025-06-30T12:00',
        batchEvents: 997,
        retentionDays: 0,
        hotDays,
        ...(maxHeldRows !== undefined ? { maxHeldRows } : {}),
      });
      const db = new Database(dbPath, { readonly: true });
      const cold = db
        .prepare<[], { before: number | null; pdBelow: number | null; bills: number; personDays: number }>(
          `SELECT (SELECT v FROM meta WHERE k = 'cold_before') AS before,
                  (SELECT v FROM meta WHERE k = 'cold_pd_below') AS pdBelow,
                  (SELECT count(*) FROM cold_bills) AS bills, (SELECT count(*) FROM cold_person_days) AS personDays`,
        )
        .get();
      db.close();
      return { cold, files: OUTPUTS.map((f) => readFileSync(join(outDir, f), 'utf8')) };
    };
    const held = await run('held', 1000);
    const evicted = await run('evicted', 0);
    expect(held.cold).toEqual({ before: null, pdBelow: null, bills: 0, personDays: 0 });
    expect(evicted.cold?.before).toBeGreaterThan(0);
    expect(evicted.cold?.bills).toBeGreaterThan(5_000); // four of five days' bills
    expect(evicted.cold?.personDays).toBeGreaterThan(3_000);
    expect(held.files[0]?.split('\n').length).toBeGreaterThan(500); // the traffic does decide
    for (const [i, name] of OUTPUTS.entries()) expect(evicted.files[i], name).toBe(held.files[i]);
    // The row cap (~3,500 rows a day against a cap of 1,000): the oldest rows of the newest day
    // are evicted too, many times a day.
    const capped = await run('capped', 0, 1_000);
    expect(capped.cold?.pdBelow).toBeGreaterThan(0);
    expect(capped.cold?.personDays).toBeGreaterThan(evicted.cold?.personDays ?? 0);
    for (const [i, name] of OUTPUTS.entries()) expect(capped.files[i], name).toBe(held.files[i]);
  }, 240_000);
});
