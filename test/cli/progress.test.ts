/**
 * Progress lines of the built CLI: under a pseudo-terminal (util-linux `script`, stdout redirected to
 * a file so what `script` captures is stderr alone) replay, parse and inspect draw a line with files,
 * MB, items per second and ETA; with stderr a pipe, stderr has no progress line and no escape codes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBinary } from '../support/binaries.js';

const CLI = 'dist/src/cli/main.js';
const input = 'fixtures/replay/release2-day';
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stdin, stdout and stderr on a pseudo-terminal, stdout sent on to a file. */
function underTty(args: string[], dir: string): string {
  const command = `${[process.execPath, CLI, ...args].map(quote).join(' ')} > ${quote(join(dir, 'stdout'))}`;
  const r = spawnSync(findBinary('util-linux script', 'script'), ['-qec', command, '/dev/null'], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return r.stdout;
}

const PROGRESS = /files (\d+)\/6 \| \d+\.\d\/\d+\.\d MB \| \d+ (shipments|messages)\/s \| ETA \d+s/;

describe('progress line', () => {
  it.each([
    [
      'replay',
      (d: string) => ['replay', input, '--db', join(d, 's.db'), '--out', join(d, 'out')],
      'shipments',
    ],
    ['parse', () => ['parse', input], 'shipments'],
    ['inspect', () => ['inspect', input], 'messages'],
  ])('%s draws files, MB, rate and ETA on a TTY (stderr), ending at 6/6', (_name, args, unit) => {
    const dir = mkdtempSync(join(tmpdir(), 's321-tty-'));
    const tty = underTty(args(dir), dir);
    expect(tty).toMatch(PROGRESS);
    expect(tty).toContain(`${unit}/s`);
    expect(tty).toMatch(/100% \| files 6\/6/);
  });

  it.each([
    ['replay', (d: string) => ['replay', input, '--db', join(d, 's.db'), '--out', join(d, 'out')]],
    ['parse', () => ['parse', input]],
    ['inspect', () => ['inspect', input]],
  ])('%s prints no progress line when stderr is not a TTY', (_name, args) => {
    const dir = mkdtempSync(join(tmpdir(), 's321-notty-'));
    const r = spawnSync(process.execPath, [CLI, ...args(dir)], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(PROGRESS);
    expect(r.stderr).not.toContain('ETA');
    expect(r.stderr).not.toContain('\u001b['); // no ANSI cursor or erase codes
    expect(r.stderr).not.toContain('\r');
  });
});
