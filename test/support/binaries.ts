/**
 * Locates the real server binaries the adapter tests run against. A missing binary is a test
 * failure with instructions, never a skip: a skipped test would hide a broken adapter.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const INSTALL_HINT =
  'run `sudo bash scripts/install-test-deps.sh` (installs redis-server, openssh-server, openssh-sftp-server and chromium from Debian packages)';

export class MissingTestBinaryError extends Error {
  constructor(what: string, looked: readonly string[]) {
    super(`${what} not found (looked in ${looked.join(', ')}): ${INSTALL_HINT}`);
    this.name = 'MissingTestBinaryError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable among explicit candidates and `name` on PATH (plus the sbin dirs, often not on a user's PATH). */
export function findBinary(what: string, name: string, candidates: readonly string[] = []): string {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''),
    '/usr/sbin',
    '/sbin',
    '/usr/local/sbin',
  ];
  const looked = [...candidates, ...dirs.map((d) => join(d, name))];
  const found = looked.find(isExecutable);
  if (found === undefined)
    throw new MissingTestBinaryError(what, [...candidates, `$PATH/${name}`, '/usr/sbin']);
  return found;
}

export function redisServerBinary(): string {
  return findBinary('redis-server', 'redis-server');
}

export function sshdBinary(): string {
  // sshd re-executes itself and insists on an absolute path, which findBinary returns.
  return findBinary('OpenSSH sshd', 'sshd', ['/usr/sbin/sshd']);
}

export function sftpServerBinary(): string {
  return findBinary('OpenSSH sftp-server', 'sftp-server', [
    '/usr/lib/openssh/sftp-server',
    '/usr/libexec/openssh/sftp-server',
    '/usr/lib/ssh/sftp-server',
  ]);
}

export function sshKeygenBinary(): string {
  return findBinary('ssh-keygen', 'ssh-keygen');
}

/** Debian's chromium, driven by puppeteer-core in the HTML report test (no browser download). */
export function chromiumBinary(): string {
  return findBinary('chromium', 'chromium', ['/usr/bin/chromium']);
}
