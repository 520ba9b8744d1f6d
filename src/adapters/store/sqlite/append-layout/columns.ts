/**
 * Growable typed-array columns indexed by rowid: the hot numeric state of rows kept in memory
 * without an object per row. A column is a list of fixed-size chunks (64Ki entries), and grows by
 * adding chunks: growing by copying one array (old and new alive together until a GC frees the old)
 * made the replay's peak RSS at 4M several times the columns' own size. Reading a rowid never set
 * gives 0.
 */
type TypedArray = Uint32Array | Uint16Array | Uint8Array;

/**
 * Chunks that eviction dropped, kept for the rows that come next instead of freed, shared by the
 * columns of one hot state. Why: a dropped chunk was garbage until V8's next full GC, and the next
 * day's rows allocated new chunks meanwhile; what the GC then freed stayed in malloc's free lists.
 * A 4M replay's RSS rose ~45 MB in the first minute after each eviction, with the held rows few
 * (docs/replay-memory.md). Reused, the next day's rows fill the previous day's memory.
 */
export class SpareChunks {
  readonly u32: Uint32Array[] = [];
  readonly u16: Uint16Array[] = [];
  readonly u8: Uint8Array[] = [];

  get bytes(): number {
    const sum = (list: TypedArray[]): number => list.reduce((n, c) => n + c.byteLength, 0);
    return sum(this.u32) + sum(this.u16) + sum(this.u8);
  }
}

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

abstract class Column<A extends TypedArray> {
  /** `undefined` where a chunk was dropped (all its rows evicted): it reads as 0 until set again. */
  private readonly chunks: Array<A | undefined> = [];

  constructor(
    initial: number,
    private readonly make: (length: number) => A,
    /** Dropped chunks, reused (zeroed) before a new one is made. */
    private readonly spares: A[],
  ) {
    this.ensure(Math.max(1, initial) - 1);
  }

  get(rowid: number): number {
    return (this.chunks[rowid >>> CHUNK_BITS]?.[rowid & IN_CHUNK] as number | undefined) ?? 0;
  }

  set(rowid: number, value: number): void {
    const chunk = this.chunks[rowid >>> CHUNK_BITS] ?? this.ensure(rowid);
    chunk[rowid & IN_CHUNK] = value;
  }

  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + (c?.byteLength ?? 0), 0);
  }

  /**
   * Drops the chunks `keep` refuses (by chunk number, rowid >>> 16) into the spares: their rows read
   * as 0 after, and setting one takes a chunk again. The hot state's eviction drops the chunks of
   * rows it evicted.
   */
  dropChunks(keep: (chunk: number) => boolean): void {
    for (let i = 0; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (chunk === undefined || keep(i)) continue;
      this.chunks[i] = undefined;
      this.spares.push(chunk);
    }
  }

  /** Adds (or re-adds, after a drop) chunks up to the one holding `rowid`, and returns that one. */
  private ensure(rowid: number): A {
    const at = rowid >>> CHUNK_BITS;
    while (this.chunks.length <= at) this.chunks.push(undefined);
    const chunk = this.chunks[at] ?? this.spare() ?? this.make(CHUNK);
    this.chunks[at] = chunk;
    return chunk;
  }

  /** A dropped chunk, zeroed (a row never set reads as 0), or undefined when none is spare. */
  private spare(): A | undefined {
    const chunk = this.spares.pop();
    chunk?.fill(0);
    return chunk;
  }
}

/** How many rowids one column chunk holds (a dropped chunk frees that many rows' values). */
export const ROWS_PER_CHUNK = CHUNK;

/** The chunk number of a rowid (the unit `dropChunks` frees). */
export function chunkOf(rowid: number): number {
  return rowid >>> CHUNK_BITS;
}

export class U32Column extends Column<Uint32Array> {
  constructor(initial = 1024, spares = new SpareChunks()) {
    super(initial, (n) => new Uint32Array(n), spares.u32);
  }
}

export class U16Column extends Column<Uint16Array> {
  constructor(initial = 1024, spares = new SpareChunks()) {
    super(initial, (n) => new Uint16Array(n), spares.u16);
  }
}

export class U8Column extends Column<Uint8Array> {
  constructor(initial = 1024, spares = new SpareChunks()) {
    super(initial, (n) => new Uint8Array(n), spares.u8);
  }
}

/** Marks a row whose value is in the overflow map of a WholeNumberColumn. */
const ELSEWHERE = 0xffffffff;

/**
 * A column of numbers that are nearly always whole and below 2^32 (a person-day's total cents, an
 * accepted seq): 4 bytes a row instead of a Float64's 8, and any other value (negative, fractional,
 * 2^32 − 1 or more) kept exactly in a side map. At 4M shipments (2.2M person-days) the two such
 * columns of the person-days took 35 MB as Float64.
 */
export class WholeNumberColumn {
  private readonly small: U32Column;
  private readonly overflow = new Map<number, number>();

  constructor(initial = 1024, spares = new SpareChunks()) {
    this.small = new U32Column(initial, spares);
  }

  get(rowid: number): number {
    const v = this.small.get(rowid);
    return v === ELSEWHERE ? (this.overflow.get(rowid) as number) : v;
  }

  set(rowid: number, value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < ELSEWHERE) {
      if (this.overflow.size > 0) this.overflow.delete(rowid);
      this.small.set(rowid, value);
    } else {
      this.small.set(rowid, ELSEWHERE);
      this.overflow.set(rowid, value);
    }
  }

  /** Drops chunks as `Column.dropChunks` (and frees the overflow values of the rows in them). */
  dropChunks(keep: (chunk: number) => boolean): void {
    this.small.dropChunks(keep);
    for (const rowid of this.overflow.keys()) if (!keep(chunkOf(rowid))) this.overflow.delete(rowid);
  }

  /** Bytes of the typed arrays (the overflow map holds the rare rows that do not fit them). */
  get bytes(): number {
    return this.small.bytes;
  }
}
