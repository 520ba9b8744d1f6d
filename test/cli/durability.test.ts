/**
 * The replay as an operator runs it (the built CLI, child processes): two runs on one database at
 * once, kill -9 at controlled points (S321_FAULT, src/app/fault-points.ts), a full disk (a small
 * tmpfs), a reused --out, colliding quarantine names, and paths that are not plain input files.
 * S321_CLI points the tests at another build (e.g. the commit before the fix, to see them fail).
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve(process.env.S321_CLI ?? 'dist/src/cli/main.js');
const scratch = mkdtempSync(join(tmpdir(), 's321-durable-'));
// Removing the runs' folders (archives, outbound, stores of tens of thousands of files) took over
// the default 60 s hook timeout twice on a machine at load 12–17; the cleanup is not under test.
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 300_000);
const NOW = '2025-06-12T18:00';
let traffic = '';
let rates = '';

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function start(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const done = new Promise<Ran>((res) =>
    child.on('close', (status, signal) => res({ status, signal, stderr })),
  );
  return { child, done };
}

const replayArgs = (db: string, out: string, inputs = [traffic]) => [
  'replay',
  ...inputs,
  '--db',
  db,
  '--out',
  out,
  '--now',
  NOW,
  '--rates',
  rates,
];

function run(args: string[], env: Record<string, string> = {}): Ran {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

const lines = (path: string): string[] =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];

function dbRows<T>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

/**
 * Checks every input has exactly one ledger line saying how it was processed (a rerun adds a
 * `duplicate` line for inputs accounted before); returns how many inputs.
 */
function accountedOnce(ledgerPath: string): number {
  const ledger = lines(ledgerPath).map((l) => JSON.parse(l) as { file: string; outcome: string });
  const processed = ledger.filter((l) => l.outcome !== 'duplicate').map((l) => l.file);
  expect(new Set(processed).size).toBe(processed.length);
  expect(new Set(ledger.map((l) => l.file))).toEqual(new Set(processed));
  return processed.length;
}

/** A clean run's outputs, to compare a crashed-and-rerun one with. */
let reference: { decisions: string[]; acks: string[]; files: number } | undefined;

beforeAll(async () => {
  const { writeTraffic } = (await import(
    resolve('dist/bench/traffic/index.js')
  )) as typeof import('../../bench/traffic/index.js');
  const { benchRates } = (await import(
    resolve('dist/bench/stages/stages.js')
  )) as typeof import('../../bench/stages/stages.js');
  traffic = join(scratch, 'traffic');
  // Small interchanges in many files: ~2 store batches of 10k events, dozens of inputs.
  const written = writeTraffic(traffic, {
    seed: 11,
    shipments: 15_000,
    interchangeSize: [40, 120],
    interchangesPerFile: [1, 3],
  });
  rates = join(scratch, 'rates.json');
  writeFileSync(rates, JSON.stringify(benchRates()));
  const out = join(scratch, 'reference');
  const r = run(replayArgs(join(out, 's.db'), out));
  expect(r.signal).toBeNull();
  reference = {
    decisions: lines(join(out, 'decisions.jsonl')),
    acks: readdirSync(join(out, 'acks')).sort(),
    files: lines(join(out, 'ledger.jsonl')).length,
  };
  expect(reference.files).toBe(written.files.length);
  expect(reference.decisions.length).toBeGreaterThan(100);
  expect(reference.files).toBeGreaterThan(20);
}, 180_000);

