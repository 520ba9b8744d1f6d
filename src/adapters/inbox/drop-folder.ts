/**
 * The drop folder: partners (or the SFTP poller) put files into inbox/; this adapter waits until an
 * upload is complete, claims each file atomically into processing/, hands it to the pipeline as an
 * async iterator, and on `complete()` moves it to archive/YYYY-MM-DD/ or quarantine/ (with
 * `<name>.reason.json`). A JSONL ledger accounts for every file: received → processed|quarantined.
 *
 * Files the edge itself refuses (unsafe names, over the size limit, not regular files, changed after
 * the claim) are quarantined here and never yielded. Uploads in progress (dot-files, *.part, *.tmp)
 * are never touched. Several processes may share one drop folder: a claim is a rename, which exactly
 * one of them wins.
 *
 * Layout: all four dirs must be on one filesystem (claims and moves are renames/links).
 */
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterLogger } from '../../config/logger.js';
import { silentLogger } from '../../config/logger.js';
import { calendarDayIn, isCalendarDay } from './calendar-day.js';
import { checkFileName, DEFAULT_MAX_NAME_BYTES, isInProgressName, sanitizeFileName } from './file-name.js';
import { claimByRename, ensureDirs, hashFile, moveNoClobber, writeFileAtomic } from './fs-moves.js';
import { type InboxIssue, inboxIssue, type QuarantineReason } from './inbox-issues.js';
import { Ledger } from './ledger.js';
import { type Observation, StabilityTracker } from './stability.js';

export interface DropFolderDirs {
  inbox: string;
  processing: string;
  archive: string;
  quarantine: string;
}

export interface DropFolderOptions {
  dirs: DropFolderDirs;
  ledgerPath: string;
  /** Files larger than this are quarantined (INTAKE_TOO_LARGE), never yielded. */
  maxFileBytes: number;
  /** Longest accepted name in UTF-8 bytes (default 200). */
  maxFileNameBytes?: number;
  /** Pause between polls of the iterator (default 1000 ms). */
  pollIntervalMs?: number;
  /** Unchanged size+mtime over this many polls = upload complete (default 2). */
  stablePolls?: number;
  /** Zone naming the archive day when complete() gets none (default 'UTC'). */
  timeZone?: string;
  /** At most this many files are claimed per poll (default 500), to bound one poll's work. */
  maxClaimsPerPoll?: number;
  now?: () => Date;
  logger?: AdapterLogger;
}

export interface ClaimedFile {
  readonly claimId: string;
  /** The name the file arrived under (safe: checked by the name policy). */
  readonly name: string;
  /** Absolute path of the claimed file in processing/; read it from here. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  /** ISO instant of the claim. */
  readonly receivedAt: string;
}

export type CompleteOutcome =
  | {
      status: 'processed' /** Archive day 'YYYY-MM-DD'; default: today in the configured zone. */;
      day?: string;
    }
  | { status: 'quarantined'; reasons: readonly QuarantineReason[] };

export interface CompletedFile {
  claimId: string;
  name: string;
  status: 'processed' | 'quarantined';
  /** Where the original now is. */
  path: string;
  /** The `<name>.reason.json` written next to a quarantined file. */
  reasonPath?: string;
}

/** Contents of a `<name>.reason.json`. */
export interface QuarantineReasonFile {
  file: string;
  nameHex?: string;
  claimId: string;
  size: number;
  sha256: string | null;
  receivedAt: string;
  quarantinedAt: string;
  reasons: QuarantineReason[];
}

/** An inbox entry whose upload looks complete, not yet claimed. */
interface Candidate {
  raw: Buffer;
  name: string;
  obs: Observation;
  kind: 'file' | 'other';
}

/** A claim in flight inside this module: the full record, safe or not. */
interface Claim {
  claimId: string;
  name: string;
  nameHex?: string;
  path: string;
  size: number;
  sha256: string | null;
  receivedAt: string;
}

const CLAIM_SEPARATOR = '__';

