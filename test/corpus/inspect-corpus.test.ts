/**
 * Every row of ../shared/corpus/MANIFEST.tsv through `inspect` (both standards behind one file
 * reader, as `s321 inspect` runs them): ok rows give ok with exactly the listed interchange and
 * message counts (rows marked `lenient:` only in the default mode, and not ok under --strict);
 * malformed rows are not ok under --strict and carry an error with a segment index or byte offset.
 * The files are read in place (several licenses do not allow copying them into the project).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectBytes } from '../../src/core/inspect/inspect-bytes.js';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus');

interface Row {
  file: string;
  interchanges: number;
  messages: number;
  expected: string;
  notes: string;
}

const rows: Row[] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const c = line.split('\t');
    return { file: c[0] ?? '', interchanges: Number(c[7]), messages: Number(c[8]), expected: c[9] ?? '', notes: c[10] ?? '' };
  });

describe('shared corpus through inspect', () => {
  it('has all 70 rows', () => {
    expect(rows.length).toBe(70);
  });

  for (const row of rows) {
    const bytes = readFileSync(join(CORPUS, row.file));
    const lenient = row.notes.includes('lenient:');
    if (row.expected === 'ok') {
      it(`${row.file}: ok with ${row.interchanges} interchange(s), ${row.messages} message(s)`, () => {
        const r = inspectBytes(bytes, row.file, false);
        expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect([r.ok, r.interchanges, r.messages]).toEqual([true, row.interchanges, row.messages]);
        const strict = inspectBytes(bytes, row.file, true);
        if (lenient) expect(strict.ok).toBe(false);
        else expect([strict.ok, strict.interchanges, strict.messages]).toEqual([true, row.interchanges, row.messages]);
      });
    } else {
      it(`${row.file}: not ok, with a positioned error (${row.expected.slice(0, 60)})`, () => {
        for (const strict of [true, false]) {
          const r = inspectBytes(bytes, row.file, strict);
          expect(r.ok).toBe(false);
          const positioned = r.issues.filter((i) => i.severity === 'error' && (i.segmentIndex !== undefined || i.byteOffset !== undefined));
          expect(positioned.length).toBeGreaterThan(0);
        }
      });
    }
    it(`${row.file}: the same report in 1-byte and 7-byte chunks`, () => {
      const whole = inspectBytes(bytes, row.file, false);
      expect(inspectBytes(bytes, row.file, false, 1)).toEqual(whole);
      expect(inspectBytes(bytes, row.file, false, 7)).toEqual(whole);
    });
  }
});
