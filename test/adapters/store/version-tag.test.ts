/**
 * The bill row's `ver` column (append-layout/rows.ts versionTag): the first 8 hex digits of a
 * version hash as a number, or an FNV-1a of any other text — the same tags as the regex-and-parseInt
 * reading it replaced, so the `ver` of every row already written still matches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { versionTag } from '../../../src/adapters/store/sqlite/append-layout/rows.js';

/** The reading before (d333870), kept here as the reference. */
function referenceTag(versionHash: string): number {
  if (/^[0-9a-f]{8}/.test(versionHash)) return Number.parseInt(versionHash.slice(0, 8), 16);
  let h = 0x811c9dc5;
  for (let i = 0; i < versionHash.length; i++) h = Math.imul(h ^ versionHash.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg/: '), maxLength: 40 });

describe('versionTag', () => {
  it('equals the reference on hashes, near-hashes and any text', () => {
    fc.assert(
      fc.property(fc.oneof(hexish, fc.string({ unit: 'binary', maxLength: 12 })), (s) => {
        expect(versionTag(s)).toBe(referenceTag(s));
      }),
      { numRuns: 2000 },
    );
    for (const s of ['', 'deleted', 'ffffffff', 'ffffffffab', '0000000g', 'abcdef0', 'ABCDEF01', '1234567/'])
      expect(versionTag(s), s).toBe(referenceTag(s));
  });
});
