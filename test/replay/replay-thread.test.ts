/**
 * The replay's worker-thread ingest (src/app/ingest-thread.ts) against the in-process driver: same
 * files out, byte for byte, on the certification set and on generated traffic with a tiny in-flight
 * window (so the thread is paused and resumed many times). Runs the compiled dist/ (a worker thread
 * needs JavaScript; `npm test` builds first), like test/cli.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameOutputFiles, listOutputFiles } from './support/output-files.js';

const DIST = resolve('dist');

type ReplayModule = typeof import('../../src/app/replay.js');
type ThreadModule = typeof import('../../src/app/ingest-thread.js');
type ThreadTimes = import('../../src/app/ingest-thread.js').ThreadTimes;
type FilesModule = typeof import('../../src/app/ingest-files.js');
type NormalizersModule = typeof import('../../src/app/normalizers.js');
type TrafficModule = typeof import('../../bench/traffic/index.js');
type StagesModule = typeof import('../../bench/stages/stages.js');

const load = async <T>(path: string): Promise<T> => (await import(join(DIST, path))) as T;

const scratch = mkdtempSync(join(tmpdir(), 's321-replay-thread-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('replay with the ingest thread = replay in one thread', async () => {
  const { runReplay } = await load<ReplayModule>('src/app/replay.js');
  const { ingestInThread, ingestThreadAvailable } = await load<ThreadModule>('src/app/ingest-thread.js');
  const { ingestInProcess } = await load<FilesModule>('src/app/ingest-files.js');
  const { inboundProfileWithDialects, loadRateTable } =
    await load<NormalizersModule>('src/app/normalizers.js');

  it('the compiled build can run the thread', () => {
    expect(ingestThreadAvailable()).toBe(true);
  });

  const compare = async (
    name: string,
    inputs: string[],
    normalize: object,
    maxInFlight: number,
    transfer: 'clone' | 'json-bytes' = 'json-bytes',
    chunkEvents?: number,
  ) => {
    const outA = join(scratch, `${name}-thread`);
    const outB = join(scratch, `${name}-inline`);
    const base = { inputs, now: '2025-06-10T18:00', normalize };
    const a = await runReplay({
      ...base,
      dbPath: join(outA, 's321.db'),
      outDir: outA,
      ingest: ingestInThread({
        maxInFlightEvents: maxInFlight,
        transfer,
        ...(chunkEvents !== undefined ? { chunkEvents } : {}),
      }),
    });
    const b = await runReplay({
      ...base,
      dbPath: join(outB, 's321.db'),
      outDir: outB,
      ingest: ingestInProcess,
    });
    const { elapsedMs: _a, ...summaryA } = a;
    const { elapsedMs: _b, ...summaryB } = b;
    expect(summaryA).toEqual(summaryB);
    expectSameOutputFiles(outA, outB);
    return a;
  };

  it('certification set: the golden files, identical with either driver', async () => {
    const rates = await loadRateTable('config/currency-rates.json');
    // As the golden test and scripts/main-job.sh: QUICKAIR is read with its partner dialect.
    const profile = inboundProfileWithDialects(['QUICKAIR=s321-companion']);
    const summary = await compare('fixtures', ['fixtures/replay'], { rates, profile }, 50);
    expect(summary).toMatchObject({ files: 9, duplicates: 1, decisions: 13, outboundFiles: 7 });
    const golden = 'fixtures/golden/replay';
    for (const f of listOutputFiles(golden)) {
      expect(readFileSync(join(scratch, 'fixtures-thread', f)).equals(readFileSync(join(golden, f))), f).toBe(
        true,
      );
    }
  });

  it('generated traffic with a 100-event window: every shipment, same decisions', async () => {
    const { writeTraffic } = await load<TrafficModule>('bench/traffic/index.js');
    const { benchRates } = await load<StagesModule>('bench/stages/stages.js');
    const dir = join(scratch, 'traffic');
    const traffic = writeTraffic(dir, { seed: 7, shipments: 6000 });
    const summary = await compare('traffic', [dir], { rates: benchRates() }, 100);
    expect(summary.files).toBe(traffic.files.length);
    expect(summary.shipments).toBeGreaterThanOrEqual(traffic.truth.shipments);
    expect(summary.decisions).toBeGreaterThan(0);
  });

  it('events in chunks of 3, an interchange rejected at its IEA and a message at its SE: same files', async () => {
    const { writeTraffic } = await load<TrafficModule>('bench/traffic/index.js');
    const { benchRates } = await load<StagesModule>('bench/stages/stages.js');
    const dir = join(scratch, 'rejected');
    const [file] = writeTraffic(dir, { seed: 11, shipments: 2000 }).files as [string];
    let text = readFileSync(file, 'latin1');
    // The first SE01 off by one (that 309/350 rejected alone), the last IEA02 unlike its ISA13 (TA1).
    text = text.replace(/~SE\*(\d+)\*/, (_m, n: string) => `~SE*${Number(n) + 1}*`);
    const at = text.lastIndexOf('IEA*');
    text = `${text.slice(0, at)}IEA*1*999999999${text.slice(text.indexOf('~', at))}`;
    writeFileSync(file, text, 'latin1');
    const summary = await compare('rejected', [dir], { rates: benchRates() }, 100, 'json-bytes', 3);
    expect(summary.shipments).toBeGreaterThan(0);
    expect(readFileSync(join(scratch, 'rejected-thread', 'ledger.jsonl'), 'utf8')).toMatch(/reject/i);
  });

  it('events sent by structured clone give the same files as JSON bytes (the bench compares both)', async () => {
    const rates = await loadRateTable('config/currency-rates.json');
    await compare('fixtures-clone', ['fixtures/replay'], { rates }, 50, 'clone');
  });

  it('reports how busy each thread was, once, at the end', async () => {
    const times: ThreadTimes[] = [];
    const out = join(scratch, 'times');
    const rates = await loadRateTable('config/currency-rates.json');
    await runReplay({
      inputs: ['fixtures/replay'],
      dbPath: join(out, 's321.db'),
      outDir: out,
      now: '2025-06-10T18:00',
      normalize: { rates },
      ingest: ingestInThread({ onThreadTimes: (t) => times.push(t) }),
    });
    expect(times).toHaveLength(1);
    const [t] = times as [ThreadTimes];
    for (const side of [t.ingest, t.consumer]) {
      expect(side.active).toBeGreaterThan(0);
      expect(side.idle).toBeGreaterThanOrEqual(0);
      if (process.platform === 'linux') expect(side.cpuMs).toBeGreaterThanOrEqual(0);
    }
    // The thread at least loaded its modules and parsed nine files: some CPU in 10 ms ticks.
    if (process.platform === 'linux') expect(t.ingest.cpuMs).toBeGreaterThan(0);
  });

  it('a file that vanishes after listing fails the run with its error, not a hang', async () => {
    const { writeTraffic } = await load<TrafficModule>('bench/traffic/index.js');
    const dir = join(scratch, 'vanish');
    writeTraffic(dir, { seed: 8, shipments: 500 });
    const thread = ingestInThread({ maxInFlightEvents: 1000 });
    const out = join(scratch, 'vanish-out');
    const run = runReplay({
      inputs: [dir],
      dbPath: join(out, 's321.db'),
      outDir: out,
      ingest: (list, settings, consumer) => {
        rmSync((list[list.length - 1] as { path: string }).path);
        return thread(list, settings, consumer);
      },
    });
    await expect(run).rejects.toThrow(/ENOENT/);
  });
});
