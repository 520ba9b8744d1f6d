/**
 * The key hashes the SQLite store finds rows by (the `h` columns, the append layout's indexes): a
 * person-day hashed from its parts must equal the hash of its joined key, which is what the rows
 * already stored (and schema 2's migration) hold.
 */
import { describe, expect, it } from 'vitest';
import { personDayHash } from '../../../src/adapters/store/sqlite/append-layout/append-state.js';
import { keyHash52, keyHash52Joined } from '../../../src/adapters/store/sqlite/key-hash.js';
import { personDayKey } from '../../../src/core/aggregate/state.js';

describe('key hashes', () => {
  it('keyHash52 keeps its values (rows written by earlier builds are found by them)', () => {
    // Pinned: a changed function would no longer find the rows an existing file holds.
    expect(keyHash52('')).toBe(4542716992533133);
    expect(keyHash52('ABCD/ABCD1')).toBe(6244454482482431);
    expect(keyHash52('ABCD/ABCD1')).not.toBe(keyHash52('ABCD/ABCD2'));
    expect(Number.isSafeInteger(keyHash52('ABCD/ABCD1'))).toBe(true);
  });

  it('a joined hash equals the hash of the joined text, for any parts', () => {
    const parts = ['', 'a', '2025-06-10', 'na|JOSE NUNEZ|CALLE N 1|SAN JOSE|CA|95110|US', 'é日本😀'];
    for (const a of parts)
      for (const b of parts) {
        expect(keyHash52Joined(a, 0, b)).toBe(keyHash52(`${a}\u0000${b}`));
        expect(keyHash52Joined(a, 0x7c, b)).toBe(keyHash52(`${a}|${b}`));
      }
  });

  it("a person-day's hash from its parts is the hash of its key", () => {
    const ck = 'na|JOSE NUNEZ|CALLE N 1|SAN JOSE|CA|95110|US';
    expect(personDayHash(ck, '2025-06-10')).toBe(keyHash52(personDayKey(ck, '2025-06-10')));
  });
});
