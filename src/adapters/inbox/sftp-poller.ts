/**
 * Pulls a partner's files from a remote SFTP directory into the local drop-folder inbox.
 *
 * Per poll: connect (host key must match a configured SHA256 fingerprint, else refuse), list the
 * remote directory, and for each regular file with a safe name whose size and mtime held still over
 * `stablePolls` polls: stream it to a dot-named `.part` temp in the inbox (ignored by the drop
 * folder) with the size limit enforced while the bytes arrive, fsync, check the byte count and the
 * remote stat again, link it to its real name (never replacing a file of the same name), and only
 * then delete the remote file or move it to `afterDownload.moveTo`. Any failure before that point
 * leaves the remote file in place for the next poll.
 *
 * Secrets (password, key, passphrase) are passed to ssh2 only; log lines name the partner, host and
 * files, and the logger redacts secret-named fields besides.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import SftpClient from 'ssh2-sftp-client';
import type { AdapterLogger } from '../../config/logger.js';
import { silentLogger } from '../../config/logger.js';
import { checkFileName, DEFAULT_MAX_NAME_BYTES, isInProgressName } from './file-name.js';
import { HostKeyRejectedError, hostKeyVerifier } from './host-key.js';
import { StabilityTracker } from './stability.js';

export interface SftpPartnerSettings {
  id: string;
  host: string;
  port: number;
  username: string;
  password?: string;
  /** Key material; or privateKeyPath, read at each connect. */
  privateKey?: Buffer | string;
  privateKeyPath?: string;
  passphrase?: string;
  remoteDir: string;
  /** Accepted host key fingerprints `SHA256:…`; must not be empty. */
  hostKeys: readonly string[];
  afterDownload: 'delete' | { moveTo: string };
  readyTimeoutMs?: number;
}

export interface SftpPollerOptions {
  partner: SftpPartnerSettings;
  /** The local drop-folder inbox the files are delivered into. */
  inboxDir: string;
  maxFileBytes: number;
  maxFileNameBytes?: number;
  /** Remote size+mtime unchanged over this many polls before a download (default 2). */
  stablePolls?: number;
  /** Downloads per poll at most (default 100), to bound one poll. */
  maxFilesPerPoll?: number;
  logger?: AdapterLogger;
}

export type SkipReason =
  | 'unsafe-name'
  | 'too-large'
  | 'not-a-file'
  | 'local-name-taken'
  | 'already-delivered';

export interface SftpPollResult {
  downloaded: Array<{ remoteName: string; localPath: string; size: number; sha256: string }>;
  /** Left on the server, by policy. */
  skipped: Array<{ remoteName: string; reason: SkipReason; detail: string }>;
  /** Download failed; the remote file is kept and retried next poll. */
  failed: Array<{ remoteName: string; error: string }>;
  /** Delivered locally, but deleting/moving the remote file failed (it is not downloaded again by this poller). */
  cleanupFailed: Array<{ remoteName: string; error: string }>;
  /** Listed but not yet stable (upload may be in progress remotely). */
  waiting: string[];
}

export class SizeLimitError extends Error {
  readonly code = 'INTAKE_TOO_LARGE';
  constructor(
    readonly limit: number,
    readonly seen: number,
  ) {
    super(`more than ${limit} bytes (stopped at ${seen})`);
    this.name = 'SizeLimitError';
  }
}

/** Counts and hashes bytes on their way to disk, and stops the transfer past the limit. */
export class LimitAndHash extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      cb(new SizeLimitError(this.limit, this.bytes));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

const TEMP_PREFIX = '.sftp-';
const TEMP_SUFFIX = '.part';

export class SftpPoller {
  private readonly tracker: StabilityTracker;
  private readonly log: AdapterLogger;
  /** Remote files delivered whose remote cleanup failed: `name|size|mtime`, so they are not fetched twice. */
  private readonly delivered = new Set<string>();

  constructor(private readonly options: SftpPollerOptions) {
    if (options.partner.hostKeys.length === 0)
      throw new Error(`SFTP partner ${options.partner.id}: no hostKeys configured; refusing to connect`);
    this.tracker = new StabilityTracker(options.stablePolls ?? 2);
    this.log = options.logger ?? silentLogger;
  }

