/**
 * Output piped into a reader that stops early (`| head -1`): s321 ends quietly with exit 0, no
 * EPIPE stack trace. Checked through a real shell pipeline, and with the pipe's read end closed
 * before s321 writes anything (so the write surely meets a closed pipe, whatever the output size).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';
import { CLI, runCli } from './support/cli-process.js';

const corpus = join(import.meta.dirname, '../../../shared/corpus');
let db: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 's321-pipes-'));
  db = join(dir, 's.db');
  const replay = runCli([
    'replay',
    FIXTURE_DAY,
    '--db',
    db,
    '--out',
    join(dir, 'out'),
    ...FIXTURE_REPLAY_OPTIONS,
  ]);
  expect(replay.status).toBe(2); // the set holds a bad message and a bad shipment on purpose
});

const commands = (): Record<string, string[]> => ({
  'parse --json': ['parse', '--json', 'fixtures/replay/release2-day'],
  'report --json': ['report', '--db', db, '--json'],
  inspect: ['inspect', 'fixtures/replay/release2-day', corpus],
});

describe('output into a pipe whose reader stops early', () => {
  it.each(['parse --json', 'report --json', 'inspect'])(
    's321 %s | head -1: exit 0, nothing on stderr about EPIPE',
    (name) => {
      const args = commands()[name] ?? [];
      const quoted = [CLI, ...args].map((a) => `'${a}'`).join(' ');
      const r = spawnSync(
        'bash',
        ['-c', `"${process.execPath}" ${quoted} | head -1; echo "status \${PIPESTATUS[0]}" >&2`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
      expect(r.stderr).toMatch(/status 0\n$/);
      expect(r.stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
    },
  );

  it.each(['parse --json', 'report --json', 'inspect'])(
    's321 %s with the read end closed before it writes: exit 0, quiet',
    async (name) => {
      const child = spawn(process.execPath, [CLI, ...(commands()[name] ?? [])], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
      expect(code).toBe(0);
    },
  );
});
