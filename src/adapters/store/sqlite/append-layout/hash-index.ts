/**
 * An in-memory index from a 52-bit key hash to a SQLite rowid, in typed arrays: open addressing
 * (linear probing) over a power-of-two table of rowids, with each row's hash kept in a column indexed
 * by rowid. Why not a Map<string, number>: at 4M keys a Map of strings costs ~100 bytes per key
 * (the key strings, the entries, the GC's work on them); this costs 8 bytes per row plus 4–8 bytes
 * per table slot, and no object at all.
 *
 * Two keys may share a 52-bit hash; `find` takes a `verify` callback (a row read that compares the
 * real key), so a collision costs a read and never a wrong answer. Rows are never removed (bills and
 * person-days are kept forever; a deleted bill is a row flagged deleted), so there are no tombstones.
 */
import { F64Column } from './columns.js';

/** Fill ratio at which the table doubles. */
const MAX_LOAD = 0.7;

export class RowHashIndex {
  private slots: Uint32Array;
  private mask: number;
  private filled = 0;
  /** The hash of each indexed row, by rowid (0 where a rowid is not indexed). */
  readonly rowHash: F64Column;

  constructor(expectedRows = 1024) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expectedRows) capacity *= 2;
    this.slots = new Uint32Array(capacity);
    this.mask = capacity - 1;
    this.rowHash = new F64Column(expectedRows + 1);
  }

  get size(): number {
    return this.filled;
  }

  get capacity(): number {
    return this.slots.length;
  }

  /** Bytes held by the table and the hash column. */
  get bytes(): number {
    return this.slots.byteLength + this.rowHash.bytes;
  }

  /**
   * The rowid of the key with this hash that `verify` accepts (rows with the same hash are offered
   * until one is accepted), or 0. Without `verify` the first row found with the hash is the answer.
   */
  find(hash: number, verify?: (rowid: number) => boolean): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = slotOf(hash) & mask; ; i = (i + 1) & mask) {
      const rowid = slots[i] as number;
      if (rowid === 0) return 0;
      if (this.rowHash.get(rowid) === hash && (verify === undefined || verify(rowid))) return rowid;
    }
  }

  /** Indexes a row under a hash. A rowid is indexed once (rows are appended, never re-keyed). */
  insert(hash: number, rowid: number): void {
    if (!Number.isInteger(rowid) || rowid <= 0 || rowid > 0xffffffff)
      throw new RangeError(`rowid ${rowid} cannot be indexed (1 … 2^32-1)`);
    if (!Number.isInteger(hash) || hash < 0 || hash >= 2 ** 53)
      throw new RangeError(`hash ${hash} is not a 52-bit key hash`);
    if (this.filled + 1 > this.slots.length * MAX_LOAD) this.grow();
    this.rowHash.set(rowid, hash);
    this.place(hash, rowid);
    this.filled++;
  }

  private place(hash: number, rowid: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = slotOf(hash) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = rowid;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i++) {
      const rowid = old[i] as number;
      if (rowid !== 0) this.place(this.rowHash.get(rowid), rowid);
    }
  }
}

/**
 * The slot a hash starts probing at. The low 32 bits of a keyHash52 mix both of its halves; a
 * multiplicative step spreads hashes that differ only in high bits.
 */
function slotOf(hash: number): number {
  const lo = hash % 0x100000000;
  const hi = (hash - lo) / 0x100000000;
  return (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15)) >>> 0;
}
