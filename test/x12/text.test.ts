import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charLengthAt, decodeBytes, decodeChunk, latin1 } from '../../src/core/x12/text.js';

const asLatin1 = (bytes: Uint8Array): string => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

describe('byte/text helpers', () => {
  it('latin1 decodes every byte to the char with the same code', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(latin1(all)).toBe(asLatin1(all));
  });

  it('decodeChunk: ASCII chunks stay as they are, others become latin1 text', () => {
    expect(decodeChunk(new TextEncoder().encode('ISA*00~'))).toEqual({ text: 'ISA*00~', ascii: true });
    for (const bytes of [
      Uint8Array.of(0x41, 0xe2, 0x80, 0xa6),
      Uint8Array.of(0xef, 0xbb, 0xbf),
      Uint8Array.of(0x80),
      Uint8Array.of(0xe2, 0x80),
    ]) {
      expect(decodeChunk(bytes)).toEqual({ text: asLatin1(bytes), ascii: false });
    }
  });

  it('decodeBytes agrees with a fatal TextDecoder, falling back to latin1 (property)', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const interesting = fc.constantFrom(
      0x41,
      0x7f,
      0x80,
      0x8f,
      0x90,
      0x9f,
      0xa0,
      0xbf,
      0xc0,
      0xc1,
      0xc2,
      0xdf,
      0xe0,
      0xed,
      0xef,
      0xf0,
      0xf4,
      0xf5,
      0xff,
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        (values) => {
          const bytes = Uint8Array.from(values);
          let expected: string;
          try {
            expected = fatal.decode(bytes);
          } catch {
            expected = asLatin1(bytes);
          }
          expect(decodeBytes(asLatin1(bytes))).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
    for (const s of ['JOSÉ NUÑEZ', '\u2026', '\u{1F600}x', '\u00a6', '']) {
      expect(decodeBytes(asLatin1(new TextEncoder().encode(s)))).toBe(s);
    }
  });

  it('charLengthAt: a valid UTF-8 sequence is one character, anything else one byte', () => {
    const t = asLatin1(new TextEncoder().encode('a\u2026\u00a6'));
    expect([charLengthAt(t, 0, true), charLengthAt(t, 1, true), charLengthAt(t, 4, true)]).toEqual([1, 3, 2]);
    expect(charLengthAt('\u00e2\u0080', 0, false)).toBe(0); // may continue in the next chunk
    expect(charLengthAt('\u00e2\u0080', 0, true)).toBe(1);
    expect(charLengthAt('\u00e2A', 0, false)).toBe(1);
  });
});
