/**
 * A 52-bit hash of a key (fits a SQLite INTEGER and a JS number exactly): bills and person-days are
 * found by it (the `h` columns, the append layout's in-memory indexes) instead of by their long text
 * keys, and every lookup re-checks the real key, so a collision only costs a row read.
 */
export function keyHash52(key: string): number {
  const [h1, h2] = hashes(key);
  return h1 * 0x200000 + (h2 & 0x1fffff);
}

/** Two independent 32-bit FNV-1a style hashes. */
function hashes(key: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return [h1 >>> 0, (h2 | 1) >>> 0];
}
