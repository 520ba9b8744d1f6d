/**
 * The shared robustness corpus (../shared/corpus/MANIFEST.tsv), every X12 row, read in place.
 * ok rows: every interchange ok with exactly the listed interchange and message counts; rows whose
 * notes say `lenient:` only in default mode and never ok under strict. malformed rows: not ok under
 * strict (nor by default), with an error that names a segment index or byte offset.
 */
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/core/model/issue.js';
import { corpusBytes, x12Rows } from './corpus-helper.js';
import { readX12 } from './read-helper.js';

const rows = x12Rows();

describe('corpus: X12 rows of MANIFEST.tsv', () => {
  it('has the X12 rows this test expects to find', () => {
    expect(rows.filter((r) => r.expected === 'ok').length).toBeGreaterThanOrEqual(25);
    expect(rows.filter((r) => r.expected.startsWith('malformed')).length).toBeGreaterThanOrEqual(13);
  });

  for (const row of rows.filter((r) => r.expected === 'ok')) {
    const lenient = row.notes.includes('lenient:');
    it(`${row.file}: ok${lenient ? ' by default, not under strict' : ' in both modes'}`, () => {
      const bytes = corpusBytes(row.file);
      const modes = lenient ? [false] : [false, true];
      for (const strict of modes) {
        const r = readX12(bytes, { strict, fileName: row.file });
        const errors = r.errors.map(formatIssue);
        expect(errors, `strict=${strict}`).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.interchanges.every((i) => i.result.ok)).toBe(true);
        expect(r.interchanges).toHaveLength(row.interchanges);
        expect(r.messages).toHaveLength(row.messages);
        expect(r.interchanges.reduce((n, i) => n + i.result.messageCount, 0)).toBe(row.messages);
        expect(r.fileIssues).toEqual([]);
      }
      if (lenient) {
        const strict = readX12(bytes, { strict: true, fileName: row.file });
        expect(strict.ok).toBe(false);
        expect(strict.interchanges.some((i) => !i.result.ok)).toBe(true);
        // Only layout is an error under strict: the counts are the same.
        expect(strict.interchanges).toHaveLength(row.interchanges);
        expect(strict.messages).toHaveLength(row.messages);
        for (const e of strict.errors) expect(e.code).toMatch(/^(INTAKE_BOM|X12_LAYOUT_)/);
      }
    });
  }

  for (const row of rows.filter((r) => r.expected.startsWith('malformed'))) {
    it(`${row.file}: ${row.expected}`, () => {
      const bytes = corpusBytes(row.file);
      for (const strict of [true, false]) {
        const r = readX12(bytes, { strict, fileName: row.file });
        expect(r.ok, `strict=${strict}`).toBe(false);
        const positioned = r.errors.filter((e) => e.segmentIndex !== undefined || e.byteOffset !== undefined);
        expect(positioned.length).toBeGreaterThan(0);
        // Never a partial success: every interchange that holds an error ends not ok.
        for (const ic of r.interchanges) {
          if (ic.result.issues.some((i) => i.severity === 'error')) expect(ic.result.ok).toBe(false);
        }
        expect(r.interchanges).toHaveLength(row.interchanges);
        expect(r.messages).toHaveLength(row.messages);
      }
    });
  }
});

describe('corpus: the errors named in the manifest are the ones found', () => {
  const expectCodes: Record<string, string[]> = {
    'malformed/staedi-999-bad-se-count.edi': ['X12_SE_COUNT'],
    'malformed/staedi-997-bad-ge02.edi': ['X12_GE_CONTROL'],
    'malformed/staedi-ta1-iea01-one-no-groups.txt': ['X12_IEA_COUNT'],
    'malformed/edieng-940-bad-se01.edi': ['X12_SE_COUNT'],
    'malformed/edieng-control-number-mismatch.edi': ['X12_SE_CONTROL', 'X12_GE_CONTROL', 'X12_IEA_CONTROL'],
    'malformed/edieng-wrong-group-tx-counts.edi': ['X12_GE_COUNT', 'X12_IEA_COUNT', 'X12_IEA_CONTROL'],
    'malformed/edieng-two-isa-unpadded-iea02.edi': ['X12_IEA_CONTROL', 'X12_IEA_CONTROL'],
    'malformed/edieng-not-edi.edi': ['INTAKE_NOT_EDI'],
    'malformed/tasty-835-isa13-iea02-mismatch.edi': ['X12_IEA_CONTROL'],
    'malformed/oopf-210-dot-terminator-bad-ge02.txt': ['X12_GE_CONTROL'],
    'malformed/oopf-816-brace-term-bad-iea02.txt': ['X12_IEA_CONTROL'],
    'malformed/oopf-860-missing-terminator.txt': ['X12_ISA_LENGTH', 'X12_ISA_FIELD', 'X12_SE_COUNT'],
    'malformed/edinet-810-isa-unpadded.edi': [
      'X12_ISA_LENGTH',
      'X12_ISA_FIELD',
      'X12_ISA_FIELD',
      'X12_ISA_FIELD',
    ],
  };
  for (const [file, codes] of Object.entries(expectCodes)) {
    it(file, () => {
      const r = readX12(corpusBytes(file), { fileName: file });
      expect(r.errors.map((e) => e.code)).toEqual(codes);
    });
  }

  it('malformed/oopf-850-space-terminator.txt: ISA length first, then the segments fall apart', () => {
    const r = readX12(corpusBytes('malformed/oopf-850-space-terminator.txt'));
    expect(r.errors.slice(0, 2).map((e) => e.code)).toEqual(['X12_ISA_LENGTH', 'X12_ISA_FIELD']);
    expect(r.interchanges[0]!.header.delimiters.segment).toBe(' ');
  });
});