describe('two replays on one database at once', () => {
  it('the second is refused at once, naming the holder; every decision goes out in one file', async () => {
    const dir = join(scratch, 'concurrent');
    const db = join(dir, 's.db');
    // The first run holds the store for 3 s after its first commit (where the second used to start).
    const a = start(replayArgs(db, dir), { S321_FAULT: 'batch-committed:pause:3000' });
    const deadline = Date.now() + 30_000;
    while (!existsSync(`${db}-lock`) && !existsSync(join(dir, 'decisions.jsonl')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const b = await start(replayArgs(db, dir)).done;
    expect(b.status).toBe(2);
    const named = new RegExp(
      `database ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by another s321 process \\(pid (\\d+) on `,
    ).exec(b.stderr);
    expect(named, b.stderr).not.toBeNull();
    // The holder is the run started first: its process, or the process it re-ran itself as with a
    // heap budget (src/cli/heap-budget.ts), whose parent it is. Read while the first still holds it.
    const holder = Number(named?.[1]);
    const parentOf = (pid: number) =>
      Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    expect([holder, parentOf(holder)]).toContain(a.child.pid);
    const first = await a.done;
    expect(first.signal).toBeNull();
    const sent = dbRows<{ decision_ids: string }>(
      db,
      "SELECT decision_ids FROM outbound_files WHERE channel != 'ack'",
    ).flatMap((r) => JSON.parse(r.decision_ids) as string[]);
    expect(new Set(sent).size).toBe(sent.length);
    expect(lines(join(dir, 'decisions.jsonl'))).toEqual(reference?.decisions);
  }, 120_000);
});

describe('kill -9 between a commit and what follows it', () => {
  it('after a batch commits, before decisions.jsonl and the ledger: the rerun repairs both, acknowledges each interchange once', () => {
    const dir = join(scratch, 'kill-commit');
    const db = join(dir, 's.db');
    const killed = run(replayArgs(db, dir), { S321_FAULT: 'batch-committed:kill:2' });
    expect(killed.signal).toBe('SIGKILL');
    const inDb = dbRows<{ n: number }>(db, 'SELECT count(*) AS n FROM decisions')[0]?.n ?? 0;
    expect(inDb).toBeGreaterThan(lines(join(dir, 'decisions.jsonl')).length); // the loss being repaired
    const again = run(replayArgs(db, dir));
    expect(again.signal).toBeNull();
    expect(lines(join(dir, 'decisions.jsonl'))).toEqual(reference?.decisions);
    expect(accountedOnce(join(dir, 'ledger.jsonl'))).toBe(reference?.files);
    expect(readdirSync(join(dir, 'acks')).sort()).toEqual(reference?.acks);
  }, 120_000);

  it('after an input is recorded, before its acknowledgments and ledger line are written: the rerun writes them, with the same control numbers', () => {
    const dir = join(scratch, 'kill-ack');
    const db = join(dir, 's.db');
    const killed = run(replayArgs(db, dir), { S321_FAULT: 'input-recorded:kill:3' });
    expect(killed.signal).toBe('SIGKILL');
    expect(lines(join(dir, 'ledger.jsonl'))).toHaveLength(2);
    const again = run(replayArgs(db, dir));
    expect(again.signal).toBeNull();
    expect(readdirSync(join(dir, 'acks')).sort()).toEqual(reference?.acks);
    expect(accountedOnce(join(dir, 'ledger.jsonl'))).toBe(reference?.files);
  }, 120_000);

  it('a ledger line or acknowledgment is only written for an input whose interchanges are in the database', async () => {
    const dir = join(scratch, 'kill-early');
    const db = join(dir, 's.db');
    // Killed as soon as the first ledger line appears (no hook: the same test runs on any build).
    const a = start(replayArgs(db, dir));
    const deadline = Date.now() + 60_000;
    while (lines(join(dir, 'ledger.jsonl')).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    a.child.kill('SIGKILL');
    await a.done;
    const logged = lines(join(dir, 'ledger.jsonl')).map((l) => JSON.parse(l) as { file: string });
    const applied = new Set(
      dbRows<{ file: string }>(db, 'SELECT DISTINCT file FROM interchanges').map((r) => r.file),
    );
    for (const l of logged) expect(applied.has(l.file), l.file).toBe(true);
  }, 120_000);
});

describe('a full disk (tmpfs)', () => {
  const mnt = join(scratch, 'full');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(mnt, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1200k', 'tmpfs', mnt], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      console.warn(`full-disk test skipped: cannot mount a tmpfs (${String(err).split('\n')[0]})`);
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mnt]);
  });

  it('ENOSPC while writing outputs: the run fails, and a rerun with room loses no decision and leaves no torn line', (ctx) => {
    if (!mounted) ctx.skip();
    const db = join(scratch, 'full.db'); // the database on a disk with room, the outputs on the full one
    const first = run(replayArgs(db, mnt));
    expect(first.status).not.toBe(0);
    expect(first.stderr).toMatch(/ENOSPC/);
    execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
    const again = run(replayArgs(db, mnt));
    expect(again.signal).toBeNull();
    expect(lines(join(mnt, 'decisions.jsonl'))).toEqual(reference?.decisions);
    expect(readFileSync(join(mnt, 'decisions.jsonl'), 'utf8').endsWith('\n')).toBe(true);
    expect(readdirSync(join(mnt, 'acks')).sort()).toEqual(reference?.acks);
  }, 120_000);
});

