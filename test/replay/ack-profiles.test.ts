/**
 * Acknowledgments follow each sender's partner profile in `s321 replay` (src/app/acks.ts
 * ackPartnerProfile, the choice queue mode's ingest worker makes too): with a partner file asking for
 * a 997 for ACMETRUCK (a 4010 partner), its three truck manifests of the certification day are
 * acknowledged by 997s (ISA 00401, GS FA 004010, AK1/AK2/AK5/AK9 — one of them rejecting the
 * transaction set with the bad segment count), golden in fixtures/golden/replay-ack-997
 * (UPDATE_GOLDEN=1 rewrites); every other sender keeps the 999 or CONTRL of the plain replay's
 * golden (fixtures/golden/replay/acks), byte for byte. Through the built CLI too (`--partners`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inboundProfileWithDialects, loadRateTable } from '../../src/app/normalizers.js';
import { loadPartnerProfiles } from '../../src/app/partner-profiles.js';
import { runReplay } from '../../src/app/replay.js';

const GOLDEN_997 = 'fixtures/golden/replay-ack-997';
const GOLDEN_PLAIN = 'fixtures/golden/replay/acks';
const update = process.env.UPDATE_GOLDEN === '1';

const scratch = mkdtempSync(join(tmpdir(), 's321-ack-profiles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const partnersFile = join(scratch, 'partners.json');
writeFileSync(
  partnersFile,
  JSON.stringify({ recipients: { ACMETRUCK: { x12: { ack: { kind: '997' } } } } }, null, 2),
);

const files = (dir: string): string[] => readdirSync(dir).sort();
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'latin1');

describe('acknowledgments follow the partner profile in replay', async () => {
  const rates = await loadRateTable('config/currency-rates.json');
  const profile = inboundProfileWithDialects(['QUICKAIR=s321-companion']);
  const out = join(scratch, 'api');
  const summary = await runReplay({
    inputs: ['fixtures/replay'],
    dbPath: join(out, 's321.db'),
    outDir: out,
    now: '2025-06-10T18:00',
    normalize: { rates, profile },
    partners: await loadPartnerProfiles(partnersFile),
  });
  const acks = join(out, 'acks');
  const acme = files(acks).filter((f) => f.includes('_ACMETRUCK_'));

  if (update) {
    rmSync(GOLDEN_997, { recursive: true, force: true });
    mkdirSync(GOLDEN_997, { recursive: true });
    for (const f of acme) writeFileSync(join(GOLDEN_997, f), readFileSync(join(acks, f)));
  }

  it('the 4010 partner that asks for it gets 997s, golden byte for byte', () => {
    expect(summary.acknowledgments).toBe(9);
    expect(acme).toEqual(files(GOLDEN_997));
    expect(acme).toHaveLength(3);
    for (const f of acme) {
      expect(f).toMatch(/\.ack-997_ACMETRUCK_\d{9}\.x12$/);
      expect(read(acks, f), f).toBe(read(GOLDEN_997, f));
      expect(read(acks, f)).toMatch(/^ISA\*(?:[^*]*\*){11}00401\*/);
      expect(read(acks, f)).toMatch(/ST\*997\*/);
      expect(read(acks, f)).not.toMatch(/ST\*999\*|IK5/);
    }
    // The manifest with the bad SE count is rejected in the 997's own terms.
    expect(acme.map((f) => read(acks, f)).join('\n')).toMatch(/AK5\*R\*4~/);
  });

  it('every other sender keeps the acknowledgment of the plain replay', () => {
    const others = files(acks).filter((f) => !f.includes('_ACMETRUCK_'));
    const plainOthers = files(GOLDEN_PLAIN).filter((f) => !f.includes('_ACMETRUCK_'));
    expect(others).toEqual(plainOthers);
    for (const f of others) expect(read(acks, f), f).toBe(read(GOLDEN_PLAIN, f));
    // Without the partner file ACMETRUCK's are 999s: the file is what changed them.
    expect(files(GOLDEN_PLAIN).filter((f) => f.includes('_ACMETRUCK_'))).toEqual(
      acme.map((f) => f.replace('ack-997_', 'ack-999_')),
    );
  });

  it('s321 replay --partners writes the same 997s', () => {
    const cliOut = join(scratch, 'cli');
    const run = spawnSync(
      process.execPath,
      [
        'dist/src/cli/main.js',
        'replay',
        'fixtures/replay',
        '--db',
        join(cliOut, 's321.db'),
        '--out',
        cliOut,
        '--now',
        '2025-06-10T18:00',
        '--rates',
        'config/currency-rates.json',
        '--dialect',
        'QUICKAIR=s321-companion',
        '--partners',
        partnersFile,
      ],
      { encoding: 'utf8' },
    );
    // Exit 2: the day has a rejected message and a rejected shipment (README: replay's exit codes).
    expect(run.status, run.stderr).toBe(2);
    const cliAcme = files(join(cliOut, 'acks')).filter((f) => f.includes('_ACMETRUCK_'));
    expect(cliAcme).toEqual(acme);
    for (const f of cliAcme) expect(read(join(cliOut, 'acks'), f)).toBe(read(GOLDEN_997, f));
  });
});
