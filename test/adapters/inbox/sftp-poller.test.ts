/**
 * The SFTP poller against a real OpenSSH sshd + sftp-server on 127.0.0.1 (test/support/sftp-server.ts).
 * No server = a failing test that says to run scripts/install-test-deps.sh.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostKeyRejectedError, sshKeyFingerprint } from '../../../src/adapters/inbox/host-key.js';
import {
  LimitAndHash,
  SftpPoller,
  type SftpPollerOptions,
  SizeLimitError,
} from '../../../src/adapters/inbox/sftp-poller.js';
import { createLogger } from '../../../src/config/logger.js';
import { otherHostKeyFingerprint, type SftpTestServer, startSftpServer } from '../../support/sftp-server.js';
import { sha256 } from './drop-folder-fixture.js';

let server: SftpTestServer;
const logLines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  }),
});
const PASSWORD = 'pw-must-not-leak-7c1f';

beforeAll(async () => {
  server = await startSftpServer();
});
afterAll(async () => {
  await server?.stop();
});

let local: string;
let remote: string;
let n = 0;
beforeEach(async () => {
  local = await mkdtemp(join(tmpdir(), 's321-sftp-inbox-'));
  remote = join(server.root, `out${++n}`);
  await mkdir(remote);
});
afterEach(async () => {
  await rm(local, { recursive: true, force: true });
});

function poller(
  extra: Partial<SftpPollerOptions> = {},
  partner: Partial<SftpPollerOptions['partner']> = {},
): SftpPoller {
  return new SftpPoller({
    partner: {
      id: 'acme',
      host: server.host,
      port: server.port,
      username: server.username,
      privateKey: server.privateKey,
      remoteDir: remote,
      hostKeys: [server.hostKeyFingerprint],
      afterDownload: 'delete',
      readyTimeoutMs: 10_000,
      ...partner,
    },
    inboxDir: local,
    maxFileBytes: 100_000,
    logger,
    ...extra,
  });
}

const list = async (dir: string): Promise<string[]> => (await readdir(dir)).sort();

describe('SFTP poller against OpenSSH', () => {
  it('downloads complete files after two stable listings, then removes them remotely', async () => {
    const files: Record<string, string> = {
      'a309.edi': 'ISA*00*a~',
      'b350.edi': 'ISA*00*b~'.repeat(3000),
      'c.cuscar': 'UNB+UNOC:3+x',
    };
    for (const [name, data] of Object.entries(files)) await writeFile(join(remote, name), data);
    await writeFile(join(remote, 'd.edi.part'), 'upload in progress');
    const p = poller();

    const first = await p.pollOnce();
    expect(first.downloaded).toEqual([]);
    expect(first.waiting.sort()).toEqual(Object.keys(files).sort());
    expect(await list(local)).toEqual([]);

    const second = await p.pollOnce();
    expect(second.failed).toEqual([]);
    expect(second.downloaded.map((d) => d.remoteName).sort()).toEqual(Object.keys(files).sort());
    for (const d of second.downloaded) {
      expect(await readFile(d.localPath, 'utf8')).toBe(files[d.remoteName]);
      expect(d.sha256).toBe(sha256(files[d.remoteName] ?? ''));
      expect(d.size).toBe(Buffer.byteLength(files[d.remoteName] ?? ''));
    }
    expect(await list(local)).toEqual(Object.keys(files).sort()); // no temp left behind
    expect(await list(remote)).toEqual(['d.edi.part']);
  });

  it('refuses a server whose host key is not configured, touching nothing', async () => {
    await writeFile(join(remote, 'x.edi'), 'ISA');
    const other = await otherHostKeyFingerprint();
    const p = poller({ stablePolls: 1 }, { hostKeys: [other], password: PASSWORD });
    const err = await p.pollOnce().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyRejectedError);
    expect((err as HostKeyRejectedError).presented).toBe(server.hostKeyFingerprint);
    expect((err as Error).message).toContain(server.hostKeyFingerprint);
    expect((err as Error).message).not.toContain(PASSWORD);
    expect(await list(remote)).toEqual(['x.edi']);
    expect(await list(local)).toEqual([]);
    expect(() => poller({}, { hostKeys: [] })).toThrow(/no hostKeys/);
  });

  it('our fingerprint of the presented key is the one ssh-keygen prints', async () => {
    const pub = (await readFile(join(server.dir, 'host_ed25519.pub'), 'utf8')).split(' ');
    expect(sshKeyFingerprint(Buffer.from(pub[1] ?? '', 'base64'))).toBe(server.hostKeyFingerprint);
  });

  it('keeps the remote file when the local delivery cannot complete', async () => {
    await writeFile(join(remote, 'dup.edi'), 'new content');
    await writeFile(join(local, 'dup.edi'), 'an earlier delivery, not yet claimed');
    const p = poller({ stablePolls: 1 });
    const r = await p.pollOnce();
    expect(r.downloaded).toEqual([]);
    expect(r.skipped).toEqual([
      expect.objectContaining({ remoteName: 'dup.edi', reason: 'local-name-taken' }),
    ]);
    expect(await list(remote)).toEqual(['dup.edi']);
    expect(await readFile(join(local, 'dup.edi'), 'utf8')).toBe('an earlier delivery, not yet claimed');
    expect(await list(local)).toEqual(['dup.edi']); // the temp was removed

    await rm(join(local, 'dup.edi')); // the drop folder claimed it
    const again = await p.pollOnce();
    expect(again.downloaded.map((d) => d.remoteName)).toEqual(['dup.edi']);
    expect(await readFile(join(local, 'dup.edi'), 'utf8')).toBe('new content');
    expect(await list(remote)).toEqual([]);
  });

  it('leaves files over the size limit and with unsafe names on the server', async () => {
    await writeFile(join(remote, 'big.edi'), Buffer.alloc(2001, 0x41));
    await writeFile(join(remote, 'a..b.edi'), 'x');
    await writeFile(join(remote, 'back\\slash.edi'), 'x');
    await writeFile(join(remote, 'ok.edi'), Buffer.alloc(2000, 0x42));
    const r = await poller({ stablePolls: 1, maxFileBytes: 2000 }).pollOnce();
    expect(r.downloaded.map((d) => d.remoteName)).toEqual(['ok.edi']);
    expect(r.skipped.map((s) => `${s.remoteName}:${s.reason}`).sort()).toEqual([
      'a..b.edi:unsafe-name',
      'back\\slash.edi:unsafe-name',
      'big.edi:too-large',
    ]);
    expect(await list(remote)).toEqual(['a..b.edi', 'back\\slash.edi', 'big.edi']);
    expect(await list(local)).toEqual(['ok.edi']);
  });

  it('moves the remote file to a done directory when so configured', async () => {
    const done = join(server.root, `done${n}`);
    await mkdir(done);
    await writeFile(join(remote, 'm.edi'), 'moved');
    const r = await poller({ stablePolls: 1 }, { afterDownload: { moveTo: done } }).pollOnce();
    expect(r.downloaded.map((d) => d.remoteName)).toEqual(['m.edi']);
    expect(await list(remote)).toEqual([]);
    expect(await readFile(join(done, 'm.edi'), 'utf8')).toBe('moved');
  });

  it('a remote cleanup failure is reported and the file is not fetched twice', async () => {
    await writeFile(join(remote, 'stuck.edi'), 'once');
    // moveTo a directory that does not exist: the rename fails after the local copy is complete.
    const p = poller({ stablePolls: 1 }, { afterDownload: { moveTo: join(server.root, 'missing-dir') } });
    const r = await p.pollOnce();
    expect(r.downloaded.map((d) => d.remoteName)).toEqual(['stuck.edi']);
    expect(r.cleanupFailed.map((c) => c.remoteName)).toEqual(['stuck.edi']);
    await rm(join(local, 'stuck.edi')); // claimed by the drop folder meanwhile
    const again = await p.pollOnce();
    expect(again.downloaded).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(['already-delivered']);
    expect(await list(local)).toEqual([]);
  });

  it('run() polls until aborted, delivering files that arrive meanwhile', async () => {
    const p = poller({ stablePolls: 2 });
    const ac = new AbortController();
    const running = p.run({ intervalMs: 50, signal: ac.signal });
    await writeFile(join(remote, 'late.edi'), 'arrived while polling');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(await list(local)).includes('late.edi'))
      await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await running;
    expect(await readFile(join(local, 'late.edi'), 'utf8')).toBe('arrived while polling');
    expect(await list(remote)).toEqual([]);
  });

  it('fails clearly, without leaking the password, when authentication is refused', async () => {
    const p = poller({ stablePolls: 1 }, { privateKey: undefined, password: PASSWORD } as unknown as Partial<
      SftpPollerOptions['partner']
    >);
    const started = Date.now();
    const err = await p.pollOnce().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(HostKeyRejectedError);
    expect((err as Error).message).toMatch(/acme .*127\.0\.0\.1.*authentication/i);
    expect((err as Error).message).not.toContain(PASSWORD);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('SFTP poller logs', () => {
  // Runs after the suites above (vitest keeps file order): whatever they logged, no credential leaked.
  it('never carry the password or key material', () => {
    const all = logLines.join('');
    expect(all).toContain('sftp: delivered to inbox');
    expect(all).toContain('host key rejected');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('OPENSSH PRIVATE KEY');
    expect(all).not.toContain(server.privateKey.toString('utf8').split('\n')[1]);
  });
});

describe('LimitAndHash', () => {
  const sink = (): Writable =>
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    });

  it('passes exactly the limit and hashes it', async () => {
    const meter = new LimitAndHash(10_000);
    await pipeline(Readable.from([Buffer.alloc(6000, 1), Buffer.alloc(4000, 2)]), meter, sink());
    expect(meter.bytes).toBe(10_000);
    expect(meter.digest()).toBe(sha256(Buffer.concat([Buffer.alloc(6000, 1), Buffer.alloc(4000, 2)])));
  });

  it('stops the transfer as soon as one byte more arrives', async () => {
    const meter = new LimitAndHash(10_000);
    let pulled = 0;
    const source = new Readable({
      read() {
        pulled++;
        this.push(pulled > 1000 ? null : Buffer.alloc(4000));
      },
    });
    await expect(pipeline(source, meter, sink())).rejects.toBeInstanceOf(SizeLimitError);
    expect(meter.bytes).toBe(12_000);
    expect(pulled).toBeLessThan(20); // not read to the end
  });
});