  private async connect(): Promise<SftpClient> {
    const p = this.options.partner;
    const verifier = hostKeyVerifier(p.hostKeys);
    const client = new SftpClient(`s321-${p.id}`, {
      // The library's defaults print to the console; route through the (redacting) logger instead.
      error: (err) => this.log.warn({ partner: p.id, err: errorText(err) }, 'sftp: connection error'),
      end: () => {},
      close: () => {},
    });
    const privateKey =
      p.privateKey ?? (p.privateKeyPath !== undefined ? await readFile(p.privateKeyPath) : undefined);
    try {
      await client.connect({
        host: p.host,
        port: p.port,
        username: p.username,
        ...(p.password !== undefined ? { password: p.password } : {}),
        ...(privateKey !== undefined ? { privateKey } : {}),
        ...(p.passphrase !== undefined ? { passphrase: p.passphrase } : {}),
        hostVerifier: verifier.verify,
        readyTimeout: p.readyTimeoutMs ?? 20_000,
        // No agent, no keyboard-interactive prompts: only the configured credentials.
        tryKeyboard: false,
      });
    } catch (err) {
      const presented = verifier.presented();
      if (verifier.rejected()) {
        this.log.error({ partner: p.id, host: p.host, presented }, 'sftp: host key rejected');
        throw new HostKeyRejectedError(p.id, p.host, presented);
      }
      throw new Error(`SFTP partner ${p.id} (${p.host}:${p.port}): ${errorText(err)}`);
    }
    return client;
  }

  /** One connection: list, download what is complete, clean up remotely, disconnect. */
  async pollOnce(): Promise<SftpPollResult> {
    const p = this.options.partner;
    const result: SftpPollResult = {
      downloaded: [],
      skipped: [],
      failed: [],
      cleanupFailed: [],
      waiting: [],
    };
    await this.removeStaleTemps();
    const client = await this.connect();
    try {
      const listing = await client.list(p.remoteDir);
      const listed = new Set<string>();
      const stillThere = new Set<string>();
      const maxNameBytes = this.options.maxFileNameBytes ?? DEFAULT_MAX_NAME_BYTES;
      let budget = this.options.maxFilesPerPoll ?? 100;
      for (const item of listing) {
        const name = item.name;
        if (item.type === 'd' || isInProgressName(name)) continue;
        // The server names the files: a hostile one could send "../x" or "a/b"; it never reaches a path.
        const problems = checkFileName(name, { maxBytes: maxNameBytes });
        if (problems.length > 0) {
          result.skipped.push({
            remoteName: name,
            reason: 'unsafe-name',
            detail: problems.map((x) => x.message).join('; '),
          });
          continue;
        }
        if (item.type !== '-') {
          result.skipped.push({ remoteName: name, reason: 'not-a-file', detail: `remote type ${item.type}` });
          continue;
        }
        if (item.size > this.options.maxFileBytes) {
          result.skipped.push({
            remoteName: name,
            reason: 'too-large',
            detail: `${item.size} bytes, over the ${this.options.maxFileBytes}-byte limit`,
          });
          continue;
        }
        const id = `${name}|${item.size}|${item.modifyTime}`;
        listed.add(name);
        stillThere.add(id);
        if (this.delivered.has(id)) {
          result.skipped.push({
            remoteName: name,
            reason: 'already-delivered',
            detail: 'delivered earlier; the remote copy could not be removed',
          });
          continue;
        }
        if (!this.tracker.observe(name, { size: item.size, mtimeMs: item.modifyTime, ino: 0 })) {
          result.waiting.push(name);
          continue;
        }
        if (budget <= 0) {
          result.waiting.push(name); // stable, but this poll's download budget is spent
          continue;
        }
        budget--;
        this.tracker.forget(name);
        await this.fetchOne(client, name, { size: item.size, mtimeMs: item.modifyTime }, result);
      }
      this.tracker.retainOnly(listed);
      for (const id of this.delivered) if (!stillThere.has(id)) this.delivered.delete(id);
    } finally {
      await client.end().catch(() => undefined);
    }
    for (const s of result.skipped)
      if (s.reason !== 'already-delivered')
        this.log.warn(
          { partner: p.id, file: s.remoteName, reason: s.reason, detail: s.detail },
          'sftp: file left on server',
        );
    return result;
  }

