/**
 * An in-memory index from a key hash to a SQLite rowid, in typed arrays: open addressing (linear
 * probing) over a power-of-two table of rowids, with a 32-bit tag of each row's hash kept in a column
 * indexed by rowid. Why not a Map<string, number>: at 4M keys a Map of strings costs ~100 bytes per
 * key (the key strings, the entries, the GC's work on them); this costs 4 bytes per row plus 4–8
 * bytes per table slot, and no object at all.
 *
 * Keys are hashed to 52 bits (keyHash52, the `h` column) and the index keeps the low 32: a miss is
 * certain without a read, and a tag match is confirmed by `verify` (a row read that compares the
 * real key), so a collision costs a read and never a wrong answer. Rows are never removed one by one
 * (a deleted bill is a row flagged deleted), so there are no tombstones: eviction (hot-state.ts)
 * re-places the rows it keeps (`retain`).
 */
import { U32Column } from './columns.js';

/** Fill ratio at which the table doubles. */
const MAX_LOAD = 0.7;

export class RowHashIndex {
  private slots: Uint32Array;
  private mask: number;
  private filled = 0;
  constructor(
    expectedRows = 1024,
    /**
     * The 32-bit tag of each indexed row's hash, by rowid: a column of the hot state's (its spares),
     * whose chunks eviction drops with the other columns'.
     */
    readonly rowTag = new U32Column(expectedRows + 1),
  ) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expectedRows) capacity *= 2;
    this.slots = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.filled;
  }

  get capacity(): number {
    return this.slots.length;
  }

  /** Bytes held by the table and the hash column. */
  get bytes(): number {
    return this.slots.byteLength + this.rowTag.bytes;
  }

  /**
   * The rowid of the key with this hash that `verify` accepts (rows whose tag matches are offered
   * until one is accepted), or 0: certain when 0, a candidate to confirm with the row otherwise.
   * `a` and `b` are handed to `verify` with each rowid, so a caller can pass one function made once
   * and the key it looks for, instead of a new closure over the key for every lookup.
   */
  find<A = undefined, B = undefined>(
    hash: number,
    verify: (rowid: number, a: A, b: B) => boolean,
    a?: A,
    b?: B,
  ): number {
    const tag = tagOf(hash);
    const slots = this.slots;
    const mask = this.mask;
    for (let i = slotOf(tag) & mask; ; i = (i + 1) & mask) {
      const rowid = slots[i] as number;
      if (rowid === 0) return 0;
      if (this.rowTag.get(rowid) === tag && verify(rowid, a as A, b as B)) return rowid;
    }
  }

  /** Indexes a row under a hash. A rowid is indexed once (rows are appended, never re-keyed). */
  insert(hash: number, rowid: number): void {
    if (!Number.isInteger(rowid) || rowid <= 0 || rowid > 0xffffffff)
      throw new RangeError(`rowid ${rowid} cannot be indexed (1 … 2^32-1)`);
    if (!Number.isInteger(hash) || hash < 0 || hash >= 2 ** 53)
      throw new RangeError(`hash ${hash} is not a 52-bit key hash`);
    if (this.filled + 1 > this.slots.length * MAX_LOAD) this.grow();
    const tag = tagOf(hash);
    this.rowTag.set(rowid, tag);
    this.place(tag, rowid);
    this.filled++;
  }

  /** The rowids indexed, in slot order. */
  forEachRow(each: (rowid: number) => void): void {
    const slots = this.slots;
    for (let i = 0; i < slots.length; i++) {
      const rowid = slots[i] as number;
      if (rowid !== 0) each(rowid);
    }
  }

  /**
   * Keeps only the rows `keep` accepts, re-placed in the same table: eviction keeps the table the
   * day grew to for the next day's rows, instead of a small new one that doubles again while the
   * old one waits for a GC. The tags of the rows dropped stay in `rowTag` until the caller drops
   * their chunks.
   */
  retain(keep: (rowid: number) => boolean): void {
    const rows = this.rowsWhere(keep);
    this.slots.fill(0);
    for (const rowid of rows) this.place(this.rowTag.get(rowid), rowid);
    this.filled = rows.length;
  }

  /**
   * The rowids `pick` accepts, in table order, in a typed array of exactly their count (counted
   * first, then filled): no JS array of numbers for a day's rows (docs/replay-memory.md).
   */
  rowsWhere(pick: (rowid: number) => boolean): Uint32Array {
    let n = 0;
    this.forEachRow((rowid) => {
      if (pick(rowid)) n++;
    });
    const rows = new Uint32Array(n);
    let at = 0;
    this.forEachRow((rowid) => {
      if (pick(rowid)) rows[at++] = rowid;
    });
    return rows;
  }

  private place(tag: number, rowid: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = slotOf(tag) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = rowid;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const rowid = old[i] as number;
      if (rowid !== 0) this.place(this.rowTag.get(rowid), rowid);
    }
  }
}

/** The low 32 bits of a 52-bit key hash (they mix both halves of keyHash52). */
function tagOf(hash: number): number {
  return hash % 0x100000000;
}

/** The slot a tag starts probing at: a multiplicative mix, so tags close together spread out. */
function slotOf(tag: number): number {
  return (Math.imul(tag ^ (tag >>> 16), 0x85ebca6b) ^ (tag >>> 13)) >>> 0;
}
