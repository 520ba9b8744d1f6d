/**
 * A real OpenSSH server for tests: `sshd -D -e` in the foreground on 127.0.0.1 and a free port,
 * with a fresh ed25519 host key, one authorized client key and the Debian `sftp-server` binary
 * as its sftp subsystem, all under a temp dir. Only public-key login of the current user is
 * allowed; no shell, TTY or forwarding.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sftpServerBinary, sshdBinary, sshKeygenBinary } from './binaries.js';
import { type ChildServer, ServerStartError, startChildServer } from './child-server.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export interface SftpTestServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly username: string;
  /** The authorized client private key (OpenSSH format). */
  readonly privateKey: Buffer;
  /** The server's host key fingerprint as `ssh-keygen -l -E sha256` prints it: `SHA256:<base64>`. */
  readonly hostKeyFingerprint: string;
  /** A directory the test user can read and write, for remote files (absolute path on the server). */
  readonly root: string;
  readonly dir: string;
  output(): string;
  stop(): Promise<void>;
}

async function keygen(path: string, comment: string): Promise<void> {
  await run(sshKeygenBinary(), ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

async function fingerprint(pubPath: string): Promise<string> {
  const { stdout } = await run(sshKeygenBinary(), ['-l', '-E', 'sha256', '-f', pubPath]);
  const match = /\b(SHA256:[A-Za-z0-9+/]+)\b/.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
  return match[1];
}

/** A second, unrelated host key fingerprint, for host-key-mismatch tests. */
export async function otherHostKeyFingerprint(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's321-otherkey-'));
  try {
    await keygen(join(dir, 'k'), 'other');
    return await fingerprint(join(dir, 'k.pub'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function ensurePrivsepDir(): Promise<void> {
  // As root, sshd refuses to start without its privilege separation directory; Debian creates it
  // only when the service starts, which the install script prevents.
  if (process.getuid?.() !== 0) return;
  try {
    await stat('/run/sshd');
  } catch {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  }
}

export async function startSftpServer(
  options: { startTimeoutMs?: number; attempts?: number } = {},
): Promise<SftpTestServer> {
  const sshd = sshdBinary();
  const sftpServer = sftpServerBinary();
  const dir = await mkdtemp(join(tmpdir(), 's321-sshd-'));
  await chmod(dir, 0o700);
  const root = join(dir, 'files');
  await mkdir(root);
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  await keygen(hostKey, 's321-test-host');
  await keygen(clientKey, 's321-test-client');
  const authorizedKeys = join(dir, 'authorized_keys');
  await writeFile(authorizedKeys, await readFile(`${clientKey}.pub`), { mode: 0o600 });
  const hostKeyFingerprint = await fingerprint(`${hostKey}.pub`);
  const privateKey = await readFile(clientKey);
  const username = userInfo().username;
  await ensurePrivsepDir();

  const attempts = options.attempts ?? 5;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${username}`,
      'UsePAM no',
      // The temp dir lives under the world-writable /tmp, which StrictModes would refuse.
      'StrictModes no',
      'DisableForwarding yes',
      'PermitTTY no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      `Subsystem sftp ${sftpServer}`,
      '',
    ].join('\n');
    await writeFile(configPath, config, { mode: 0o600 });
    let server: ChildServer;
    try {
      server = await startChildServer(
        'sshd',
        sshd,
        ['-D', '-e', '-f', configPath],
        /Server listening on 127\.0\.0\.1 port/,
        options.startTimeoutMs ?? 15_000,
      );
    } catch (err) {
      lastError = err;
      if (err instanceof ServerStartError && err.portInUse) continue;
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return {
      host: '127.0.0.1',
      port,
      username,
      privateKey,
      hostKeyFingerprint,
      root,
      dir,
      output: server.output,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('sshd did not start');
}
