/**
 * A scalable Bloom filter of strings: "certainly never stored" or "maybe stored". The SQLite store
 * uses it to skip the SELECT for bills and person-days it has never written — most shipments are new
 * bills of one-time buyers, and those point lookups were a third of the store's time. A false
 * positive only costs the SELECT it would have made anyway. Hand-written: ~50 lines, no dependency
 * does string keys with layered growth and typed-array storage this small (≈1.2 bytes per key at 1%).
 */
const BITS_PER_KEY = 10; // with 7 probes: ~0.8% false positives per layer
const PROBES = 7;

class BloomLayer {
  readonly bits: Uint32Array;
  readonly mask: number;
  count = 0;

  constructor(readonly capacity: number) {
    let size = 1024;
    while (size < capacity * BITS_PER_KEY) size *= 2;
    this.bits = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    this.count++;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class KeyFilter {
  private readonly layers: BloomLayer[];

  constructor(initialCapacity = 1 << 16) {
    this.layers = [new BloomLayer(initialCapacity)];
  }

  add(key: string): void {
    let layer = this.layers[this.layers.length - 1] as BloomLayer;
    if (layer.count >= layer.capacity) {
      layer = new BloomLayer(layer.capacity * 2);
      this.layers.push(layer);
    }
    const [h1, h2] = hashes(key);
    layer.add(h1, h2);
  }

  mightHave(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (const layer of this.layers) if (layer.has(h1, h2)) return true;
    return false;
  }
}

/**
 * A 52-bit hash of a key (fits a SQLite INTEGER and a JS number exactly): person-days are indexed by
 * it instead of by their long consignee key, and every lookup re-checks day and key, so a collision
 * only costs a row read.
 */
export function keyHash52(key: string): number {
  const [h1, h2] = hashes(key);
  return h1 * 0x200000 + (h2 & 0x1fffff);
}

/** Two independent 32-bit FNV-1a style hashes (double hashing: probe i = h1 + i·h2). */
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