export class DropFolder {
  readonly dirs: DropFolderDirs;
  private readonly ledger: Ledger;
  private readonly tracker: StabilityTracker;
  private readonly maxNameBytes: number;
  private readonly pollIntervalMs: number;
  private readonly timeZone: string;
  private readonly maxClaimsPerPoll: number;
  private readonly now: () => Date;
  private readonly log: AdapterLogger;
  private readonly open = new Map<string, Claim>();
  private scanning = false;

  private constructor(private readonly options: DropFolderOptions) {
    this.dirs = options.dirs;
    this.now = options.now ?? (() => new Date());
    this.ledger = new Ledger(options.ledgerPath, this.now);
    this.tracker = new StabilityTracker(options.stablePolls ?? 2);
    this.maxNameBytes = options.maxFileNameBytes ?? DEFAULT_MAX_NAME_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.timeZone = options.timeZone ?? 'UTC';
    this.maxClaimsPerPoll = options.maxClaimsPerPoll ?? 500;
    this.log = options.logger ?? silentLogger;
    if (!Number.isInteger(options.maxFileBytes) || options.maxFileBytes <= 0)
      throw new RangeError('maxFileBytes must be a positive integer');
    calendarDayIn(new Date(0), this.timeZone); // throws RangeError on an unknown zone, at construction
  }

  /** Creates the dirs (0750) and the drop folder. */
  static async open(options: DropFolderOptions): Promise<DropFolder> {
    const { inbox, processing, archive, quarantine } = options.dirs;
    await ensureDirs([inbox, processing, archive, quarantine]);
    return new DropFolder(options);
  }

  /**
   * Claimed files, as they become complete, until `signal` aborts. Each file is claimed just before
   * it is yielded, so breaking out of the loop leaves the rest in the inbox.
   */
  async *claims(options: { signal?: AbortSignal } = {}): AsyncGenerator<ClaimedFile, void, undefined> {
    const { signal } = options;
    const aborted = (): boolean => signal?.aborted === true;
    while (!aborted()) {
      for (const candidate of await this.scan()) {
        if (aborted()) return;
        const claimed = await this.claim(candidate);
        if (claimed !== undefined) yield claimed;
      }
      try {
        await sleep(this.pollIntervalMs, undefined, signal !== undefined ? { signal } : {});
      } catch {
        return; // aborted while waiting
      }
    }
  }

  /** One poll: claims every file that is complete now (the refused ones go to quarantine). */
  async pollOnce(): Promise<ClaimedFile[]> {
    const out: ClaimedFile[] = [];
    for (const candidate of await this.scan()) {
      const claimed = await this.claim(candidate);
      if (claimed !== undefined) out.push(claimed);
    }
    return out;
  }

  /** Lists the inbox and returns the entries whose upload is complete (stable over N polls). */
  private async scan(): Promise<Candidate[]> {
    if (this.scanning) throw new Error('DropFolder: polls of one instance must not overlap');
    this.scanning = true;
    try {
      // Buffer names: a name that is not valid UTF-8 must still be moved by its real bytes.
      const entries = (await readdir(this.dirs.inbox, {
        withFileTypes: true,
        encoding: 'buffer',
      })) as Dirent<Buffer>[];
      const listed = new Set<string>();
      const ready: Candidate[] = [];
      for (const entry of entries) {
        const raw = entry.name;
        const name = raw.toString('utf8');
        if (isInProgressName(name) || entry.isDirectory()) continue;
        const key = raw.toString('hex');
        listed.add(key);
        let st: Awaited<ReturnType<typeof lstat>>;
        try {
          st = await lstat(Buffer.concat([Buffer.from(`${this.dirs.inbox}/`), raw]));
        } catch {
          continue; // claimed or removed since the listing
        }
        if (st.isDirectory()) continue;
        const obs = { size: Number(st.size), mtimeMs: Number(st.mtimeMs), ino: Number(st.ino) };
        if (this.tracker.observe(key, obs) && ready.length < this.maxClaimsPerPoll) {
          ready.push({ raw, name, obs, kind: st.isFile() ? 'file' : 'other' });
        }
      }
      this.tracker.retainOnly(listed);
      return ready;
    } finally {
      this.scanning = false;
    }
  }

