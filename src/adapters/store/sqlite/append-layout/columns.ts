/**
 * Growable typed-array columns indexed by rowid: the hot numeric state of rows kept in memory
 * without an object per row. A column grows by half when a rowid beyond its length is set (at most a
 * third of it unused, where doubling left up to half); reading a rowid never set gives 0.
 */
type TypedArray = Float64Array | Uint32Array | Uint8Array;

abstract class Column<A extends TypedArray> {
  protected data: A;

  constructor(
    initial: number,
    private readonly make: (length: number) => A,
  ) {
    this.data = make(Math.max(16, initial));
  }

  get(rowid: number): number {
    return (this.data[rowid] as number | undefined) ?? 0;
  }

  set(rowid: number, value: number): void {
    if (rowid >= this.data.length) this.grow(rowid);
    this.data[rowid] = value;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  private grow(rowid: number): void {
    let length = this.data.length;
    while (length <= rowid) length = Math.ceil(length * 1.5);
    const next = this.make(length);
    next.set(this.data);
    this.data = next;
  }
}

/** Cents and 52-bit hashes (exact integers up to 2^53). */
export class F64Column extends Column<Float64Array> {
  constructor(initial = 1024) {
    super(initial, (n) => new Float64Array(n));
  }
}

/** Rowids, counts and 32-bit hashes. */
export class U32Column extends Column<Uint32Array> {
  constructor(initial = 1024) {
    super(initial, (n) => new Uint32Array(n));
  }
}

/** Flags. */
export class U8Column extends Column<Uint8Array> {
  constructor(initial = 1024) {
    super(initial, (n) => new Uint8Array(n));
  }
}
