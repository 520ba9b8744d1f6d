/**
 * Rows of one INSERT statement collected and written as multi-row `INSERT … VALUES (…), (…)`
 * statements, prepared once per row count (full chunks share one statement): the `append-multirow`
 * layout of bench/sqlite-floor.ts, which measures whether the store's one statement per row is what
 * its writes cost. (Measured on 2026-12-06: it is not — 113k rows/s against 125k with one-row
 * statements at 1M, and the replay's main thread was no faster with the store's commit written this
 * way; README, Performance.) Rows keep their order (SQLite inserts a VALUES list in order).
 *
 * The caller flushes before anything reads the table (and before COMMIT); `clear()` drops what a
 * rolled-back batch collected.
 */
import type Database from 'better-sqlite3';

type Value = string | number | bigint | null;

/** Rows per statement: 64 rows of up to 16 columns stay far below SQLite's variable limit. */
export const ROWS_PER_STATEMENT = 64;

export class MultiRowInsert {
  private readonly values: Value[] = [];
  private readonly statements = new Map<number, Database.Statement>();
  private readonly rowSql: string;

  /**
   * `head`: `INSERT INTO t (a, b, c)`; `columns`: how many values a row has; `tail`: what follows
   * the VALUES list (an `ON CONFLICT … DO UPDATE` clause), or ''.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly tail = '',
  ) {
    this.rowSql = `(${new Array<string>(columns).fill('?').join(', ')})`;
  }

  /** Rows collected and not yet written. */
  get pending(): number {
    return this.values.length / this.columns;
  }

  add(...row: Value[]): void {
    if (row.length !== this.columns)
      throw new Error(`${this.head}: a row of ${row.length} values, expected ${this.columns}`);
    for (const v of row) this.values.push(v);
    if (this.values.length >= ROWS_PER_STATEMENT * this.columns * 4) this.flush();
  }

  /** Writes every collected row. */
  flush(): void {
    const perStatement = ROWS_PER_STATEMENT * this.columns;
    let at = 0;
    while (this.values.length - at >= perStatement) {
      this.statement(ROWS_PER_STATEMENT).run(this.values.slice(at, at + perStatement));
      at += perStatement;
    }
    const rest = (this.values.length - at) / this.columns;
    if (rest > 0) this.statement(rest).run(this.values.slice(at));
    this.values.length = 0;
  }

  /** Drops the collected rows (their transaction rolled back). */
  clear(): void {
    this.values.length = 0;
  }

  private statement(rows: number): Database.Statement {
    let stmt = this.statements.get(rows);
    if (stmt === undefined) {
      const list = new Array<string>(rows).fill(this.rowSql).join(', ');
      stmt = this.db.prepare(`${this.head} VALUES ${list}${this.tail === '' ? '' : ` ${this.tail}`}`);
      this.statements.set(rows, stmt);
    }
    return stmt;
  }
}