describe('a reused --out', () => {
  it('with a new database: refused, nothing overwritten', () => {
    const dir = join(scratch, 'reused');
    expect(run(replayArgs(join(scratch, 'reused-1.db'), dir)).signal).toBeNull();
    const outbound = readdirSync(join(dir, 'outbound')).sort();
    const before = outbound.map((f) => readFileSync(join(dir, 'outbound', f), 'latin1'));
    const again = run(replayArgs(join(scratch, 'reused-2.db'), dir));
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/decisions\.jsonl was not written from this database/);
    expect(readdirSync(join(dir, 'outbound')).sort()).toEqual(outbound);
    expect(outbound.map((f) => readFileSync(join(dir, 'outbound', f), 'latin1'))).toEqual(before);
  }, 120_000);
});

describe('quarantine and input names', () => {
  it('rejected files with the same name from two folders, or names that sanitise alike, each keep their copy and reason', () => {
    const dir = join(scratch, 'names');
    for (const [path, text] of [
      ['d1/bad.edi', 'not edi one'],
      ['d2/bad.edi', 'not edi two'],
      ['d3/a b.edi', 'not edi three'],
      ['d3/a_b.edi', 'not edi four'],
    ] as const) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const out = join(dir, 'out');
    const r = run([
      'replay',
      join(dir, 'd1'),
      join(dir, 'd2'),
      join(dir, 'd3'),
      '--db',
      join(out, 's.db'),
      '--out',
      out,
    ]);
    expect(r.status).toBe(2);
    const q = join(out, 'quarantine');
    const copies = readdirSync(q).filter((f) => !f.endsWith('.reason.json'));
    expect(copies.map((f) => readFileSync(join(q, f), 'utf8')).sort()).toEqual([
      'not edi four',
      'not edi one',
      'not edi three',
      'not edi two',
    ]);
    for (const f of copies) expect(existsSync(join(q, `${f}.reason.json`))).toBe(true);
    const ledger = lines(join(out, 'ledger.jsonl')).map(
      (l) => JSON.parse(l) as { path: string; quarantine: string },
    );
    expect(new Set(ledger.map((l) => l.path)).size).toBe(4);
    expect(new Set(ledger.map((l) => l.quarantine)).size).toBe(4);
  }, 60_000);
});

