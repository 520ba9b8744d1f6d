/**
 * scripts/docker-check.sh's checks without Docker (the machines the tests run on have no daemon;
 * where one answers, the script also builds the image): the project's Dockerfile, compose file and
 * systemd units pass, and each kind of mistake in a copy of them fails the script (exit 1) naming
 * the file and what is wrong — a COPY of a path that is not there or is excluded by .dockerignore,
 * an image that runs as root, a compose file that does not parse, an s321 command or option the CLI
 * does not have (in compose and in a unit), a port published beyond loopback.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROJECT = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 's321-docker-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A build context like the project's: its sources linked, the deployment files copied (to break). */
function context(name: string): string {
  const root = join(scratch, name);
  mkdirSync(join(root, 'docs'), { recursive: true });
  for (const p of [
    'src',
    'workers',
    'bench',
    'scripts',
    'schemas',
    'types',
    'config',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
  ])
    symlinkSync(join(PROJECT, p), join(root, p));
  for (const p of ['Dockerfile', '.dockerignore', 'docs/deploy'])
    cpSync(join(PROJECT, p), join(root, p), { recursive: true });
  return root;
}

function check(root: string): { status: number | null; out: string } {
  const r = spawnSync('bash', [join(PROJECT, 'scripts/docker-check.sh'), root], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, S321_DOCKER_CHECK_STATIC_ONLY: '1' },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before); // the mistake was really made
  writeFileSync(path, after);
}

describe('scripts/docker-check.sh (static checks)', () => {
  it("passes on the project's own deployment files", () => {
    const r = check(PROJECT);
    expect(r.out).toContain('check out');
    expect(r.status).toBe(0);
  });

  it.each([
    [
      'a COPY of a path not in the context',
      'Dockerfile',
      (t: string) => t.replace('COPY src ./src', 'COPY srcs ./src'),
      /Dockerfile: COPY srcs: no such path/,
    ],
    [
      'a COPY excluded by .dockerignore',
      '.dockerignore',
      (t: string) => `${t}schemas\n`,
      /Dockerfile: COPY schemas: excluded by \.dockerignore/,
    ],
    [
      'an image that runs as root',
      'Dockerfile',
      (t: string) => t.replace('USER s321\n', ''),
      /Dockerfile: the final stage runs as root/,
    ],
    [
      'a base image that is not Node 20',
      'Dockerfile',
      (t: string) => t.replace('FROM node:20-bookworm-slim\n', 'FROM node:18-slim\n'),
      /FROM node:18-slim: not a Node 20 image/,
    ],
    [
      'a compose file that does not parse',
      'docs/deploy/compose.yaml',
      (t: string) => t.replace('services:\n', 'services:\n  broken: [\n'),
      /compose\.yaml: does not parse/,
    ],
    [
      'a compose command the CLI does not have',
      'docs/deploy/compose.yaml',
      (t: string) => t.replace('["serve", ', '["serv", '),
      /services\.serve: "s321 serv" is not a command/,
    ],
    [
      'a compose option the CLI does not have',
      'docs/deploy/compose.yaml',
      (t: string) => t.replace('["worker", "aggregate", "--config"', '["worker", "aggregate", "--confg"'),
      /services\.worker-aggregate: "s321 worker" has no option --confg/,
    ],
    [
      'a port published beyond loopback',
      'docs/deploy/compose.yaml',
      (t: string) => t.replace('"127.0.0.1:8321:8321"', '"8321:8321"'),
      /services\.serve: port "8321:8321" is published beyond loopback/,
    ],
    [
      'a unit running an option the CLI does not have',
      'docs/deploy/s321-worker@.service',
      (t: string) => t.replace('--out /var', '--outbound /var'),
      /s321-worker@\.service: "s321 worker" has no option --outbound/,
    ],
    [
      'a unit running as root',
      'docs/deploy/s321-serve.service',
      (t: string) => t.replace('User=s321\n', ''),
      /s321-serve\.service: runs as root/,
    ],
  ])('fails on %s', (name, file, change, message) => {
    const root = context(name.replace(/\W+/g, '-'));
    edit(root, file, change);
    const r = check(root);
    expect(r.out).toMatch(message);
    expect(r.status).toBe(1);
  });
});
