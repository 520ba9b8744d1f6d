/**
 * End to end on the embedded default: the certification fixture set (fixtures/replay) replayed into
 * a fresh SQLite file gives exactly the golden decisions.jsonl, outbound files with their JSON twins,
 * acknowledgments, quarantine reasons and ledger (fixtures/golden/replay; UPDATE_GOLDEN=1 rewrites).
 * A second run on the same database adds nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundProfileWithDialects, loadRateTable } from '../../src/app/normalizers.js';
import { runReplay } from '../../src/app/replay.js';
import { listOutputFiles } from './support/output-files.js';

const GOLDEN = 'fixtures/golden/replay';
const update = process.env.UPDATE_GOLDEN === '1';

describe('replay of fixtures/replay (golden)', async () => {
  const rates = await loadRateTable('config/currency-rates.json');
  const out = mkdtempSync(join(tmpdir(), 's321-replay-'));
  const db = join(out, 's321.db');
  // QUICKAIR still writes the companion guide's N9*ZZ markers: it is read with that partner dialect,
  // as scripts/main-job.sh does (--dialect QUICKAIR=s321-companion); every other sender with CBP's layouts.
  const profile = inboundProfileWithDialects(['QUICKAIR=s321-companion']);
  const options = {
    inputs: ['fixtures/replay'],
    dbPath: db,
    outDir: out,
    now: '2025-06-10T18:00',
    normalize: { rates, profile },
  };
  const first = await runReplay(options);
  const produced = listOutputFiles(out);

  if (update) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const f of produced) {
      mkdirSync(join(GOLDEN, f, '..'), { recursive: true });
      writeFileSync(join(GOLDEN, f), readFileSync(join(out, f)));
    }
  }

  it('produces exactly the golden set of files', () => {
    expect(produced).toEqual(listOutputFiles(GOLDEN));
  });

  it.each(listOutputFiles(GOLDEN))('%s is byte-for-byte the golden', (f) => {
    expect(readFileSync(join(out, f)).toString('latin1')).toBe(
      readFileSync(join(GOLDEN, f)).toString('latin1'),
    );
  });

  it('summarises what it did: one duplicate, one bad message, one bad shipment', () => {
    expect(first).toMatchObject({
      files: 9,
      interchanges: 9,
      duplicates: 1,
      messagesRejected: 1,
      shipmentsRejected: 1,
      decisions: 13,
      outboundFiles: 7,
      emitIssues: [],
    });
  });

  it('a second run on the same database adds no decision and sends nothing', async () => {
    const acksBefore = readdirSync(join(out, 'acks')).sort();
    const again = await runReplay(options);
    // The same inputs are accounted again as duplicates, and not acknowledged again (a rerun after a
    // crash used to send them new acknowledgments under new control numbers).
    expect(readdirSync(join(out, 'acks')).sort()).toEqual(acksBefore);
    expect(again.acknowledgments).toBe(0);
    expect(again.duplicateFiles).toHaveLength(9);
    const ledger = readFileSync(join(out, 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(ledger.slice(9).map((l) => l.outcome)).toEqual(Array(9).fill('duplicate'));
    expect(again.decisions).toBe(0);
    expect(again.outboundFiles).toBe(0);
    // Every interchange of the set carries shipments, so all nine are recognised as already applied.
    expect(again.duplicates).toBe(9);
    expect(readFileSync(join(out, 'decisions.jsonl'), 'utf8')).toBe(
      readFileSync(join(GOLDEN, 'decisions.jsonl'), 'utf8'),
    );
  });
});
