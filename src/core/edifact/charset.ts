/**
 * Character repertoires. The tokenizer works on "byte strings": each input byte is one UTF-16 unit
 * (decoded with the WHATWG "latin1" decoder, which is windows-1252, a bijection on bytes), so string
 * indexes are byte offsets and every service character is one unit. Values that hold bytes >= 0x80
 * are turned back into bytes and decoded here with the repertoire named by UNB 0001.
 * TextDecoder does the real decoding (Node ships full ICU); only ISO 8859-1 is mapped by hand because
 * WHATWG aliases that label to windows-1252, which differs in 0x80–0x9F.
 */

import { decodeBytes } from '../x12/text.js';

/** How a repertoire is decoded. 'latin1' also accepts valid UTF-8 (seen in real traffic) with a warning. */
export type CharsetMode = 'latin1' | 'utf8' | 'single-byte';

export interface CharsetInfo {
  /** WHATWG label given to TextDecoder and reported in the interchange header. */
  charset: string;
  mode: CharsetMode;
  /** false when the syntax identifier is not one we know (read as ISO 8859-1). */
  known: boolean;
}

const BY_SYNTAX_ID: Readonly<Record<string, Omit<CharsetInfo, 'known'>>> = {
  UNOA: { charset: 'iso-8859-1', mode: 'latin1' },
  UNOB: { charset: 'iso-8859-1', mode: 'latin1' },
  UNOC: { charset: 'iso-8859-1', mode: 'latin1' },
  UNOD: { charset: 'iso-8859-2', mode: 'single-byte' },
  UNOE: { charset: 'iso-8859-5', mode: 'single-byte' },
  UNOF: { charset: 'iso-8859-7', mode: 'single-byte' },
  UNOG: { charset: 'iso-8859-3', mode: 'single-byte' },
  UNOH: { charset: 'iso-8859-4', mode: 'single-byte' },
  UNOI: { charset: 'iso-8859-6', mode: 'single-byte' },
  UNOJ: { charset: 'iso-8859-8', mode: 'single-byte' },
  UNOK: { charset: 'iso-8859-9', mode: 'single-byte' },
  // Later service code lists (after 40100): UNOL = ISO 8859-15, UNOW = UTF-8.
  UNOL: { charset: 'iso-8859-15', mode: 'single-byte' },
  UNOW: { charset: 'utf-8', mode: 'utf8' },
  UNOY: { charset: 'utf-8', mode: 'utf8' },
  // IATA syntax identifiers: ASCII in practice; read like UNOA.
  IATA: { charset: 'iso-8859-1', mode: 'latin1' },
  IATB: { charset: 'iso-8859-1', mode: 'latin1' },
};

export function charsetForSyntax(syntaxId: string): CharsetInfo {
  const found = BY_SYNTAX_ID[syntaxId.toUpperCase()];
  if (found !== undefined) return { ...found, known: true };
  return { charset: 'iso-8859-1', mode: 'latin1', known: false };
}

/** Decodes one input chunk to a byte string (one unit per byte). */
export function createByteStringDecoder(): (bytes: Uint8Array) => string {
  const decoder = new TextDecoder('latin1');
  return (bytes) => decoder.decode(bytes);
}

/** windows-1252 maps 27 bytes of 0x80–0x9F above U+00FF; this table maps them back. */
const UNIT_TO_BYTE: ReadonlyMap<number, number> = (() => {
  const decoder = new TextDecoder('latin1');
  const map = new Map<number, number>();
  for (let b = 0x80; b <= 0x9f; b++) {
    const unit = decoder.decode(Uint8Array.of(b)).charCodeAt(0);
    if (unit > 0xff) map.set(unit, b);
  }
  return map;
})();

export function byteStringToBytes(value: string): Uint8Array {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    out[i] = unit <= 0xff ? unit : (UNIT_TO_BYTE.get(unit) ?? 0x3f);
  }
  return out;
}

/** ISO 8859-1 proper: every byte is the code point of the same number. */
function byteStringToLatin1(value: string): string {
  return value.replace(/[\u0100-\uffff]/g, (unit) =>
    String.fromCharCode(UNIT_TO_BYTE.get(unit.charCodeAt(0)) ?? 0x3f),
  );
}

const NON_ASCII = /[\u0080-\uffff]/;
/** A unit that is not a byte's own code point (windows-1252's mapping of 0x80–0x9F). */
const ABOVE_BYTE = /[\u0100-\uffff]/;
/** A UTF-8 byte order mark as a byte string. */
const BOM = '\u00ef\u00bb\u00bf';

/** The part of TextDecoder used here (the global's type is only declared as a value under lib ES2023). */
interface Decoder {
  decode(input: Uint8Array): string;
}

/**
 * Decodes the values of one interchange. Counts what it had to guess so the envelope can record one
 * warning per interchange instead of one per value.
 */
export class ValueDecoder {
  readonly info: CharsetInfo;
  /** Values read as UTF-8 although the interchange declares an ISO 8859-1 family repertoire. */
  utf8Values = 0;
  /** Values with bytes that are invalid in the declared repertoire (replaced by U+FFFD). */
  invalidValues = 0;
  private readonly strictUtf8: Decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly lenient: Decoder | null;

  constructor(declared: CharsetInfo) {
    let info = declared;
    let lenient: Decoder | null = null;
    if (info.mode !== 'latin1') {
      try {
        lenient = new TextDecoder(info.charset);
      } catch {
        // A Node built without full ICU lacks some ISO 8859 parts: read as ISO 8859-1 and say so.
        info = { charset: 'iso-8859-1', mode: 'latin1', known: false };
      }
    }
    this.info = info;
    this.lenient = lenient;
  }

  /** Decodes a value given as a byte string; ASCII values are returned unchanged. */
  decode(value: string): string {
    if (!NON_ASCII.test(value)) return value;
    if (this.info.mode !== 'single-byte' && !ABOVE_BYTE.test(value) && !value.startsWith(BOM)) {
      // UTF-8 checked and decoded by hand: values are short and each TextDecoder call costs ~1 µs
      // (its JavaScript wrapper; a fatal decoder's throw more), ~2% of the ingest thread on traffic
      // with accented names. `decodeBytes` returns its argument itself when the bytes are not valid
      // UTF-8, exactly when the strict decoder throws (test/x12/text.test.ts), for a value of bytes
      // alone (no unit above 0xFF, i.e. no windows-1252 byte) without a leading BOM (which the
      // strict decoder drops); any other value takes the decoders below as before.
      const text = decodeBytes(value);
      if (text !== value) {
        if (this.info.mode === 'latin1') this.utf8Values++;
        return text;
      }
      // Not UTF-8. ISO 8859-1: each byte is its code point, i.e. the byte string itself.
      if (this.info.mode === 'latin1') return value;
      this.invalidValues++;
      return (this.lenient as Decoder).decode(byteStringToBytes(value));
    }
    const bytes = byteStringToBytes(value);
    if (this.info.mode === 'single-byte') return (this.lenient as Decoder).decode(bytes);
    try {
      const text = this.strictUtf8.decode(bytes);
      if (this.info.mode === 'latin1') this.utf8Values++;
      return text;
    } catch {
      if (this.info.mode === 'latin1') return byteStringToLatin1(value);
      this.invalidValues++;
      return (this.lenient as Decoder).decode(bytes);
    }
  }

  /** Decodes every value of a segment in place. */
  decodeElements(elements: string[][]): void {
    for (const components of elements) {
      for (let c = 0; c < components.length; c++) {
        const value = components[c] as string;
        components[c] = this.decode(value);
      }
    }
  }
}