  /** Claims one candidate; undefined when another claimer won or the edge refused the file. */
  private async claim(c: Candidate): Promise<ClaimedFile | undefined> {
    const key = c.raw.toString('hex');
    this.tracker.forget(key);
    const src = Buffer.concat([Buffer.from(`${this.dirs.inbox}/`), c.raw]);
    // Look once more right before the claim: the iterator claims lazily, maybe long after the scan.
    try {
      const st = await lstat(src);
      if (
        Number(st.size) !== c.obs.size ||
        Number(st.mtimeMs) !== c.obs.mtimeMs ||
        Number(st.ino) !== c.obs.ino
      )
        return undefined;
    } catch {
      return undefined; // gone: claimed elsewhere or removed
    }
    const nameProblems = checkFileName(c.name, { maxBytes: this.maxNameBytes, raw: c.raw });
    const claimId = newClaimId(this.now());
    const localName = nameProblems.length === 0 ? c.name : sanitizeFileName(c.name);
    const path = join(this.dirs.processing, `${claimId}${CLAIM_SEPARATOR}${localName}`);
    if (!(await claimByRename(src, path))) {
      this.log.debug({ file: c.name }, 'inbox: file claimed by another process');
      return undefined;
    }

    const issues: InboxIssue[] = nameProblems.map((p) =>
      inboxIssue('INBOX_UNSAFE_NAME', p.message, {
        file: c.name,
        ...(p.index !== undefined ? { byteOffset: Buffer.byteLength(c.name.slice(0, p.index)) } : {}),
      }),
    );
    let size = c.obs.size;
    let sha256: string | null = null;
    if (c.kind === 'other') {
      issues.push(
        inboxIssue(
          'INBOX_NOT_REGULAR_FILE',
          'not a regular file (symbolic link, FIFO, socket or device); it was not opened',
          { file: c.name },
        ),
      );
    } else {
      const hashed = await hashFile(path);
      sha256 = hashed.sha256;
      size = hashed.size;
      if (hashed.size !== c.obs.size || hashed.mtimeMs !== c.obs.mtimeMs) {
        issues.push(
          inboxIssue(
            'INBOX_CHANGED_AFTER_CLAIM',
            `size ${c.obs.size} → ${hashed.size} after the claim: the upload was still running`,
            { file: c.name },
          ),
        );
      }
      if (size > this.options.maxFileBytes) {
        issues.push(
          inboxIssue('INTAKE_TOO_LARGE', `${size} bytes, over the ${this.options.maxFileBytes}-byte limit`, {
            file: c.name,
            byteOffset: this.options.maxFileBytes,
          }),
        );
      }
    }

    const claim: Claim = {
      claimId,
      name: c.name,
      ...(!c.raw.equals(Buffer.from(c.name)) ? { nameHex: c.raw.toString('hex') } : {}),
      path,
      size,
      sha256,
      receivedAt: this.now().toISOString(),
    };
    this.open.set(claimId, claim);
    await this.ledger.append({
      event: 'received',
      claimId,
      name: c.name,
      ...(claim.nameHex !== undefined ? { nameHex: claim.nameHex } : {}),
      size,
      sha256,
    });
    this.log.info({ claimId, file: c.name, size, sha256 }, 'inbox: received');

    if (issues.length > 0) {
      await this.quarantine(claim, issues, localName);
      return undefined;
    }
    return { claimId, name: c.name, path, size, sha256: sha256 as string, receivedAt: claim.receivedAt };
  }

