/**
 * `s321 serve` with SFTP partners in its config, as an OS process against a real OpenSSH sftp
 * server on 127.0.0.1 (test/support/sftp-server.ts) and a real redis-server: the partner with the
 * pinned host key has its remote file downloaded, enqueued under its partner id, archived,
 * acknowledged (the ack in acks/) and removed from the server; a partner whose pinned fingerprint is
 * another key is refused every poll (logged with the fingerprint presented) and its remote file is
 * left alone. The client key is passphrase-protected, the passphrase comes from the environment,
 * and neither the passphrase nor the key appears in serve's output. SIGTERM exits 0.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshKeygenBinary } from '../support/binaries.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { otherHostKeyFingerprint, type SftpTestServer, startSftpServer } from '../support/sftp-server.js';
import { buildProject, PROJECT_ROOT } from './support/build.js';

const PASSPHRASE = `pp-${randomBytes(12).toString('hex')}`;
const QUEUE = `serve-sftp-${randomBytes(4).toString('hex')}`;
const INPUT = readFileSync(join(PROJECT_ROOT, 'fixtures/replay/release2-day/01-truck-manifest.edi'));

let redis: RedisTestServer;
let sftp: SftpTestServer;
let build: string;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  [redis, sftp] = await Promise.all([startRedisServer(), startSftpServer()]);
  build = buildProject('serve-sftp', ['src/cli/main.js', 'src/app/queue/sftp-intake.js']);
}, 300_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
  }
  await Promise.all([redis?.stop(), sftp?.stop()]);
});

const files = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
};

async function until(what: string, timeoutMs: number, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n--- serve output ---\n${output.slice(-5000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An upload as a partner's system makes it on its own server: a temp name, then a rename. */
function putRemote(dir: string, name: string, bytes: Buffer): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `.${name}.tmp`), bytes);
  renameSync(join(dir, `.${name}.tmp`), join(dir, name));
}

describe('s321 serve polls SFTP partners', () => {
  it('downloads from the pinned host, refuses another host key, logs no secret', async () => {
    const root = mkdtempSync(join(tmpdir(), 's321-serve-sftp-'));
    const data = join(root, 'data');
    // The partner's key, protected by a passphrase the service reads from its environment.
    const keyPath = join(root, 'acme_ed25519');
    writeFileSync(keyPath, sftp.privateKey, { mode: 0o600 });
    execFileSync(sshKeygenBinary(), ['-q', '-p', '-P', '', '-N', PASSPHRASE, '-f', keyPath]);
    chmodSync(keyPath, 0o600);
    const keyText = readFileSync(keyPath, 'utf8');
    const good = join(sftp.root, 'acme-out');
    const evil = join(sftp.root, 'evil-out');
    putRemote(good, 'acme-309.edi', INPUT);
    putRemote(evil, 'evil-309.edi', INPUT);
    const partner = {
      host: sftp.host,
      port: sftp.port,
      username: sftp.username,
      privateKeyPath: keyPath,
      passphraseEnv: 'S321_TEST_SFTP_PASSPHRASE',
      pollIntervalMs: 1000,
      readyTimeoutMs: 10_000,
    };
    const configPath = join(root, 's321.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: data,
        redis: { url: redis.url, queueName: QUEUE, partitions: 0 },
        inbox: { pollIntervalMs: 100, stablePolls: 1 },
        sftp: {
          partners: [
            { id: 'ACME', ...partner, remoteDir: good, hostKeys: [sftp.hostKeyFingerprint] },
            { id: 'EVIL', ...partner, remoteDir: evil, hostKeys: [await otherHostKeyFingerprint()] },
          ],
        },
        log: { level: 'info' },
      }),
    );
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('S321_'))),
      S321_TEST_SFTP_PASSPHRASE: PASSPHRASE,
    };
    const serve = spawn(
      process.execPath,
      [join(build, 'src/cli/main.js'), 'serve', '--config', configPath, '--now', '2025-06-10T18:00'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = serve;
    output = '';
    serve.stdout?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    serve.stderr?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));

    await until('serve to start', 30_000, () => output.includes('s321 serve: inbox'));
    expect(output).toContain(`sftp ACME@127.0.0.1:${sftp.port}, EVIL@127.0.0.1:${sftp.port}`);

    // ACME: downloaded, removed remotely, enqueued under ACME, archived and acknowledged.
    const acks = join(data, 'acks');
    await until('the ACME file acknowledged', 60_000, () =>
      files(acks).some((f) => f.includes('acme-309.edi')),
    );
    expect(files(good)).toEqual([]);
    const archive = join(data, 'archive');
    expect(files(archive).flatMap((d) => files(join(archive, d)))).toEqual(['acme-309.edi']);
    const ack = files(acks).find((f) => f.includes('acme-309.edi')) as string;
    expect(ack).toMatch(/^000000001\.acme-309\.edi\.000000101\.ack-999_ACMETRUCK\.x12$/);
    expect(readFileSync(join(acks, ack), 'latin1')).toMatch(/^ISA\*.*IK5\*A~/s);
    const logLines = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(logLines.some((l) => l.msg === 'sftp: delivered to inbox' && l.partner === 'ACME')).toBe(true);
    expect(logLines.some((l) => l.msg === 'intake: enqueued' && l.file === 'acme-309.edi')).toBe(true);

    // EVIL: refused on every poll with the key it presented; its file stays on the server.
    await until(
      'two refused polls of EVIL',
      30_000,
      () =>
        output.split('\n').filter((l) => l.includes('host key rejected') && l.includes('"EVIL"')).length >= 2,
    );
    expect(output).toContain(sftp.hostKeyFingerprint);
    expect(files(evil)).toEqual(['evil-309.edi']);
    expect(existsSync(join(data, 'sftp', 'EVIL'))).toBe(true);
    expect(files(join(data, 'sftp', 'EVIL'))).toEqual([]);

    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    // No secret in anything serve wrote: not the passphrase, not a line of the key.
    expect(output).not.toContain(PASSPHRASE);
    for (const line of keyText.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')))
      expect(output).not.toContain(line);
  }, 180_000);
});
