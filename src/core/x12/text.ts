/**
 * Byte/text helpers for the X12 reader. The reader decodes every chunk as latin1 (one char per
 * byte) so that a string index is a byte offset, a chunk may end inside a UTF-8 character, and a
 * multi-byte delimiter (U+2026 = E2 80 A6) is a plain multi-char needle for indexOf. Values that
 * contain bytes >= 0x80 are decoded as UTF-8 afterwards (latin1 kept when they are not valid UTF-8,
 * e.g. an 8-bit file).
 */

type Latin1Decode = (bytes: Uint8Array) => string;

/**
 * WHATWG maps the label 'latin1' to windows-1252, which differs from byte identity at 0x80-0x9F.
 * Node 20 decodes it as identity (fast, ~2 GB/s) but other runtimes may not, so check once and fall
 * back to String.fromCharCode in slices (correct, slower).
 */
function pickLatin1(): Latin1Decode {
  const probe = new Uint8Array(256);
  for (let i = 0; i < 256; i++) probe[i] = i;
  try {
    const decoder = new TextDecoder('latin1');
    const text = decoder.decode(probe);
    let identity = text.length === 256;
    for (let i = 0; identity && i < 256; i++) identity = text.charCodeAt(i) === i;
    if (identity) return (bytes) => decoder.decode(bytes);
  } catch {
    // label unsupported: use the fallback below
  }
  return (bytes) => {
    let out = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 8192)));
    }
    return out;
  };
}

export const latin1: Latin1Decode = pickLatin1();

const UTF8_LOOSE = new TextDecoder('utf-8', { ignoreBOM: true });
/** Chunks up to this many bytes are decoded by hand (see decodeChunk). */
const SMALL_CHUNK = 32;

/**
 * Decode a chunk for the tokenizer: latin1 text plus whether it may hold bytes >= 0x80. Tries the
 * (faster) UTF-8 decoder first: when the result has as many chars as there are bytes and no U+FFFD,
 * every byte was ASCII (a valid multi-byte sequence shortens the text, an invalid byte yields U+FFFD),
 * so the text is also the latin1 text and no segment of this chunk needs UTF-8 decoding.
 */
export function decodeChunk(bytes: Uint8Array): { text: string; ascii: boolean } {
  if (bytes.length <= SMALL_CHUNK) {
    // Tiny chunks (a slow peer, a byte-by-byte split): each TextDecoder call costs ~1 µs, more
    // than reading the bytes here.
    let or = 0;
    for (let i = 0; i < bytes.length; i++) or |= bytes[i] as number;
    return { text: String.fromCharCode.apply(null, bytes as unknown as number[]), ascii: or < 0x80 };
  }
  const text = UTF8_LOOSE.decode(bytes);
  if (text.length === bytes.length && text.indexOf('\ufffd') < 0) return { text, ascii: true };
  return { text: latin1(bytes), ascii: false };
}

/** True when a latin1 string holds a char >= 0x80 (a byte outside ASCII). */
export function hasHighByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Decode a latin1 string's bytes as UTF-8; keep it as latin1 when the bytes are not valid UTF-8.
 * Hand-written because values are short and TextDecoder.decode costs ~1 µs per call in Node 20
 * (its JS wrapper), which halved throughput on files with non-ASCII names. Validation follows the
 * WHATWG/Unicode rules (no overlongs, no surrogates, nothing above U+10FFFF).
 */
export function decodeBytes(text: string): string {
  let out = '';
  let run = 0; // start of the pending ASCII run
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      cp = c & 0x0f;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      cp = c & 0x07;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else {
      return text;
    }
    if (i + need >= n) return text;
    for (let k = 1; k <= need; k++) {
      const cc = text.charCodeAt(i + k);
      if (k === 1 ? cc < lo || cc > hi : cc < 0x80 || cc > 0xbf) return text;
      cp = (cp << 6) | (cc & 0x3f);
    }
    out += text.substring(run, i) + String.fromCodePoint(cp);
    i += need + 1;
    run = i;
  }
  return run === 0 ? text : out + text.substring(run);
}

/**
 * Length in latin1 chars (bytes) of the character starting at `at`: a valid UTF-8 sequence counts as
 * one character; any other byte is one character on its own. 0 when the sequence may continue past
 * the end of the text and more input can still come.
 */
export function charLengthAt(text: string, at: number, final: boolean): number {
  const c = text.charCodeAt(at);
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 1;
  if (n === 1) return 1;
  for (let k = 1; k < n; k++) {
    if (at + k >= text.length) return final ? 1 : 0;
    const cc = text.charCodeAt(at + k);
    if (cc < 0x80 || cc > 0xbf) return 1;
  }
  return n;
}

/** A-Z, a-z or 0-9. */
export function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