describe('every path given or found is accounted for', () => {
  const dir = join(scratch, 'paths');
  const inbox = join(dir, 'inbox');
  beforeAll(() => {
    mkdirSync(inbox, { recursive: true });
    writeFileSync(
      join(inbox, 'good.edi'),
      readFileSync('fixtures/replay/release2-day/01-truck-manifest.edi'),
    );
    writeFileSync(join(inbox, '.hidden.edi'), 'x');
    writeFileSync(join(inbox, 'upload.edi.part'), 'x');
    writeFileSync(join(inbox, 'notes.json'), '{}');
    symlinkSync(join(inbox, 'good.edi'), join(inbox, 'link.edi'));
    execFileSync('mkfifo', [join(inbox, 'pipe.edi')]);
    execFileSync('mkfifo', [join(dir, 'named-pipe.edi')]);
    symlinkSync(
      resolve('fixtures/replay/release2-day/03-air-express-manifest.edi'),
      join(dir, 'named-link.edi'),
    );
  });

  it('in a folder: skipped entries are in the summary and the ledger with their reason', () => {
    const out = join(dir, 'out1');
    const r = run(['replay', inbox, '--db', join(out, 's.db'), '--out', out, '--now', NOW]);
    expect(r.status).toBe(0);
    for (const [name, reason] of [
      ['.hidden.edi', 'hidden'],
      ['upload.edi.part', 'partial upload'],
      ['notes.json', 'not an input'],
      ['link.edi', 'symbolic link'],
      ['pipe.edi', 'FIFO'],
    ] as const)
      expect(r.stderr).toMatch(new RegExp(`skipped .*${name.replace('.', '\\.')}: .*${reason}`));
    const ledger = lines(join(out, 'ledger.jsonl')).map((l) => JSON.parse(l) as { outcome: string });
    expect(ledger.filter((l) => l.outcome === 'skipped')).toHaveLength(5);
    expect(ledger.filter((l) => l.outcome === 'processed')).toHaveLength(1);
  }, 60_000);

  it('named on the command line: a FIFO or a missing path is an error before anything is created; a symbolic link is read', () => {
    const out = join(dir, 'out2');
    const fifo = run(['replay', join(dir, 'named-pipe.edi'), '--db', join(out, 's.db'), '--out', out]);
    expect(fifo.status).toBe(2);
    expect(fifo.stderr).toMatch(/input .*named-pipe\.edi: not a regular file \(a FIFO\)/);
    const missing = run(['replay', join(dir, 'nope.edi'), '--db', join(out, 's.db'), '--out', out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/input .*nope\.edi: no such file or folder/);
    expect(existsSync(out)).toBe(false);
    const link = run([
      'replay',
      join(dir, 'named-link.edi'),
      '--db',
      join(out, 's.db'),
      '--out',
      out,
      '--now',
      NOW,
    ]);
    expect(link.status).toBe(0);
    expect(link.stderr).toMatch(/files 1 /);
  }, 60_000);

  it("the run's own database and outputs inside the input folder are never read", () => {
    const here = join(dir, 'here');
    mkdirSync(here);
    writeFileSync(join(here, 'good.edi'), readFileSync('fixtures/replay/release2-day/01-truck-manifest.edi'));
    const args = ['replay', '.', '--db', 's321.db', '--out', 'out', '--now', NOW];
    const opts = { cwd: here, encoding: 'utf8' as const, timeout: 60_000 };
    const first = spawnSync(process.execPath, [CLI, ...args], opts);
    expect(first.status).toBe(0);
    const second = spawnSync(process.execPath, [CLI, ...args], opts);
    expect(second.status).toBe(0);
    expect(existsSync(join(here, 'out/quarantine')) && readdirSync(join(here, 'out/quarantine'))).toEqual([]);
    expect(second.stderr).toMatch(/files 1 /);
    expect(second.stderr).toMatch(/duplicate good\.edi/);
  }, 60_000);
});

describe('memory per input', () => {
  it("one file of 50k interchanges (24 MB) replays within the README's memory budget (accounting and acks streamed); a rerun completes too", async () => {
    const { writeTraffic } = (await import(
      resolve('dist/bench/traffic/index.js')
    )) as typeof import('../../bench/traffic/index.js');
    const dir = join(scratch, 'one-big-file');
    const written = writeTraffic(join(dir, 'in'), {
      seed: 3,
      shipments: 50_000,
      interchangeSize: [1, 1],
      interchangesPerFile: [50_000, 50_000],
      x12Share: 1,
      duplicateRate: 0,
      statusRate: 0,
    });
    expect(written.files).toHaveLength(1);
    // The README's flat-RSS settings. Before, every interchange's summary stayed in memory until the
    // file's end (~14 KB each): out of memory here, on every rerun, with no ledger line and no acks.
    const env = { NODE_OPTIONS: '--max-old-space-size=112 --max-semi-space-size=8' };
    const args = [
      ...replayArgs(join(dir, 's.db'), join(dir, 'out'), [join(dir, 'in')]),
      '--ingest-heap-mb',
      '64',
    ];
    const first = run(args, env);
    expect(first.stderr).not.toMatch(/heap out of memory/);
    expect(first.signal).toBeNull();
    expect(first.stderr).toMatch(/interchanges 50000 /);
    expect(readdirSync(join(dir, 'out', 'acks'))).toHaveLength(50_000);
    const again = run(args, env);
    expect(again.signal).toBeNull();
    expect(again.stderr).toMatch(/duplicate 20250610-000000\.x12/);
    expect(lines(join(dir, 'out', 'ledger.jsonl')).map((l) => JSON.parse(l).outcome)).toEqual([
      'processed',
      'duplicate',
    ]);
  }, 300_000);
});

describe('an empty folder', () => {
  it('says so, and exits 0', () => {
    const dir = join(scratch, 'empty');
    mkdirSync(join(dir, 'in'), { recursive: true });
    const r = run(['replay', join(dir, 'in'), '--db', join(dir, 's.db'), '--out', join(dir, 'out')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no input files found/);
    expect(r.stderr).toMatch(/files 0 /);
    // The summary names only outputs that exist (it listed decisions.jsonl, outbound/, … regardless).
    expect(r.stderr).toMatch(/nothing written to /);
  });
});
