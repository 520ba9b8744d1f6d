/**
 * Regressions found by fuzzing (fixtures/fuzz-regressions): the reader's output must not depend on
 * where chunks end, also with a tiny segment limit, and a segment spanning many chunks must cost
 * time linear in its length.
 */
import { describe, expect, it } from 'vitest';
import { createX12Reader } from '../../src/core/x12/reader.js';
import { buildInterchange, simple } from './build-helper.js';
import { type Call, readX12, recordingSink } from './read-helper.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every sink call of a whole-input read, compared with reads in chunks of 1..maxChunk bytes. */
function expectChunkInvariant(text: string, maxSegmentLength: number, maxChunk: number): Call[] {
  const bytes = encode(text);
  const whole = readX12(bytes, { maxSegmentLength }).calls;
  for (let size = 1; size <= maxChunk; size++) {
    const split = readX12(bytes, { maxSegmentLength, chunks: size }).calls;
    expect(split, `chunks of ${size} bytes`).toEqual(whole);
  }
  return whole;
}

describe('chunk invariance with a small segment limit', () => {
  it('a second ISA (missing IEA) is read as an ISA even when fewer than 4 of its bytes are buffered', () => {
    // fuzz a28fd1ea3feed2c0: byte by byte with limit 1, "IS" was judged too long before the "A" came.
    const first = simple(1).replace(/IEA\*[^~]*~\n$/, '');
    const text = first + simple(1, {}, '000000002');
    const calls = expectChunkInvariant(text, 1, 12);
    expect(calls.filter((c) => c.kind === 'interchangeStart')).toHaveLength(2);
  });

  it('a segment exactly at the limit before a multi-byte terminator is not too long', () => {
    // N1 is the longest segment (GS is about 45 bytes).
    const name = 'N'.repeat(60);
    const text = simple(1, { terminator: '\u2026' }).replace('NAME 1', name);
    const content = `N1*CN*${name}`.length;
    const calls = expectChunkInvariant(text, content, 16);
    const issues = calls.flatMap((c) => (c.kind === 'messageEnd' ? c.result.issues : []));
    expect(issues.map((i) => i.code)).not.toContain('X12_SEGMENT_TOO_LONG');
    // One byte less and it is too long, however the input is cut.
    const shorter = expectChunkInvariant(text, content - 1, 16);
    const codes = shorter.flatMap((c) => (c.kind === 'messageEnd' ? c.result.issues.map((i) => i.code) : []));
    expect(codes).toContain('X12_SEGMENT_TOO_LONG');
  });

  it('an unterminated last segment between limit and limit + terminator length is judged by the bytes', () => {
    const text = `${simple(1, { terminator: '\u2026', after: '' })}ZZ*1234`;
    for (const max of [5, 6, 7, 8]) expectChunkInvariant(text, max, 9);
  });

  it('BIN data longer than a chunk, holding terminators, reads the same in any split', () => {
    const payload = `~AB${'x'.repeat(40)}~\n~`;
    const text = buildInterchange({
      groups: [
        {
          control: '1',
          messages: [
            {
              ref: '0001',
              body: [
                ['BIN', String(payload.length), payload],
                ['N1', 'CN', 'X'],
              ],
            },
          ],
        },
      ],
    });
    const calls = expectChunkInvariant(text, 1000, 13);
    const bin = calls.find((c) => c.kind === 'segment' && c.segment.tag === 'BIN');
    expect(bin?.kind === 'segment' ? bin.segment.elements[1] : undefined).toBe(payload);
  });
});

describe('time linear in the input', () => {
  for (const fill of ['A', '\u00e9']) {
    it(`2 MB of one element (${fill === 'A' ? 'ASCII' : 'UTF-8'}) fed in 1-7 byte chunks is read well under 2 s`, () => {
      // fuzz debae3db82a877ce / 011b863f068cbfcc: each push rejoined and rescanned the pending segment.
      const head = simple(1).slice(0, simple(1).indexOf('N1*CN*') + 'N1*CN*'.length);
      const tail = simple(1).slice(simple(1).indexOf('NAME 1'));
      const bytes = encode(head + fill.repeat(fill === 'A' ? 2_000_000 : 1_000_000) + tail);
      const calls: Call[] = [];
      const reader = createX12Reader(recordingSink(calls), {
        fileName: 'huge.edi',
        strict: false,
        maxSegmentLength: 4 << 20,
      });
      const t0 = performance.now();
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const n = 1 + (k % 7);
        reader.push(bytes.subarray(i, i + n));
        i += n;
      }
      reader.end();
      const ms = performance.now() - t0;
      // About 0.3-0.6 s alone on the shared 2-core machine; the bound leaves room for a loaded run
      // (the quadratic rescan took minutes here).
      expect(ms).toBeLessThan(2000);
      const n1 = calls.find((c) => c.kind === 'segment' && c.segment.tag === 'N1');
      expect(n1?.kind === 'segment' ? n1.segment.elements[1]?.length : 0).toBe(
        (fill === 'A' ? 2_000_000 : 1_000_000) + 'NAME 1'.length,
      );
      const ends = calls.filter((c) => c.kind === 'interchangeEnd');
      expect(ends.map((c) => (c.kind === 'interchangeEnd' ? c.result.ok : null))).toEqual([true]);
    });
  }
});
