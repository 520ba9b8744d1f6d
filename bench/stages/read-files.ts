/**
 * Streams the benchmark inputs in fixed chunks with synchronous reads: the same access pattern for
 * every stage (no stream machinery to measure), memory bounded by one chunk. 256 KiB: a common read
 * size, and below the ~1 MB from which Node decodes to external strings (slower to scan). A fresh buffer per chunk,
 * as fs streams hand out, so a reader that keeps a view of a chunk is never handed overwritten bytes.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { extname, join } from 'node:path';

export const CHUNK_BYTES = 1 << 18;

export type StandardName = 'x12' | 'edifact';

export interface InputFile {
  path: string;
  name: string;
  standard: StandardName;
}

/** The generated files of a directory, in name order (generation order). */
export function listInputs(dir: string, only?: StandardName): InputFile[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.x12') || n.endsWith('.edi'))
    .sort()
    .map((name) => ({
      path: join(dir, name),
      name,
      standard: (extname(name) === '.x12' ? 'x12' : 'edifact') as StandardName,
    }))
    .filter((f) => only === undefined || f.standard === only);
}

/** Calls `onChunk` for each chunk of the file; returns the file's size in bytes. */
export function streamFile(
  path: string,
  onChunk: (chunk: Uint8Array) => void,
  chunkBytes = CHUNK_BYTES,
): number {
  const fd = openSync(path, 'r');
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) break;
      total += n;
      onChunk(n === chunkBytes ? buf : buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return total;
}
