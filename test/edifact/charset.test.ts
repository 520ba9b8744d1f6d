import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteStringToBytes, charsetForSyntax, ValueDecoder } from '../../src/core/edifact/charset.js';
import { codes, everyNBytes, latin1, read } from './recording-sink.js';

/** An interchange whose only data segment is `NAD+CN+++<name>`, as bytes. */
function withName(syntax: string, name: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const head = enc.encode(`UNB+${syntax}+S+R+240101:1200+1'UNH+1+CUSCAR:D:03B:UN'NAD+CN+++`);
  const tail = enc.encode("'UNT+3+1'UNZ+1+1'");
  return new Uint8Array([...head, ...name, ...tail]);
}
const nameOf = (bytes: Uint8Array, splits: number[] = []): string | undefined =>
  read(bytes, { splits }).segments[0]?.elements[3]?.[0];

describe('character repertoires (UNB 0001)', () => {
  it('UNOD is ISO 8859-2', () => {
    const bytes = withName('UNOD:3', latin1('Lo\u00f8em \u00edp\u00b9um do\u00b3o\u00f8'));
    expect(nameOf(bytes)).toBe('Lořem ípšum dołoř');
    const r = read(bytes);
    expect(r.interchanges[0]?.header.charset).toBe('iso-8859-2');
    expect(r.issues).toEqual([]);
  });

  it('UNOE is ISO 8859-5 (Cyrillic)', () => {
    expect(
      nameOf(withName('UNOE:1', latin1('\u00c0\u00eb\u00d1\u00d0 \u00e2\u00d5\u00da\u00e1\u00e2'))),
    ).toBe('Рыба текст');
  });

  it('UNOF is ISO 8859-7 (Greek)', () => {
    expect(nameOf(withName('UNOF:3', latin1('\u00c1\u00e8\u00de\u00ed\u00e1')))).toBe('Αθήνα');
  });

  it('UNOW/UNOY are UTF-8, also when a chunk ends inside a character', () => {
    const bytes = withName('UNOW:4', new TextEncoder().encode('天津 Ærø'));
    expect(nameOf(bytes)).toBe('天津 Ærø');
    expect(nameOf(bytes, everyNBytes(bytes.length, 1))).toBe('天津 Ærø');
    expect(read(withName('UNOY:4', new TextEncoder().encode('Ωμέγα'))).segments[0]?.elements[3]).toEqual([
      'Ωμέγα',
    ]);
  });

  it('UNOW with invalid UTF-8 replaces the bytes and warns', () => {
    const r = read(withName('UNOW:4', Uint8Array.of(0x41, 0xff, 0x42)));
    expect(r.segments[0]?.elements[3]).toEqual(['A\ufffdB']);
    expect(codes(r)).toEqual(['EDIFACT_CHARSET_INVALID_BYTES']);
    expect(r.ok).toBe(true);
  });

  it('UNOC is ISO 8859-1 proper (0x80–0x9F are C1 controls, not windows-1252)', () => {
    const r = read(withName('UNOC:3', latin1('M\u00dcLLER \u00a3\u0080')));
    expect(r.segments[0]?.elements[3]).toEqual(['MÜLLER £\u0080']);
    expect(r.issues).toEqual([]);
  });

  it('ISO 8859-1 family declared but valid UTF-8 sent: read as UTF-8, one warning per interchange', () => {
    const enc = new TextEncoder();
    const text =
      "UNB+UNOA:2+S+R+240101:1200+1'UNH+1+INVOIC:D:93A:UN'NAD+SE++München'NAD+BY++Köln'UNT+4+1'UNZ+1+1'";
    const r = read(enc.encode(text));
    expect(r.segments.map((s) => s.elements[2]?.[0])).toEqual(['München', 'Köln']);
    expect(r.interchanges[0]?.result.issues).toEqual([
      expect.objectContaining({
        code: 'EDIFACT_CHARSET_UTF8',
        severity: 'warning',
        segmentIndex: 2,
        segmentTag: 'NAD',
      }),
    ]);
    expect(r.ok).toBe(true);
  });

  it('IATA/IATB are read like UNOA; an unknown identifier warns and reads ISO 8859-1', () => {
    const iatb = read(withName('IATB:1', latin1('\u00c9T\u00c9')));
    expect(iatb.interchanges[0]?.header.charset).toBe('iso-8859-1');
    expect(iatb.segments[0]?.elements[3]).toEqual(['ÉTÉ']);
    expect(iatb.issues).toEqual([]);
    const unknown = read(withName('ZZZZ:1', latin1('ABC')));
    expect(codes(unknown)).toEqual(['EDIFACT_CHARSET_UNKNOWN']);
    expect(unknown.interchanges[0]?.header.charset).toBe('iso-8859-1');
  });

  it('decodes UNB and UNH values too', () => {
    const bytes = new TextEncoder().encode(
      "UNB+UNOW:4+SÉNDER+R+240101:1200+Ü1'UNH+Ä+CUSCAR:D:03B:UN'UNT+2+Ä'UNZ+1+Ü1'",
    );
    const r = read(bytes, { strict: true });
    expect(r.interchanges[0]?.header).toMatchObject({ senderId: 'SÉNDER', controlNumber: 'Ü1' });
    expect(r.messages[0]?.header.reference).toBe('Ä');
    expect(r.ok).toBe(true);
  });

  it('a value decodes as with TextDecoder alone (the hand-decoded UTF-8 path): text and warning counts, every repertoire (property)', () => {
    /** What `ValueDecoder.decode` did with TextDecoder for every non-ASCII value. */
    function reference(syntax: string, values: readonly string[]) {
      const info = charsetForSyntax(syntax);
      const strict = new TextDecoder('utf-8', { fatal: true });
      const lenient = info.mode === 'latin1' ? null : new TextDecoder(info.charset);
      type Decoder = typeof strict;
      let utf8Values = 0;
      let invalidValues = 0;
      const texts = values.map((value) => {
        if (!/[\u0080-\uffff]/.test(value)) return value;
        const bytes = byteStringToBytes(value);
        if (info.mode === 'single-byte') return (lenient as Decoder).decode(bytes);
        try {
          const text = strict.decode(bytes);
          if (info.mode === 'latin1') utf8Values++;
          return text;
        } catch {
          if (info.mode === 'latin1') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
          invalidValues++;
          return (lenient as Decoder).decode(bytes);
        }
      });
      return { texts, utf8Values, invalidValues };
    }
    const interesting = fc.constantFrom(
      0x41,
      0x7f,
      0x80,
      0x89,
      0x9f,
      0xa0,
      0xbb,
      0xbf,
      0xc0,
      0xc3,
      0xdf,
      0xe0,
      0xe2,
      0xed,
      0xef,
      0xf0,
      0xf4,
      0xf5,
      0xff,
    );
    const byteString = fc
      .oneof(
        fc.uint8Array({ maxLength: 12 }),
        fc.array(interesting, { maxLength: 12 }).map((b) => Uint8Array.from(b)),
        fc.string({ unit: 'grapheme', maxLength: 6 }).map((t) => new TextEncoder().encode(t)),
        fc.string({ maxLength: 6 }).map((t) => new TextEncoder().encode(`\ufeff${t}`)),
      )
      .map((b) => Array.from(b, (x) => String.fromCharCode(x)).join(''));
    // Units above 0xFF (windows-1252's reading of 0x80–0x9F, should the chunk decoder give them).
    const withUnits = fc
      .tuple(byteString, fc.constantFrom('\u20ac', '\u2030', '\u0152', '\u017d'), byteString)
      .map(([a, u, b]) => a + u + b);
    fc.assert(
      fc.property(
        fc.constantFrom('UNOC', 'UNOW', 'UNOD'),
        fc.array(fc.oneof(byteString, withUnits), { maxLength: 6 }),
        (syntax, values) => {
          const decoder = new ValueDecoder(charsetForSyntax(syntax));
          const texts = values.map((v) => decoder.decode(v));
          expect({ texts, utf8Values: decoder.utf8Values, invalidValues: decoder.invalidValues }).toEqual(
            reference(syntax, values),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