  private async fetchOne(
    client: SftpClient,
    name: string,
    listed: { size: number; mtimeMs: number },
    result: SftpPollResult,
  ): Promise<void> {
    const p = this.options.partner;
    const remotePath = posix.join(p.remoteDir, name);
    const tmp = join(this.options.inboxDir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
    const meter = new LimitAndHash(this.options.maxFileBytes);
    try {
      // 'wx': never write through a file someone planted under the temp name.
      await pipeline(
        client.createReadStream(remotePath),
        meter,
        createWriteStream(tmp, { flags: 'wx', mode: 0o640 }),
      );
      await fsyncPath(tmp);
      // Complete means: as many bytes as the server said, and the file unchanged since the listing.
      const after = await client.stat(remotePath);
      if (meter.bytes !== after.size || after.size !== listed.size || after.modifyTime !== listed.mtimeMs) {
        throw new Error(
          `remote file changed during download (listed ${listed.size} bytes, got ${meter.bytes}, now ${after.size})`,
        );
      }
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      const error = err instanceof SizeLimitError ? `size limit: ${err.message}` : errorText(err);
      result.failed.push({ remoteName: name, error });
      this.log.warn({ partner: p.id, file: name, error }, 'sftp: download failed; remote file kept');
      return;
    }

    const localPath = join(this.options.inboxDir, name);
    try {
      await link(tmp, localPath); // fails rather than replace an earlier delivery still in the inbox
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        result.skipped.push({
          remoteName: name,
          reason: 'local-name-taken',
          detail: 'a file of that name is still in the inbox; retried next poll',
        });
        return;
      }
      throw err;
    }
    await unlink(tmp);
    await fsyncPath(this.options.inboxDir); // the new directory entry, too
    const sha256 = meter.digest();
    result.downloaded.push({ remoteName: name, localPath, size: meter.bytes, sha256 });
    this.log.info({ partner: p.id, file: name, size: meter.bytes, sha256 }, 'sftp: delivered to inbox');

    try {
      if (p.afterDownload === 'delete') await client.delete(remotePath);
      else await client.rename(remotePath, posix.join(p.afterDownload.moveTo, name));
    } catch (err) {
      this.delivered.add(`${name}|${listed.size}|${listed.mtimeMs}`);
      result.cleanupFailed.push({ remoteName: name, error: errorText(err) });
      this.log.error(
        { partner: p.id, file: name, error: errorText(err) },
        'sftp: delivered, but the remote file could not be removed',
      );
    }
  }

  /** Temps of a crashed download (older than an hour: nobody is still writing them). */
  private async removeStaleTemps(maxAgeMs = 3_600_000): Promise<void> {
    const now = Date.now();
    for (const entry of await readdir(this.options.inboxDir)) {
      if (!entry.startsWith(TEMP_PREFIX) || !entry.endsWith(TEMP_SUFFIX)) continue;
      const path = join(this.options.inboxDir, entry);
      const st = await stat(path).catch(() => undefined);
      if (st !== undefined && now - st.mtimeMs > maxAgeMs) await unlink(path).catch(() => undefined);
    }
  }

  /**
   * Polls every `intervalMs` until `signal` aborts. A failed poll (network, host key) is logged and
   * retried next interval; a rejected host key is logged as an error each time, never accepted.
   */
  async run(options: { intervalMs: number; signal: AbortSignal }): Promise<void> {
    while (!options.signal.aborted) {
      try {
        await this.pollOnce();
      } catch (err) {
        this.log.error({ partner: this.options.partner.id, error: errorText(err) }, 'sftp: poll failed');
      }
      try {
        await sleep(options.intervalMs, undefined, { signal: options.signal });
      } catch {
        return;
      }
    }
  }
}

/** fsync through a fresh descriptor (fsync flushes the file, whichever descriptor asks). */
async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