  /** Moves a claimed file to its final place and records the outcome. Call exactly once per claim. */
  async complete(file: ClaimedFile, outcome: CompleteOutcome): Promise<CompletedFile> {
    const claim = this.open.get(file.claimId);
    if (claim === undefined)
      throw new Error(
        `DropFolder.complete: ${file.claimId} is not an open claim of this instance (completed already?)`,
      );
    if (outcome.status === 'quarantined') return this.quarantine(claim, [...outcome.reasons], claim.name);

    const day = outcome.day ?? calendarDayIn(this.now(), this.timeZone);
    if (!isCalendarDay(day))
      throw new RangeError(`DropFolder.complete: archive day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
    const dir = join(this.dirs.archive, day);
    await ensureDirs([dir]);
    const dest = await moveNoClobber(claim.path, dir, [
      claim.name,
      `${claim.claimId}${CLAIM_SEPARATOR}${claim.name}`,
    ]);
    this.open.delete(claim.claimId);
    await this.ledger.append({
      event: 'processed',
      claimId: claim.claimId,
      name: claim.name,
      size: claim.size,
      sha256: claim.sha256,
      day,
      path: dest,
    });
    this.log.info({ claimId: claim.claimId, file: claim.name, path: dest }, 'inbox: archived');
    return { claimId: claim.claimId, name: claim.name, status: 'processed', path: dest };
  }

  private async quarantine(
    claim: Claim,
    reasons: QuarantineReason[],
    localName: string,
  ): Promise<CompletedFile> {
    const unsafe = localName !== claim.name;
    const candidates = unsafe
      ? [`${claim.claimId}${CLAIM_SEPARATOR}${localName}`]
      : [claim.name, `${claim.claimId}${CLAIM_SEPARATOR}${claim.name}`];
    const dest = await moveNoClobber(claim.path, this.dirs.quarantine, candidates);
    this.open.delete(claim.claimId);
    const reasonPath = `${dest}.reason.json`;
    const reasonFile: QuarantineReasonFile = {
      file: claim.name,
      ...(claim.nameHex !== undefined ? { nameHex: claim.nameHex } : {}),
      claimId: claim.claimId,
      size: claim.size,
      sha256: claim.sha256,
      receivedAt: claim.receivedAt,
      quarantinedAt: this.now().toISOString(),
      reasons,
    };
    await writeFileAtomic(reasonPath, `${JSON.stringify(reasonFile, null, 2)}\n`);
    const codes = [...new Set(reasons.map((r) => r.code))];
    await this.ledger.append({
      event: 'quarantined',
      claimId: claim.claimId,
      name: claim.name,
      size: claim.size,
      sha256: claim.sha256,
      codes,
      path: dest,
      reasonPath,
    });
    this.log.warn({ claimId: claim.claimId, file: claim.name, codes, path: dest }, 'inbox: quarantined');
    return { claimId: claim.claimId, name: claim.name, status: 'quarantined', path: dest, reasonPath };
  }

  /**
   * Puts back into the inbox the claims left in processing/ for longer than `olderThanMs` (by the
   * claim time in their id), e.g. after a crash. Only safe when no live process can still be
   * working on them: pick a threshold well above the longest processing time.
   */
  async requeueStale(olderThanMs: number): Promise<string[]> {
    const requeued: string[] = [];
    const cutoff = this.now().getTime() - olderThanMs;
    for (const entry of await readdir(this.dirs.processing)) {
      const sep = entry.indexOf(CLAIM_SEPARATOR);
      if (sep < 0) continue;
      const claimId = entry.slice(0, sep);
      const claimedAt = claimTime(claimId);
      if (claimedAt === undefined || claimedAt > cutoff || this.open.has(claimId)) continue;
      const name = entry.slice(sep + CLAIM_SEPARATOR.length);
      let dest: string;
      try {
        dest = await moveNoClobber(join(this.dirs.processing, entry), this.dirs.inbox, [
          name,
          `${claimId}-${name}`,
        ]);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process requeued it
        throw err;
      }
      await this.ledger.append({ event: 'requeued', claimId, name, path: dest });
      this.log.warn({ claimId, file: name }, 'inbox: stale claim requeued');
      requeued.push(dest);
    }
    return requeued;
  }
}

/** `<ms since epoch, base36>-<pid base36>-<random>`: sortable by claim time, unique across processes. */
function newClaimId(now: Date): string {
  return `${now.getTime().toString(36)}-${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;
}

function claimTime(claimId: string): number | undefined {
  const head = claimId.split('-')[0];
  if (head === undefined || !/^[0-9a-z]{6,12}$/.test(head)) return undefined;
  return Number.parseInt(head, 36);
}
