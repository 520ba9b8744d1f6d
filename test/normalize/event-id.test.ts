import { describe, expect, it } from 'vitest';
import { murmur3x86_128 } from '../../src/core/normalize/hash128.js';
import { runX12 } from './support.js';

describe('murmur3x86_128', () => {
  // Cross-checked against the murmurhash3js-revisited package (x86.hash128 over UTF-8 bytes) on 144
  // inputs of every tail length; these are four of them.
  it.each([
    ['', '00000000000000000000000000000000'],
    ['Hello, world!', '26acdba7f0638dfc402b42630afdd4c3'],
    ['The quick brown fox jumps over the lazy dog', '2f1583c3ecee2c675d7bf66ce5e91d2c'],
    ['ÄÖÜ€漢字', 'c4b988df2fc9ca3b1912c64c2eb90218'],
  ])('%j', (input, expected) => expect(murmur3x86_128(input)).toBe(expected));

  it('depends on every byte and on the seed', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 40; n++) seen.add(murmur3x86_128('x'.repeat(n)));
    expect(seen.size).toBe(40);
    expect(murmur3x86_128('a', 1)).not.toBe(murmur3x86_128('a', 0));
  });
});

describe('eventId', () => {
  const body = `M10*ACME*J~P4*3004*20250915~LX*1~M11*B1~N1*CN*Jane~N10*1*A**HS*1*10~LX*2~M11*B2~N1*CN*Jane~N10*1*A**HS*1*10~`;
  const ids = (out: ReturnType<typeof runX12>) => out.events.map((e) => e.eventId);

  it('is deterministic', () => {
    expect(ids(runX12('309', body))).toEqual(ids(runX12('309', body)));
  });

  it('ignores the file name and where the message sits in the file', () => {
    const a = ids(runX12('309', body));
    const b = ids(
      runX12('309', body, { ctx: { file: 'other.edi' }, msg: { segmentIndex: 40, byteOffset: 9000 } }),
    );
    expect(b).toEqual(a);
  });

  it('changes with sender, interchange control, message ref, position and content', () => {
    const a = ids(runX12('309', body));
    expect(ids(runX12('309', body, { ic: { senderId: 'OTHER' } }))[0]).not.toBe(a[0]);
    expect(ids(runX12('309', body, { ic: { controlNumber: '000000102' } }))[0]).not.toBe(a[0]);
    expect(ids(runX12('309', body, { msg: { reference: '0002' } }))[0]).not.toBe(a[0]);
    expect(ids(runX12('309', `K1*X~${body}`))[0]).not.toBe(a[0]);
    expect(ids(runX12('309', body.replace('*10~LX*2', '*11~LX*2')))[0]).not.toBe(a[0]);
    expect(new Set(a).size).toBe(2);
  });
});
