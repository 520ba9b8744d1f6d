/** Test helper: the shared robustness corpus, read in place from ../shared/corpus. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export interface ManifestRow {
  file: string;
  standard: string;
  interchanges: number;
  messages: number;
  expected: string;
  notes: string;
}

export function manifest(): ManifestRow[] {
  const lines = readFileSync(`${CORPUS_DIR}MANIFEST.tsv`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`MANIFEST.tsv has no column ${name}`);
    return i;
  };
  const [file, standard, interchanges, messages, expected, notes] = [
    col('file'),
    col('standard'),
    col('interchanges'),
    col('messages'),
    col('expected'),
    col('notes'),
  ];
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return {
      file: cells[file] ?? '',
      standard: cells[standard] ?? '',
      interchanges: Number(cells[interchanges]),
      messages: Number(cells[messages]),
      expected: cells[expected] ?? '',
      notes: cells[notes] ?? '',
    };
  });
}

/** The X12 rows (standard "x12", also "x12 (not EDI; ...)"). */
export function x12Rows(): ManifestRow[] {
  return manifest().filter((r) => r.standard.startsWith('x12'));
}

export function corpusBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(`${CORPUS_DIR}${file}`));
}
