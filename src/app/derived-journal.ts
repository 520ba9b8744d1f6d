/**
 * The run's JSON-lines files (decisions.jsonl, audit.jsonl, ledger.jsonl) are derived from the
 * store: each line is a committed row, appended after its commit. A kill or a full disk between a
 * commit and its append used to lose those lines for good (the next run appended only its own);
 * now every run first brings the file up to the store: a torn last line is cut off and the rows
 * the file lacks are appended, in order. A file that holds more lines than the store, or whose
 * last line is not the store's row at that position, was written from another database: the run
 * refuses to mix them rather than append to it.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readSync, truncateSync } from 'node:fs';
import type { Journal, SqliteDecisionStore } from '../adapters/store/sqlite/sqlite-store.js';

export class JournalMismatchError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `${path} was not written from this database (${detail}); it is left as it is: use a new --out, or the --db that wrote it`,
    );
    this.name = 'JournalMismatchError';
  }
}

const PAGE = 10_000;

export class DerivedJournal {
  private constructor(
    readonly path: string,
    private lines: number,
  ) {}

  /** Repairs `path` from the store (see the module comment) and returns it ready to append. */
  static open(path: string, store: SqliteDecisionStore, journal: Journal): DerivedJournal {
    const onDisk = existsSync(path) ? repairTail(path) : { lines: 0, last: undefined };
    if (journal === 'decisions') return DerivedJournal.openDecisions(path, store, onDisk);
    const rows = store.journalCount(journal);
    if (onDisk.lines > rows)
      throw new JournalMismatchError(path, `${onDisk.lines} lines, the database has ${rows} ${journal} rows`);
    if (onDisk.last !== undefined && store.journalPage(journal, onDisk.lines - 1, 1)[0] !== onDisk.last)
      throw new JournalMismatchError(path, `line ${onDisk.lines} differs from the database's row`);
    const out = new DerivedJournal(path, onDisk.lines);
    for (let offset = onDisk.lines; offset < rows; offset += PAGE)
      out.append(store.journalPage(journal, offset, PAGE));
    return out;
  }

  /**
   * decisions.jsonl is matched to the store by seq (each line carries its decision's seq): retention
   * deletes decisions of pruned days from the table while the journal keeps their lines, so
   * positions no longer match rows. The last line must be the store's decision of that seq — or a
   * seq the store handed out and pruned since — and the decisions after it are appended.
   */
  private static openDecisions(
    path: string,
    store: SqliteDecisionStore,
    onDisk: { lines: number; last: string | undefined },
  ): DerivedJournal {
    let lastSeq = -1;
    if (onDisk.last !== undefined) {
      const seq = seqOf(onDisk.last);
      if (seq === undefined) throw new JournalMismatchError(path, `line ${onDisk.lines} is not a decision`);
      const stored = store.decisionLine(seq);
      if (stored === undefined ? seq >= store.nextDecisionSeq() : stored !== onDisk.last)
        throw new JournalMismatchError(
          path,
          `line ${onDisk.lines} differs from the database's decision ${seq}`,
        );
      lastSeq = seq;
    }
    const out = new DerivedJournal(path, onDisk.lines);
    for (;;) {
      const rows = store.decisionLinesAfter(lastSeq, PAGE);
      if (rows.length === 0) break;
      out.append(rows.map((r) => r.json));
      lastSeq = (rows[rows.length - 1] as { seq: number }).seq;
    }
    return out;
  }

  /** Appends committed rows' lines (JSON text without newline). */
  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    let text = '';
    for (const l of lines) text += `${l}\n`;
    appendFileSync(this.path, text);
    this.lines += lines.length;
  }

  get length(): number {
    return this.lines;
  }
}

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts a torn last line off; counts the complete lines and returns the last one. */
function repairTail(path: string): { lines: number; last: string | undefined } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let lastNewline = -1;
    for (let pos = 0; pos < size; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      const view = buf.subarray(0, n);
      for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) {
        lines += 1;
        lastNewline = pos + i;
      }
      pos += n;
    }
    if (lastNewline + 1 < size) truncateSync(path, lastNewline + 1);
    if (lines === 0) return { lines: 0, last: undefined };
    // The last complete line: read back from before its newline to the one before it.
    let start = lastNewline;
    let tail = Buffer.alloc(0);
    while (start > 0) {
      const from = Math.max(0, start - buf.length);
      const chunk = Buffer.from(buf.subarray(0, readSync(fd, buf, 0, start - from, from)));
      const nl = chunk.lastIndexOf(10);
      tail = Buffer.concat([nl === -1 ? chunk : chunk.subarray(nl + 1), tail]);
      start = nl === -1 ? from : 0;
    }
    return { lines, last: tail.toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
