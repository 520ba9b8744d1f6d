/**
 * Acknowledgments in queue mode: the ingest worker records the 999/TA1/CONTRL of every interchange
 * in the Redis store and the emit worker writes them to the acknowledgment folder. The same inputs
 * (X12 309 and 350, EDIFACT CUSCAR, a redelivered interchange, a bad SE count, a bad UNT count, an
 * envelope error answered by a TA1) give byte for byte the acknowledgments `s321 replay` writes
 * (same clock, fresh stores, one ingest job at a time so control numbers are reserved in the same
 * order); only the file names differ (queue mode's carry the arrival sequence, not the
 * acknowledgment's own control number). A redelivered ingest job adds no acknowledgment and reserves
 * no control number, and an input that produces no decision has its acknowledgment written all the same.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { INTERCHANGE_JOB_NAME } from '../../src/adapters/queue/producer-job.js';
import { jobIds, queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import { recordAcknowledgments } from '../../src/app/queue/ingest-acks.js';
import { ingestBytes } from '../../src/app/queue/ingest-bytes.js';
import { ingestJobData } from '../../src/app/queue/ingest-input.js';
import type { IngestJobResult } from '../../src/app/queue/ingest-processor.js';
import { runReplay } from '../../src/app/replay.js';
import type { DecisionStore } from '../../src/ports/decision-store.js';
import { startAggregateWorker } from '../../workers/aggregate.js';
import { startEmitWorker } from '../../workers/emit.js';
import { startIngestWorker } from '../../workers/ingest.js';
import type { RunningWorker } from '../../workers/worker-runtime.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { serviceNormalizers } from './support/normalizers.js';
import { testSettings, waitForGate } from './support/queue-fixture.js';
import { MAX_BYTES } from './support/traffic-run.js';

const NOW = '2025-06-10T18:00';

/** Input name (as `s321 replay` names it, relative to its input folder) → fixture file. */
const INPUTS: Record<string, string> = {
  'malformed/309-se-count.edi': 'fixtures/x12/309/malformed-se-count/input.edi',
  'malformed/cuscar-unt-count.edi': 'fixtures/edifact/cuscar/malformed-unt-count/input.edi',
  'malformed/x12-iea-control.edi': 'fixtures/golden/ack-ta1/iea-control/inbound.x12',
  ...Object.fromEntries(
    ['release2-day', 'release3-day'].flatMap((day) =>
      readdirSync(join('fixtures/replay', day)).map((f) => [`${day}/${f}`, join('fixtures/replay', day, f)]),
    ),
  ),
};
/** In the order `s321 replay` reads them (sorted), which is the arrival order given to queue mode. */
const NAMES = Object.keys(INPUTS).sort();

