/** Small byte helpers for the mutators (Uint8Array only, so the fuzz kit stays free of node:buffer). */

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const utf8 = new TextEncoder();
export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}

/** First index of `needle` in `bytes` at or after `from`, -1 when absent. */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from = 0): number {
  const n = needle.length;
  if (n === 0) return -1;
  const first = needle[0] as number;
  for (let i = bytes.indexOf(first, from); i >= 0 && i + n <= bytes.length; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < n && bytes[i + k] === needle[k]) k++;
    if (k === n) return i;
  }
  return -1;
}

export function startsWithBytes(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at < 0 || at + needle.length > bytes.length) return false;
  for (let k = 0; k < needle.length; k++) if (bytes[at + k] !== needle[k]) return false;
  return true;
}

/** Length of the UTF-8 sequence a lead byte announces (1 for ASCII and for stray bytes). */
export function utf8Length(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 1;
}
