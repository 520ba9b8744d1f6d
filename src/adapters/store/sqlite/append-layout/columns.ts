/**
 * Growable typed-array columns indexed by rowid: the hot numeric state of rows kept in memory
 * without an object per row. A column is a list of fixed-size chunks (64Ki entries), and grows by
 * adding chunks: growing by copying one array (old and new alive together until a GC frees the old)
 * made the replay's peak RSS at 4M several times the columns' own size. Reading a rowid never set
 * gives 0.
 */
type TypedArray = Uint32Array | Uint8Array;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

abstract class Column<A extends TypedArray> {
  private readonly chunks: A[] = [];

  constructor(
    initial: number,
    private readonly make: (length: number) => A,
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
    return this.chunks.reduce((sum, c) => sum + c.byteLength, 0);
  }

  /** Adds chunks up to the one holding `rowid`, and returns that one. */
  private ensure(rowid: number): A {
    while (this.chunks.length <= rowid >>> CHUNK_BITS) this.chunks.push(this.make(CHUNK));
    return this.chunks[rowid >>> CHUNK_BITS] as A;
  }
}

export class U32Column extends Column<Uint32Array> {
  constructor(initial = 1024) {
    super(initial, (n) => new Uint32Array(n));
  }
}

export class U8Column extends Column<Uint8Array> {
  constructor(initial = 1024) {
    super(initial, (n) => new Uint8Array(n));
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

  constructor(initial = 1024) {
    this.small = new U32Column(initial);
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

  /** Bytes of the typed arrays (the overflow map holds the rare rows that do not fit them). */
  get bytes(): number {
    return this.small.bytes;
  }
}
