/**
 * `s321 serve` as the long-running OS process an operator starts: the compiled CLI (a private
 * build, not dist/) with a service config file naming a data folder and a password-protected
 * redis-server on 127.0.0.1. Files are uploaded into the inbox the way an SFTP client does (a
 * `.part` name, then a rename), one at a time; each must end archived (on the queue) or quarantined
 * with its reason, its interchanges acknowledged in acks/, and its decisions written to outbound/.
 * With the same fixed clock (`--now`), the outbound files (names, content, JSON twins), the
 * decisions and the acknowledgments' content are those of `s321 replay` run on the inputs serve
 * accepted, in the same order (one replay per input on one database: the same batch and emit
 * boundaries as a serve that has finished each input before the next arrives). A byte-identical
 * redelivery is archived but de-duplicated by the producer (no sequence, no acknowledgment); inputs
 * with rejections are dead-lettered (what replay quarantines); an empty file is quarantined by the
 * intake. A file dropped later is picked up by the running process. SIGTERM: exit 0, and the Redis
 * password never appears in its output.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivalSequenceKey } from '../../src/adapters/queue/producer-job.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { runReplay } from '../../src/app/replay.js';
import type { Decision } from '../../src/core/model/decision.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { buildProject, PROJECT_ROOT } from './support/build.js';

const NOW = '2025-06-10T18:00';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const QUEUE = `serve-proc-${randomBytes(4).toString('hex')}`;
const BULL_PREFIX = 'bull';

const fixture = (p: string): string => join(PROJECT_ROOT, p);
const R2 = 'fixtures/replay/release2-day';

/** Uploaded in this order, each once the previous one is done (arrival order = this order). */
const INITIAL: ReadonlyArray<{ name: string; bytes: Buffer }> = [
  ...[
    '01-truck-manifest.edi', // X12 309, truck
    '02-truck-manifest-redelivered.edi', // the same interchange again: a duplicate
    '03-air-express-manifest.edi', // X12 309, air express: the person-day crosses $800
    '04-ocean-cuscar.edi', // EDIFACT CUSCAR, ocean; one shipment in an unknown currency
    '05-truck-manifest-bad-count.edi', // malformed: bad SE count rejects the set
  ].map((name) => ({ name, bytes: readFileSync(fixture(`${R2}/${name}`)) })),
  // Malformed envelope (IEA02 != ISA13): every interchange rejected, the input is dead-lettered.
  {
    name: '07-envelope-error.x12',
    bytes: readFileSync(fixture('fixtures/golden/ack-ta1/iea-control/inbound.x12')),
  },
  // Not EDI at all: enqueued and archived, rejected by ingest, dead-lettered with its reason.
  { name: '08-junk.dat', bytes: Buffer.from('hello, this is not EDI\n\u0000\u0001 junk\n', 'latin1') },
  // Empty: refused by the producer, quarantined by the intake with its reason.
  { name: '09-empty.edi', bytes: Buffer.alloc(0) },
];
/** Dropped later into the running process: EDIFACT CUSCAR (truck) that makes two more decisions. */
const LATE = { name: '06-truck-cuscar.edi', bytes: readFileSync(fixture(`${R2}/06-truck-cuscar.edi`)) };
/**
 * Inputs with a rejection (a shipment, a transaction set, an interchange, the whole file) go to the
 * dead-letter queue with the payload and reason (queue mode's quarantine; replay copies them to
 * quarantine/). They stay archived, and their accepted parts are applied.
 */
const DEAD_LETTERED: Record<string, RegExp> = {
  '04-ocean-cuscar.edi': /NORMALIZE_UNKNOWN_CURRENCY/,
  '05-truck-manifest-bad-count.edi': /X12_SE_COUNT/,
  '07-envelope-error.x12': /X12_IEA_CONTROL/,
  '08-junk.dat': /INTAKE_NOT_EDI/,
};
const QUARANTINED = ['09-empty.edi'];
/** Byte for byte an earlier upload: archived, but the producer gives it no new sequence (de-dup). */
const DUPLICATES = ['02-truck-manifest-redelivered.edi'];
/** No interchange in it, so nothing to acknowledge. */
const NOT_EDI = ['08-junk.dat'];

let redis: RedisTestServer;
let build: string;
let child: ChildProcess | undefined;
let output = { stdout: '', stderr: '' };

beforeAll(async () => {
  redis = await startRedisServer();
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  try {
    await admin.config('SET', 'requirepass', PASSWORD);
  } finally {
    admin.disconnect();
  }
  build = buildProject('serve', ['src/cli/main.js', 'src/cli/commands/serve.js']);
}, 300_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
  }
  await redis?.stop();
});