let server: RedisTestServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** `<input>.<interchange control>` of an acknowledgment file name, queue mode's or embedded mode's. */
function ackKey(name: string, queueMode: boolean): string {
  const withoutSeq = queueMode ? name.replace(/^\d{9}\./, '') : name;
  return withoutSeq.slice(0, withoutSeq.lastIndexOf('.ack-'));
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

async function until(what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('queue-mode acknowledgments', () => {
  it('every interchange acknowledged as in embedded mode, once, by the emit worker', async () => {
    // Embedded mode on the same inputs: the reference acknowledgments.
    const inDir = mkdtempSync(join(tmpdir(), 's321-acks-in-'));
    for (const name of NAMES) {
      mkdirSync(dirname(join(inDir, name)), { recursive: true });
      copyFileSync(INPUTS[name] as string, join(inDir, name));
    }
    const embeddedOut = mkdtempSync(join(tmpdir(), 's321-acks-embedded-'));
    const summary = await runReplay({
      inputs: [inDir],
      dbPath: join(embeddedOut, 's321.db'),
      outDir: embeddedOut,
      now: NOW,
    });
    expect(summary).toMatchObject({
      files: NAMES.length,
      interchanges: NAMES.length,
      interchangesRejected: 1,
    });
    const expected = new Map(
      filesIn(join(embeddedOut, 'acks')).map((f) => [
        ackKey(f, false),
        readFileSync(join(embeddedOut, 'acks', f), 'latin1'),
      ]),
    );
    // Every interchange has one; among them rejections of a transaction set (bad SE count), of a
    // message (bad UNT count) and of a whole interchange (TA1).
    expect(expected.size).toBe(summary.interchanges);
    const all = [...expected.values()].join('\n');
    expect(all).toMatch(/IK5\*R\*4~/);
    expect(all).toMatch(/UCM\+1\+CUSCAR:D:03B:UN\+4\+29'/);
    expect(all).toMatch(/TA1\*000001201\*250310\*1430\*R\*001~/);

    // Queue mode: one ingest job at a time (control numbers reserved in arrival order, as above).
    const settings = testSettings(server.url, 'acks', { concurrency: 1 });
    const topology = queueTopology(settings.queueName);
    const clock = fixedClock(NOW);
    const out = mkdtempSync(join(tmpdir(), 's321-acks-queue-'));
    const dirs = { outbound: join(out, 'outbound'), acks: join(out, 'acks') };
    mkdirSync(dirs.outbound, { recursive: true });
    const client = new Redis(server.url, { maxRetriesPerRequest: null });
    const store = new RedisDecisionStore({ client, namespace: settings.storeNamespace });
    const inputs = new Queue(topology.ingest, { connection: client, prefix: settings.bullPrefix });
    const emits = new Queue(topology.emit, { connection: client, prefix: settings.bullPrefix });
    const jobData = (seq: number, name: string, file = INPUTS[name] as string) =>
      ingestJobData(seq, name, readFileSync(file));
    await inputs.addBulk(
      NAMES.map((name, i) => ({
        name: INTERCHANGE_JOB_NAME,
        data: jobData(i + 1, name),
        opts: { jobId: jobIds.ingest(i + 1) },
      })),
    );
    const lastSeq = NAMES.length;
    const ingestOptions = { strict: false, maxBytes: MAX_BYTES, normalizers: serviceNormalizers() };
    const workers: RunningWorker[] = [];
    const emitIdle = async (): Promise<boolean> => {
      const counts = await emits.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
      return Object.values(counts).every((n) => n === 0);
    };
    try {
      workers.push(await startIngestWorker({ settings, clock, ingest: ingestOptions }));
      workers.push(await startAggregateWorker({ settings }));
      workers.push(
        await startEmitWorker({
          settings,
          emit: async (s: DecisionStore) => ({ files: (await emitOutbound(s, dirs, clock)).files.length }),
        }),
      );

      await waitForGate(store, lastSeq, 60_000);
      await until(`${expected.size} acknowledgment files`, 60_000, async () => {
        const stats = await store.stats();
        return filesIn(dirs.acks).length >= expected.size && stats.unwritten === 0 && stats.pending === 0;
      });
      const written = filesIn(dirs.acks);
      expect(written).toHaveLength(expected.size);
      const got = new Map(written.map((f) => [ackKey(f, true), readFileSync(join(dirs.acks, f), 'latin1')]));
      expect(new Set(got.keys())).toEqual(new Set(expected.keys()));
      for (const [key, content] of expected) expect(got.get(key), key).toBe(content);
      // Named by arrival sequence and interchange; the outbound folder holds no acknowledgment and
      // acknowledgments have no JSON twin.
      expect(written).toContain('000000002.malformed__cuscar-unt-count.edi.7004.ack-contrl_ACMETRUCK.edi');
      expect(written).toContain('000000003.malformed__x12-iea-control.edi.000001201.ack-ta1_ABCD.x12');
      expect(filesIn(dirs.outbound).filter((f) => f.includes('.ack-'))).toEqual([]);
      expect(filesIn(dirs.outbound).length).toBeGreaterThan(0);

      // Redelivery of every ingest job (a worker that died after recording, a stalled job run
      // again): no second acknowledgment, no control number reserved, nothing left to write.
      const controlBefore = await client.hgetall(store.keys.control);
      const recordedBefore = await client.hlen(store.keys.outboundFiles);
      const decisionsBefore = (await store.stats()).decisions;
      const again = NAMES.map((name, i) => ({
        id: `${jobIds.ingest(i + 1)}-again`,
        data: jobData(i + 1, name),
      }));
      await inputs.addBulk(
        again.map((j) => ({ name: INTERCHANGE_JOB_NAME, data: j.data, opts: { jobId: j.id } })),
      );
      const results: IngestJobResult[] = [];
      await until('the redelivered ingest jobs', 60_000, async () => {
        results.length = 0;
        for (const j of again) {
          const job = await inputs.getJob(j.id);
          if (job?.finishedOn === undefined) return false;
          results.push(job.returnvalue as IngestJobResult);
        }
        return true;
      });
      expect(results.map((r) => r.acks)).toEqual(NAMES.map(() => 0));
      expect(results.map((r) => r.acksRecordedBefore)).toEqual(NAMES.map(() => 1));
      await waitForGate(store, lastSeq, 30_000);
      await until('the emit queue to drain', 30_000, emitIdle);
      expect(filesIn(dirs.acks)).toEqual(written);
      expect(await client.hgetall(store.keys.control)).toEqual(controlBefore);
      expect(await client.hlen(store.keys.outboundFiles)).toBe(recordedBefore);
      expect((await store.stats()).unwritten).toBe(0);
      expect((await store.stats()).decisions).toBe(decisionsBefore);

      // Two runs of one job at once: the second finds nothing recorded when it looks, but the store
      // refuses the names the first recorded meanwhile, so it adds nothing either.
      const name = NAMES[4] as string;
      const read = await ingestBytes(readFileSync(INPUTS[name] as string), name, ingestOptions);
      const racing = {
        reserveControlNumbers: store.reserveControlNumbers.bind(store),
        recordOutbound: store.recordOutbound.bind(store),
        outboundRecorded: async (names: string[]) => names.map(() => false),
      };
      expect(await recordAcknowledgments(racing, { seq: 5, name }, read.outcome, clock)).toEqual({
        recorded: 0,
        already: 1,
      });
      expect(await client.hlen(store.keys.outboundFiles)).toBe(recordedBefore);
      expect((await store.stats()).unwritten).toBe(0);

      // A late input that produces no decision (an envelope error): the aggregate worker triggers
      // no emit for it, the ingest worker's trigger gets its TA1 written.
      const lateSeq = lastSeq + 1;
      await inputs.add(
        INTERCHANGE_JOB_NAME,
        jobData(lateSeq, 'late/envelope-error.edi', INPUTS['malformed/x12-iea-control.edi']),
        {
          jobId: jobIds.ingest(lateSeq),
        },
      );
      const lateName = '000000013.late__envelope-error.edi.000001201.ack-ta1_ABCD.x12';
      await waitForGate(store, lateSeq, 30_000);
      await until('the late acknowledgment', 30_000, async () => filesIn(dirs.acks).includes(lateName));
      expect((await store.partOutcome(lateSeq, 0))?.decisionIds).toEqual([]);
      expect(filesIn(dirs.acks)).toEqual([...written, lateName].sort());
      // The next TA1 to that partner: the same content as the first with the next control number.
      const late = readFileSync(join(dirs.acks, lateName), 'latin1');
      const first = got.get('malformed__x12-iea-control.edi.000001201') as string;
      expect(late).toBe(first.replaceAll('000000001', '000000002'));
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await inputs.close();
      await emits.close();
      await store.close();
      await client.quit();
    }
  }, 180_000);
});
