/**
 * A 52-bit hash of a key (fits a SQLite INTEGER and a JS number exactly): bills and person-days are
 * found by it (the `h` columns, the append layout's in-memory indexes) instead of by their long text
 * keys, and every lookup re-checks the real key, so a collision only costs a row read.
 *
 * Two independent 32-bit FNV-1a style hashes over the key's UTF-16 units: the high 32 bits from the
 * first, the low 21 from the second.
 */
export function keyHash52(key: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return join(h1, h2);
}

/**
 * keyHash52 of `${a}${String.fromCharCode(separator)}${b}`, without building that string: the
 * replay's main thread looks person-days up by their parts (day, consignee key) several times per
 * event, and the joined key strings it built for each lookup were ~5% of its allocation.
 */
export function keyHash52Joined(a: string, separator: number, b: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  h1 = Math.imul(h1 ^ separator, 0x01000193);
  h2 = Math.imul(h2 ^ separator, 0x5bd1e995);
  h2 ^= h2 >>> 13;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return join(h1, h2);
}

function join(h1: number, h2: number): number {
  return (h1 >>> 0) * 0x200000 + (((h2 | 1) >>> 0) & 0x1fffff);
}
