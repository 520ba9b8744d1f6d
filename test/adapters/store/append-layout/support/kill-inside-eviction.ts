/**
 * A child process that applies batches to the append layout (the compiled dist/, as test/cli does),
 * committing batch by batch, and stops without committing inside the batch whose commit brings an
 * eviction counter to `nth` (or past it); it is then killed with SIGKILL. Returns how many batches it committed
 * and their decisions: the caller reopens the file (WAL recovery, then the rebuild) and goes on.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppendStateOptions } from '../../../../../src/adapters/store/sqlite/append-layout/append-state.js';
import type { Decision } from '../../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../../src/core/model/shipment-event.js';

export async function killInsideEviction(opts: {
  /** Scratch directory for the child's script and input. */
  dir: string;
  path: string;
  batches: ShipmentEvent[][];
  options: AppendStateOptions;
  /** The ColdStats counter watched: every eviction, or the row cap's. */
  counter: 'evictions' | 'capEvictions';
  nth: number;
}): Promise<{ committed: number; decisions: Decision[] }> {
  const input = join(opts.dir, `batches-${opts.counter}.json`);
  writeFileSync(input, JSON.stringify(opts.batches));
  const root = resolve('.');
  const script = join(opts.dir, `crash-child-${opts.counter}.mjs`);
  writeFileSync(
    script,
    `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const require = createRequire(${JSON.stringify(join(root, 'package.json'))});
const Database = require('better-sqlite3');
const d = (p) => import(${JSON.stringify(`${root}/dist/src/`)} + p);
const { AppendLayoutState } = await d('adapters/store/sqlite/append-layout/append-state.js');
const { openAppendSchema } = await d('adapters/store/sqlite/append-layout/migrate.js');
const { applyEvents } = await d('core/aggregate/aggregator.js');
const { aggregationConfig } = await d('core/rules/defaults.js');
const config = aggregationConfig();
const batches = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const db = new Database(process.argv[2]);
db.pragma('journal_mode = WAL');
openAppendSchema(db, process.argv[2]);
const state = new AppendLayoutState(db, ${JSON.stringify(opts.options)});
const decisions = [];
for (let i = 0; i < batches.length; i++) {
  db.prepare('BEGIN IMMEDIATE').run();
  state.beginBatch();
  const changes = applyEvents(batches[i], state, config);
  state.commit(changes);
  if (state.cold[${JSON.stringify(opts.counter)}] >= ${opts.nth}) {
    process.stdout.write(JSON.stringify({ committed: i, decisions }) + '\\n');
    setInterval(() => {}, 1000);
    break;
  }
  db.prepare('COMMIT').run();
  decisions.push(...changes.decisions);
}
`,
  );
  const child = spawn(process.execPath, [script, opts.path, input], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const line = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) done(out);
    });
    child.on('exit', (code) => fail(new Error(`child exited ${code}: ${err}`)));
  });
  const exited = new Promise((done) => child.on('exit', done));
  child.kill('SIGKILL');
  await exited;
  return JSON.parse(line) as { committed: number; decisions: Decision[] };
}
