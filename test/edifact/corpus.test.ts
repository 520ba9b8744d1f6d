/**
 * Every UN/EDIFACT row of the shared robustness corpus (../shared/corpus/MANIFEST.tsv, read in place:
 * some sources are GPL/LGPL/CDDL and may not be copied into the repo).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errors, read } from './recording-sink.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

interface Row {
  file: string;
  standard: string;
  interchanges: number;
  messages: number;
  expected: string;
  notes: string;
}

function manifest(): Row[] {
  const [head, ...lines] = readFileSync(`${CORPUS}MANIFEST.tsv`, 'utf8').trimEnd().split('\n');
  const columns = (head ?? '').split('\t');
  const col = (name: string): number => {
    const at = columns.indexOf(name);
    if (at < 0) throw new Error(`MANIFEST.tsv has no column ${name}`);
    return at;
  };
  return lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string): string => cells[col(name)] ?? '';
    return {
      file: cell('file'),
      standard: cell('standard'),
      interchanges: Number(cell('interchanges')),
      messages: Number(cell('messages')),
      expected: cell('expected'),
      notes: cell('notes'),
    };
  });
}

const rows = manifest().filter((row) => row.standard === 'edifact');
const okRows = rows.filter((row) => row.expected === 'ok');
const malformedRows = rows.filter((row) => row.expected.startsWith('malformed'));
const bytesOf = (row: Row): Uint8Array => readFileSync(`${CORPUS}${row.file}`);

describe('corpus: EDIFACT rows', () => {
  it('has the EDIFACT rows this suite expects', () => {
    expect(okRows.length).toBeGreaterThanOrEqual(17);
    expect(malformedRows.length).toBeGreaterThanOrEqual(14);
    expect(okRows.length + malformedRows.length).toBe(rows.length);
  });

  describe.each(okRows.map((row) => [row.file, row] as const))('ok: %s', (_file, row) => {
    const lenient = row.notes.includes('lenient:');

    it(`default mode: every interchange ok, ${row.interchanges} interchange(s), ${row.messages} message(s)`, () => {
      const r = read(bytesOf(row), { fileName: row.file });
      expect(errors(r)).toEqual([]);
      expect(r.interchanges.length).toBe(row.interchanges);
      expect(r.messages.length).toBe(row.messages);
      expect(r.interchanges.every((i) => i.result.ok)).toBe(true);
      expect(r.messages.every((m) => m.result.ok)).toBe(true);
      expect(r.interchanges.reduce((n, i) => n + i.result.messageCount, 0)).toBe(row.messages);
    });

    if (lenient) {
      it('strict mode: rejected with a typed layout error', () => {
        const r = read(bytesOf(row), { fileName: row.file, strict: true });
        expect(r.ok).toBe(false);
        expect(r.interchanges.some((i) => !i.result.ok)).toBe(true);
        const layout = errors(r).filter(
          (i) => i.code.startsWith('EDIFACT_LAYOUT_') || i.code === 'INTAKE_BOM',
        );
        expect(layout.length).toBeGreaterThan(0);
        for (const issue of layout) expect(issue.byteOffset).toBeTypeOf('number');
      });
    } else {
      it('strict mode: same result', () => {
        const r = read(bytesOf(row), { fileName: row.file, strict: true });
        expect(errors(r)).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.interchanges.length).toBe(row.interchanges);
        expect(r.messages.length).toBe(row.messages);
      });
    }
  });

  describe.each(malformedRows.map((row) => [row.file, row] as const))('malformed: %s', (_file, row) => {
    it.each([true, false])('strict=%s: not ok, with an error that names its position', (strict) => {
      const r = read(bytesOf(row), { fileName: row.file, strict });
      expect(r.ok).toBe(false);
      const positioned = errors(r).filter((i) => i.segmentIndex !== undefined || i.byteOffset !== undefined);
      expect(positioned.length).toBeGreaterThan(0);
      for (const issue of errors(r)) expect(issue.file).toBe(row.file);
      // Never a partial success: whatever interchange or message carries an error is not ok.
      for (const i of r.interchanges)
        if (i.result.issues.some((x) => x.severity === 'error')) expect(i.result.ok).toBe(false);
      for (const m of r.messages)
        if (m.result.issues.some((x) => x.severity === 'error')) expect(m.result.ok).toBe(false);
    });
  });
});

describe('corpus: what the malformed notes name is what is found', () => {
  const find = (file: string): Row => {
    const row = rows.find((r) => r.file === file);
    if (row === undefined) throw new Error(`${file} is not in MANIFEST.tsv`);
    return row;
  };
  const codesOf = (file: string, strict = true): string[] =>
    errors(read(bytesOf(find(file)), { fileName: file, strict })).map((i) => i.code);

  it.each([
    ['malformed/edinet-cuscar-d95b-msc.edi', ['EDIFACT_UNH_INVALID', 'EDIFACT_UNT_COUNT']],
    ['malformed/edinet-infent-bad-unt-escapes.edi', ['EDIFACT_UNT_COUNT']],
    [
      'malformed/edinet-mixed-4msg-bad-counts.edi',
      ['EDIFACT_UNT_COUNT', 'EDIFACT_UNT_REFERENCE', 'EDIFACT_UNZ_COUNT'],
    ],
    ['malformed/staedi-orders-ung-bad-unt.edi', ['EDIFACT_UNT_COUNT']],
    [
      'malformed/gtas-apis-dollar-term-bad-ung.edi',
      ['EDIFACT_BAD_TAG', 'EDIFACT_UNT_COUNT', 'EDIFACT_UNT_REFERENCE'],
    ],
    ['malformed/gtas-apis-trailing-junk.edi', ['EDIFACT_JUNK_AFTER_UNZ']],
    ['malformed/smooks-paxlst-extra-rff.edi', ['EDIFACT_UNT_COUNT']],
    [
      'malformed/smooks-custom-una-bad-counts.edi',
      ['EDIFACT_UNT_COUNT', 'EDIFACT_UNZ_COUNT', 'EDIFACT_UNZ_REFERENCE'],
    ],
    ['malformed/phpedi-release-char-bad-unt.edi', ['EDIFACT_UNT_COUNT']],
    ['malformed/phpedi-iftmbc-newline-in-segment.edi', ['EDIFACT_UNT_COUNT']],
    ['malformed/portx-iftsai-missing-unz.edi', ['EDIFACT_MISSING_UNZ']],
    [
      'malformed/edifactrs-segment-before-unh.edi',
      ['EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE', 'EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE'],
    ],
    ['malformed/estrato-paores-multibyte-bad-unt.edi', ['EDIFACT_UNT_COUNT']],
    ['malformed/edinet-ifcsum-newline-terminators.edi', ['EDIFACT_MISSING_UNZ']],
  ])('%s', (file, expected) => {
    const found = codesOf(file, false);
    for (const code of expected) expect(found).toContain(code);
  });

  it('counts the segments the notes name (UNT01=53 but 52; 1 but 3; 25 but 3/3/4)', () => {
    const counts = (file: string): number[] =>
      read(bytesOf(find(file))).messages.map((m) => m.result.segmentCount);
    expect(counts('malformed/edinet-cuscar-d95b-msc.edi')).toEqual([52]);
    expect(counts('malformed/edinet-mixed-4msg-bad-counts.edi')).toEqual([3, 3, 3, 3]);
    expect(counts('malformed/smooks-custom-una-bad-counts.edi')).toEqual([3, 3, 4]);
    expect(counts('malformed/phpedi-release-char-bad-unt.edi')).toEqual([23]);
    expect(counts('malformed/edinet-infent-bad-unt-escapes.edi')).toEqual([10]);
  });
});

describe('corpus: decoded text', () => {
  const segmentsOf = (file: string) => read(readFileSync(`${CORPUS}${file}`)).segments;

  it('UNOE (ISO 8859-5) shows Cyrillic letters', () => {
    const nad = segmentsOf('edifact/berry-invoic-unoe-cyrillic.edi').find((s) => s.tag === 'NAD');
    expect(nad?.elements[3]).toEqual(['Рыба текст']);
  });

  it('UNOD (ISO 8859-2) shows Latin-2 letters', () => {
    const imd = segmentsOf('edifact/berry-ordrsp-unod-latin2.edi').find((s) => s.tag === 'IMD');
    expect(imd?.elements[2]?.[3]).toBe('Lořem ípšum dołoř šít ámet, ius id habeo congue posidonium, ea v');
  });

  it('UTF-8 text in a UNOA interchange is read as UTF-8 (CJK)', () => {
    const r = read(readFileSync(`${CORPUS}edifact/smooks-recadv-unoa-utf8-cjk.edi`));
    expect(r.segments.find((s) => s.elements[0]?.[0] === 'DP')?.elements[3]).toEqual([
      '报文测试天津有限公司',
    ]);
    expect(r.interchanges[0]?.result.issues.map((i) => i.code)).toEqual(['EDIFACT_CHARSET_UTF8']);
  });

  it('release characters are removed (escaped apostrophe, ?A before a plain letter)', () => {
    const ftx = segmentsOf('edifact/smooks-invoic-unoc4-escaped-apostrophe.edi').filter((s) =>
      s.elements.flat().some((v) => v.includes("'")),
    );
    expect(ftx.length).toBe(1);
    expect(ftx[0]?.elements.flat().join('|')).toContain("Tolkien's");
    const ift = segmentsOf('edifact/edinet-paores-release.edi').find((s) => s.tag === 'IFT');
    expect(ift?.elements[1]).toEqual(['XYZCOMPANY AVAILABILITY']);
  });

  it('the syntax-4 default repetition separator is reported without a UNA', () => {
    const r = read(readFileSync(`${CORPUS}edifact/cbp-ace-paxlst.edi`));
    expect(r.interchanges[0]?.header.delimiters.repetition).toBe('*');
  });
});