function files(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** archive/<day>/<name> → name */
function archived(archive: string): string[] {
  return files(archive)
    .flatMap((day) => files(join(archive, day)))
    .sort();
}

async function until(
  what: string,
  deadline: number,
  ok: () => Promise<boolean>,
  detail = () => '',
): Promise<void> {
  for (let i = 0; ; i++) {
    if (await ok()) return;
    if (Date.now() > deadline || i > 10_000)
      throw new Error(
        `timed out waiting for ${what}\n${detail()}\n--- serve stderr ---\n${output.stderr.slice(-3000)}\n--- serve stdout (tail) ---\n${output.stdout.slice(-6000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An SFTP-style upload: written under a name the intake ignores, then renamed into place. */
function upload(inbox: string, file: { name: string; bytes: Buffer }): void {
  const partial = join(inbox, `${file.name}.part`);
  writeFileSync(partial, file.bytes);
  renameSync(partial, join(inbox, file.name));
}

/** `<n, 9 digits>.<input>.<interchange>.ack-…` (queue) / `<input>.<interchange>.ack-…` (replay) → `<input>.<interchange>` */
function ackKey(name: string): string {
  const withoutSeq = name.replace(/^\d{9}\./, '');
  return withoutSeq.slice(0, withoutSeq.lastIndexOf('.ack-'));
}

function contents(dir: string): Map<string, string> {
  return new Map(files(dir).map((f) => [f, readFileSync(join(dir, f), 'latin1')]));
}

describe('s321 serve as an OS process', () => {
  it('drop folder → archive/quarantine, acks, outbound as replay; picks up late files; SIGTERM exits 0 without leaking the password', async () => {
    const started = Date.now();
    const root = mkdtempSync(join(tmpdir(), 's321-serve-proc-'));
    const data = join(root, 'data');
    const dirs = {
      inbox: join(data, 'inbox'),
      processing: join(data, 'processing'),
      archive: join(data, 'archive'),
      quarantine: join(data, 'quarantine'),
      outbound: join(data, 'outbound'),
      acks: join(data, 'acks'),
    };
    const redisUrl = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
    const configPath = join(root, 's321.json');
    writeFileSync(
      configPath,
      `${JSON.stringify(
        {
          dataDir: data,
          redis: { url: redisUrl, queueName: QUEUE, prefix: BULL_PREFIX, partitions: 0 },
          inbox: { pollIntervalMs: 100, stablePolls: 1 },
          log: { level: 'info' },
        },
        null,
        2,
      )}\n`,
    );
    // The operator's environment: no S321_* variable overriding the config file.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('S321_')));

    const serve = spawn(
      process.execPath,
      [join(build, 'src/cli/main.js'), 'serve', '--config', configPath, '--now', NOW],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = serve;
    output = { stdout: '', stderr: '' };
    serve.stdout?.on('data', (b: Buffer) => {
      output.stdout += b.toString();
    });
    serve.stderr?.on('data', (b: Buffer) => {
      output.stderr += b.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      serve.once('exit', (code, signal) => resolve({ code, signal })),
    );

    const client = new Redis(redis.url, { password: PASSWORD, maxRetriesPerRequest: null });
    const store = new RedisDecisionStore({ client, namespace: QUEUE });
    const emitQueue = new Queue(queueTopology(QUEUE).emit, { connection: client, prefix: BULL_PREFIX });
    try {
      await until('serve to start', Date.now() + 30_000, async () => {
        if (serve.exitCode !== null) throw new Error(`serve exited (${serve.exitCode}):\n${output.stderr}`);
        return output.stderr.includes('s321 serve: inbox');
      });
      expect(output.stderr).toContain(`queue ${QUEUE}`);

      const issued = async (): Promise<number> =>
        Number((await client.get(arrivalSequenceKey(BULL_PREFIX, QUEUE))) ?? 0);
      const emitCounts = () => emitQueue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed');
      /** The file left the inbox and processing/, and everything it caused is written. */
      const settled = async (name: string): Promise<boolean> => {
        const counts = await emitCounts();
        // An emit job that failed for good leaves files unwritten: no point in waiting.
        if ((counts.failed ?? 0) > 0)
          throw new Error(
            `an emit job failed (${(await emitQueue.getFailed(0, 4)).map((j) => j.failedReason).join('; ')}): ${await state()}\n--- serve stdout (tail) ---\n${output.stdout.slice(-6000)}`,
          );
        if (files(dirs.inbox).length > 0 || files(dirs.processing).length > 0) return false;
        if (!archived(dirs.archive).includes(name) && !files(dirs.quarantine).includes(name)) return false;
        const seq = await issued();
        const gate = await store.gate();
        if (gate.seq < seq || (gate.seq === seq && !gate.done)) return false;
        const stats = await store.stats();
        if (stats.pending > 0 || stats.unwritten > 0) return false;
        const idle = await emitCounts();
        return Object.values(idle).every((n) => n === 0);
      };
      const state = async (): Promise<string> =>
        JSON.stringify({
          inbox: files(dirs.inbox),
          processing: files(dirs.processing),
          archive: archived(dirs.archive),
          quarantine: files(dirs.quarantine),
          outbound: files(dirs.outbound),
          acks: files(dirs.acks),
          issued: await issued(),
          gate: await store.gate(),
          stats: await store.stats(),
          emit: await emitCounts(),
        });
      let lastState = '';
      const detail = () => lastState;
      const drop = async (file: { name: string; bytes: Buffer }, deadline: number): Promise<void> => {
        upload(dirs.inbox, file);
        await until(
          `${file.name} to be processed`,
          deadline,
          async () => {
            lastState = await state();
            return settled(file.name);
          },
          detail,
        );
      };

      // Initial uploads, one after the other; all of them done within 60 s.
      const initialDeadline = Date.now() + 60_000;
      for (const file of INITIAL) await drop(file, initialDeadline);
      const initialOutbound = contents(dirs.outbound);
      expect(initialOutbound.size).toBeGreaterThan(0);

      // A late upload into the running process.
      await drop(LATE, Date.now() + 30_000);
      expect(files(dirs.outbound).length).toBeGreaterThan(initialOutbound.size);
      const all = [...INITIAL, LATE];

      // Nothing lost: every input is archived (byte for byte) or quarantined with its reason.
      expect(files(dirs.inbox)).toEqual([]);
      expect(files(dirs.processing)).toEqual([]);
      const archivedInputs = all.filter((f) => !QUARANTINED.includes(f.name));
      /** What went on the queue as a new input, in arrival order. */
      const sequenced = archivedInputs.filter((f) => !DUPLICATES.includes(f.name));
      expect(archived(dirs.archive)).toEqual(archivedInputs.map((f) => f.name).sort());
      for (const day of files(dirs.archive))
        for (const name of files(join(dirs.archive, day)))
          expect(readFileSync(join(dirs.archive, day, name)), name).toEqual(
            all.find((f) => f.name === name)?.bytes,
          );
      expect(files(dirs.quarantine)).toEqual(QUARANTINED.flatMap((n) => [n, `${n}.reason.json`]).sort());
      for (const name of QUARANTINED) {
        const reason = JSON.parse(readFileSync(join(dirs.quarantine, `${name}.reason.json`), 'utf8'));
        expect(reason).toMatchObject({
          file: name,
          reasons: [expect.objectContaining({ code: 'INTAKE_NOT_EDI' })],
        });
      }
      // The ledger accounts for every file: received, then processed or quarantined.
      const ledger = readFileSync(join(data, 'ledger.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; name: string });
      for (const f of all) {
        expect(
          ledger.filter((e) => e.name === f.name).map((e) => e.event),
          f.name,
        ).toEqual(['received', QUARANTINED.includes(f.name) ? 'quarantined' : 'processed']);
      }
      // New inputs got gap-free arrival sequences in upload order; the redelivery is the
      // duplicate of the first upload (its sequence, no new job).
      expect(await issued()).toBe(sequenced.length);
      const intakeLines = output.stdout
        .split('\n')
        .filter((l) => l.includes('"intake: enqueued"'))
        .map((l) => JSON.parse(l) as { file: string; sequence: number; duplicate: boolean });
      expect(intakeLines.map((l) => [l.file, l.sequence, l.duplicate])).toEqual(
        archivedInputs.map((f) =>
          DUPLICATES.includes(f.name) ? [f.name, 1, true] : [f.name, sequenced.indexOf(f) + 1, false],
        ),
      );

      // The queue-mode quarantine: inputs rejected whole are dead-lettered with their reasons
      // (read as an operator does, with the same config file).
      const dl = spawnSync(
        process.execPath,
        [join(build, 'src/cli/main.js'), 'queue', 'dead-letters', '--config', configPath],
        { cwd: root, env, encoding: 'utf8', timeout: 30_000 },
      );
      expect(dl.status, dl.stderr).toBe(0);
      expect(`${dl.stdout}${dl.stderr}`).not.toContain(PASSWORD);
      const letters = dl.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; name: string; seq: number; reason: string });
      expect(letters.map((l) => [l.name, l.kind]).sort()).toEqual(
        Object.keys(DEAD_LETTERED).map((n) => [n, 'rejected']),
      );
      for (const l of letters) {
        expect(l.reason, l.name).toMatch(DEAD_LETTERED[l.name] as RegExp);
        expect(l.seq, l.name).toBe(sequenced.findIndex((f) => f.name === l.name) + 1);
      }

      // The reference: `s321 replay` (embedded, SQLite) on the inputs serve accepted (the ones
      // that got a sequence) in the same order, one run per input on one database and output
      // folder, with the same clock.
      const refIn = join(root, 'replay-in');
      const refOut = join(root, 'replay-out');
      const replayQuarantined: string[] = [];
      for (const f of sequenced) {
        const dir = join(refIn, f.name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, f.name), f.bytes);
        const summary = await runReplay({
          inputs: [dir],
          dbPath: join(refOut, 's321.db'),
          outDir: refOut,
          now: NOW,
        });
        replayQuarantined.push(...summary.quarantined);
      }
      // What replay quarantines is what serve dead-lettered.
      expect(replayQuarantined.sort()).toEqual(Object.keys(DEAD_LETTERED));
      const expectedOutbound = contents(join(refOut, 'outbound'));
      expect(expectedOutbound.size).toBeGreaterThan(0);
      // Outbound files and their JSON twins: same names, same bytes.
      expect(files(dirs.outbound)).toEqual([...expectedOutbound.keys()]);
      for (const [name, content] of expectedOutbound)
        expect(readFileSync(join(dirs.outbound, name), 'latin1'), name).toBe(content);
      // The late file's outputs are there and came after the initial ones.
      const lateFiles = files(dirs.outbound).filter((n) => !initialOutbound.has(n));
      expect(lateFiles.length).toBeGreaterThan(0);
      // Decisions: the same, field for field.
      const expectedDecisions = readFileSync(join(refOut, 'decisions.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Decision);
      expect(JSON.parse(JSON.stringify(await store.allDecisions()))).toEqual(expectedDecisions);
      expect(expectedDecisions.some((d) => d.cause?.file === LATE.name)).toBe(true);
      // Acknowledgments: one per interchange, the same content as replay's (names differ by design:
      // queue mode's carry the arrival sequence instead of the acknowledgment's control number).
      const expectedAcks = new Map([...contents(join(refOut, 'acks'))].map(([n, c]) => [ackKey(n), c]));
      const gotAcks = contents(dirs.acks);
      expect(new Set([...gotAcks.keys()].map(ackKey))).toEqual(new Set(expectedAcks.keys()));
      expect(gotAcks.size).toBe(expectedAcks.size);
      for (const [name, content] of gotAcks) expect(content, name).toBe(expectedAcks.get(ackKey(name)));
      for (const f of sequenced.filter((f) => !NOT_EDI.includes(f.name)))
        expect(
          [...gotAcks.keys()].some((n) => ackKey(n).startsWith(`${f.name}.`)),
          f.name,
        ).toBe(true);
      const seqOf = new Map(
        [...gotAcks.keys()].map((n) => [n.replace(/^\d{9}\./, '').split('.ack-')[0], Number(n.slice(0, 9))]),
      );
      expect(seqOf.get(`${LATE.name}.7201`)).toBe(sequenced.length);

      // SIGTERM: the process stops taking files, finishes, and exits 0 within 20 s.
      serve.kill('SIGTERM');
      const exit = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
      ]);
      expect(exit, `serve did not exit:\n${output.stderr}`).toEqual({ code: 0, signal: null });
      expect(output.stderr).toContain('SIGTERM: finishing the jobs in hand');
      expect(files(dirs.processing)).toEqual([]);
      // No secret in anything it printed; the URL it logs is redacted.
      expect(output.stdout).not.toContain(PASSWORD);
      expect(output.stderr).not.toContain(PASSWORD);
      expect(output.stdout).toContain(`redis://:[REDACTED]@127.0.0.1:${redis.port}`);
      // Nothing went wrong on the way (no error-level log lines).
      const errors = output.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level >= 50);
      expect(errors).toEqual([]);
      process.stderr.write(
        `serve-process: ${all.length} uploads, ${files(dirs.outbound).length} outbound files (with twins), ${gotAcks.size} acknowledgments, ${expectedDecisions.length} decisions, ${Date.now() - started} ms\n`,
      );
    } finally {
      await emitQueue.close();
      await store.close();
      await client.quit().catch(() => client.disconnect());
    }
  }, 180_000);
});
