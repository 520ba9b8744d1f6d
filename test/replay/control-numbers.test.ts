/**
 * A file that cannot be generated uses up no control number: the partner must see no gap. Air FSN
 * decisions without an airport of arrival stay pending; once the airports are given, each air
 * partner's first file is number 1. Before, every failed attempt (each emit of the run) reserved an
 * interchange, a group and a message number per failed file.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import { runReplay } from '../../src/app/replay.js';
import { DEFAULT_PARTNER_PROFILE } from '../../src/core/generate/index.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-control-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('control numbers', () => {
  it('failed generation uses up no file number', async () => {
    const traffic = join(scratch, 'traffic');
    writeTraffic(traffic, { seed: 11, shipments: 4000 });
    const out = join(scratch, 'out');
    const options = {
      inputs: [traffic],
      dbPath: join(out, 's.db'),
      outDir: out,
      now: '2025-06-10T18:00',
      normalize: { rates: benchRates() },
      emitEvery: 50,
    };
    const without = await runReplay(options);
    expect(without.emitIssues.some((i) => /airport/.test(i.message))).toBe(true);
    const fsn = () => readdirSync(join(out, 'outbound')).filter((f) => f.startsWith('air-camir-fsn_'));
    expect(fsn()).toEqual([]);
    await runReplay({
      ...options,
      partners: (recipient) => ({
        ...DEFAULT_PARTNER_PROFILE,
        id: recipient,
        receiverId: recipient,
        camir: { ...DEFAULT_PARTNER_PROFILE.camir, defaultAirport: 'JFK' },
      }),
    });
    const byRecipient = new Map<string, number[]>();
    for (const f of fsn()) {
      const [, recipient, n] = /^air-camir-fsn_(.+)_(\d{9})\./.exec(f) ?? [];
      byRecipient.set(recipient as string, [...(byRecipient.get(recipient as string) ?? []), Number(n)]);
    }
    expect(byRecipient.size).toBeGreaterThan(0);
    for (const [recipient, numbers] of byRecipient) expect(Math.min(...numbers), recipient).toBe(1);
  }, 120_000);
});
