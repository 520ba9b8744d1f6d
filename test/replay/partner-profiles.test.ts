/**
 * Outbound partner profiles (`s321 replay --partners FILE`): air FSN messages need an airport of
 * arrival per CBP port: the shipped Schedule D table (schemas/airports) gives some without any
 * partner file, a partner's airportByPort the rest. Decisions that cannot be generated stay pending
 * and are reported once, at the end of the run (summary: first ones + count; outbound-issues.jsonl:
 * all), however often the run emitted. With the airports mapped, the bench traffic's air FSNs
 * (2-character carrier codes, as IATA's) are all generated — which the last test pins down.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import { loadPartnerProfiles, PartnerProfileError } from '../../src/app/partner-profiles.js';
import { runReplay } from '../../src/app/replay.js';
import { airportOfPort } from '../../src/core/generate/schedule-d.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-partners-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const traffic = join(scratch, 'traffic');
writeTraffic(traffic, { seed: 11, shipments: 4000 });

describe('partner profiles', () => {
  it('a profile file that does not validate stops before anything runs, naming the field', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ all: { camir: { airportByPort: { '5206': 42 } } } }));
    await expect(loadPartnerProfiles(bad)).rejects.toThrow(PartnerProfileError);
    await expect(loadPartnerProfiles(bad)).rejects.toThrow(/bad\.json all: .*camir\.airportByPort\.5206/);
  });

  it('a recipient entry overrides "all", other recipients get "all"', async () => {
    const file = join(scratch, 'two.json');
    writeFileSync(
      file,
      JSON.stringify({
        all: { camir: { defaultAirport: 'JFK' } },
        recipients: { QA: { camir: { defaultAirport: 'MIA' } } },
      }),
    );
    const lookup = await loadPartnerProfiles(file);
    expect(lookup('QA', 'air-camir-fsn')).toMatchObject({
      id: 'QA',
      receiverId: 'QA',
      camir: { defaultAirport: 'MIA' },
    });
    expect(lookup('ZZ', 'air-camir-fsn')).toMatchObject({
      id: 'ZZ',
      receiverId: 'ZZ',
      camir: { defaultAirport: 'JFK' },
    });
  });

  it('air FSN decisions that cannot be generated stay pending and are each reported once, at the end; an airport table removes the airport errors', async () => {
    const base = {
      inputs: [traffic],
      now: '2025-06-10T18:00',
      normalize: { rates: benchRates() },
      emitEvery: 50,
    };
    const bare = join(scratch, 'bare');
    const without = await runReplay({ ...base, dbPath: join(bare, 's.db'), outDir: bare });
    const missing = readFileSync(join(bare, 'outbound-issues.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { code: string; message: string; severity: string });
    // Warnings (unconfirmed defaults, FSNs without ARR) are logged too; the summary counts errors.
    const missingErrors = missing.filter((i) => i.severity === 'error');
    const fsnDecisions = readFileSync(join(bare, 'decisions.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"channel":"air-camir-fsn"'));
    expect(fsnDecisions.length).toBeGreaterThan(0);
    // Emitted every 50 decisions, yet each stuck decision is reported exactly once (by the last emit).
    const noAirport = (issues: Array<{ message: string }>) =>
      issues.filter((i) => i.message.includes('airport of arrival'));
    // Ports in the shipped Schedule D table go out without any partner file; the others are stuck.
    const unmapped = fsnDecisions.filter(
      (l) => airportOfPort((JSON.parse(l) as { port?: string }).port ?? '') === null,
    );
    expect(unmapped.length).toBeGreaterThan(0);
    expect(noAirport(missing)).toHaveLength(unmapped.length);
    expect(new Set(noAirport(missing).map((i) => i.message)).size).toBe(unmapped.length);
    expect(without.emitIssueCount).toBe(missingErrors.length);
    expect(without.emitIssues).toEqual(
      missingErrors.slice(0, 100).map(({ code, message }) => ({ code, message })),
    );

    const profile = join(scratch, 'airports.json');
    const ports = ['4701', '2720', '3901', '5206', '1704', '4196', '2095', '3029'];
    writeFileSync(
      profile,
      JSON.stringify({ all: { camir: { airportByPort: Object.fromEntries(ports.map((p) => [p, 'JFK'])) } } }),
    );
    const mapped = join(scratch, 'mapped');
    const withProfile = await runReplay({
      ...base,
      dbPath: join(mapped, 's.db'),
      outDir: mapped,
      partners: await loadPartnerProfiles(profile),
    });
    // The airports are found: nothing is left unsent (only warnings remain: no flight for ARR, the
    // unconfirmed CSN entry field), and the FSN files are written.
    const left = existsSync(join(mapped, 'outbound-issues.jsonl'))
      ? readFileSync(join(mapped, 'outbound-issues.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { severity: string })
      : [];
    expect(left.filter((i) => i.severity !== 'warning')).toEqual([]);
    expect(withProfile.emitIssueCount).toBe(0);
    const fsnFiles = readdirSync(join(mapped, 'outbound')).filter(
      (f) => f.startsWith('air-camir-fsn') && !f.endsWith('.json'),
    );
    expect(fsnFiles.length).toBeGreaterThan(0);
    const sent = fsnFiles.map((f) => readFileSync(join(mapped, 'outbound', f), 'latin1')).join('');
    // Every FSN decision's air waybill is in one of them.
    for (const line of fsnDecisions) expect(sent).toContain((JSON.parse(line) as { scn: string }).scn);
    expect(withProfile.decisions).toBe(without.decisions);
  });
});
