/**
 * "Is this upload complete?" by observation: an entry is ready once its size, mtime and identity
 * have been seen unchanged in `stablePolls` consecutive polls. Used for the local inbox and for
 * remote SFTP listings alike.
 */
export interface Observation {
  size: number;
  mtimeMs: number;
  /** Inode or any other identity (0 when unknown, e.g. SFTP). */
  ino: number;
}

export class StabilityTracker {
  private readonly seen = new Map<string, { obs: Observation; count: number }>();

  constructor(private readonly stablePolls: number) {
    if (!Number.isInteger(stablePolls) || stablePolls < 1)
      throw new RangeError('stablePolls must be an integer >= 1');
  }

  /** Records one observation; true when the entry has now been stable for `stablePolls` polls. */
  observe(key: string, obs: Observation): boolean {
    const prev = this.seen.get(key);
    const same =
      prev !== undefined &&
      prev.obs.size === obs.size &&
      prev.obs.mtimeMs === obs.mtimeMs &&
      prev.obs.ino === obs.ino;
    const count = same ? prev.count + 1 : 1;
    this.seen.set(key, { obs, count });
    return count >= this.stablePolls;
  }

  forget(key: string): void {
    this.seen.delete(key);
  }

  /** Drops entries not listed in the latest poll (deleted or renamed away), so the map stays bounded. */
  retainOnly(keys: ReadonlySet<string>): void {
    for (const key of this.seen.keys()) if (!keys.has(key)) this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
