/** Guards: segment length limit, issue caps, and no throw / no hang on any input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/model/issue.js';
import { createX12Reader } from '../../src/core/x12/reader.js';
import { DEFAULT_DELIMS, isaText, simple } from './build-helper.js';
import { corpusBytes, x12Rows } from './corpus-helper.js';
import { type Call, readX12, recordingSink } from './read-helper.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Sink calls must nest: interchange > message > segment, every start ended exactly once. */
function expectWellNested(calls: Call[]): void {
  let inInterchange = false;
  let inMessage = false;
  for (const c of calls) {
    switch (c.kind) {
      case 'interchangeStart':
        expect(inInterchange).toBe(false);
        inInterchange = true;
        break;
      case 'messageStart':
        expect(inInterchange && !inMessage).toBe(true);
        inMessage = true;
        break;
      case 'segment':
        expect(inMessage).toBe(true);
        break;
      case 'messageEnd':
        expect(inMessage).toBe(true);
        inMessage = false;
        break;
      case 'interchangeEnd':
        expect(inInterchange && !inMessage).toBe(true);
        inInterchange = false;
        break;
      case 'fileIssue':
        break;
    }
  }
  expect(inInterchange || inMessage).toBe(false);
}

function expectPositionedErrors(issues: Issue[]): void {
  for (const i of issues) {
    if (i.severity === 'error') expect(i.segmentIndex !== undefined || i.byteOffset !== undefined).toBe(true);
  }
}

describe('maxSegmentLength', () => {
  const long = 'X'.repeat(5000);
  const text = simple(1).replace('NAME 1', long);

  for (const chunks of [undefined, 64, 1]) {
    it(`a longer segment is an error and reading goes on (chunks: ${chunks ?? 'whole'})`, () => {
      const r = readX12(text, { maxSegmentLength: 1000, ...(chunks !== undefined ? { chunks } : {}) });
      expect(r.messages[0]!.result.ok).toBe(false);
      expect(r.messages[0]!.result.issues.map((i) => i.code)).toEqual([
        'X12_SEGMENT_TOO_LONG',
        'X12_SE_COUNT',
      ]);
      expect(r.messages[0]!.result.issues[0]).toMatchObject({
        segmentIndex: 4,
        byteOffset: text.indexOf('N1*CN'),
      });
      // The IEA after it is still read.
      expect(r.interchanges[0]!.result.groupCount).toBe(1);
      expect(r.segments.map((s) => s.tag)).toEqual(['M10']);
    });
  }

  it('an unterminated 20 MB segment is skipped, not buffered, and reported once', () => {
    const calls: Call[] = [];
    const reader = createX12Reader(recordingSink(calls), { fileName: 'big.edi', strict: false });
    reader.push(encode(simple(1).slice(0, simple(1).indexOf('N1*'))));
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    const t0 = performance.now();
    for (let i = 0; i < 320; i++) reader.push(chunk);
    reader.end();
    const ms = performance.now() - t0;
    const issues = calls.flatMap((c) => (c.kind === 'interchangeEnd' || c.kind === 'messageEnd' ? c.result.issues : []));
    expect(issues.map((i) => i.code)).toEqual([
      'X12_SEGMENT_TOO_LONG',
      'X12_SE_MISSING',
      'X12_GE_MISSING',
      'X12_IEA_MISSING',
    ]);
    // Linear time: re-scanning a growing buffer would take seconds.
    expect(ms).toBeLessThan(3000);
  });

  it('the default limit is 1 MiB', () => {
    const r = readX12(simple(1).replace('NAME 1', 'Y'.repeat(1024 * 1024 + 10)), { chunks: 65536 });
    expect(r.errors.map((e) => e.code)).toContain('X12_SEGMENT_TOO_LONG');
  });
});

describe('issue lists are capped, ok stays exact', () => {
  it('ten thousand empty segments in a message', () => {
    const text = simple(1).replace('M10*', `${'~'.repeat(10_000)}M10*`);
    const r = readX12(text);
    const m = r.messages[0]!.result;
    expect(m.ok).toBe(false);
    expect(m.issues.length).toBe(101);
    expect(m.issues[100]!.code).toBe('X12_TOO_MANY_ISSUES');
    expect(r.interchanges[0]!.result.ok).toBe(false);
    expect(r.interchanges[0]!.result.issues.length).toBeLessThanOrEqual(1001);
  });
});

describe('never throws, never hangs', () => {
  const seeds = [...x12Rows().map((r) => corpusBytes(r.file)), encode(simple(2))];
  const isa = encode(`${isaText(DEFAULT_DELIMS)}~`);

  it('pathological inputs finish with issues', () => {
    const inputs = [
      'ISA'.repeat(50_000),
      'I'.repeat(100_000),
      `${isaText(DEFAULT_DELIMS)}~${'~'.repeat(100_000)}`,
      `${isaText(DEFAULT_DELIMS)}~${'ISA*'.repeat(5_000)}`,
      `${isaText(DEFAULT_DELIMS)}~BIN*999999999*`,
      `${isaText(DEFAULT_DELIMS)}~BIN*`,
      `${isaText(DEFAULT_DELIMS)}~BIN*3*ab`,
      '\ufeff',
      '\ufeffISA',
      'ISA*',
      `${simple(1)}ISA`,
      '\r\n'.repeat(10_000),
    ];
    for (const text of inputs) {
      const whole = readX12(text);
      expect(whole.ok).toBe(false);
      expectWellNested(whole.calls);
      expectPositionedErrors(whole.issues);
      for (const chunks of [1, 7, 4096]) expect(readX12(text, { chunks }).calls).toEqual(whole.calls);
    }
  });

  it('random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, withIsa) => {
        const input = withIsa ? concat(isa, bytes) : bytes;
        const r = readX12(input, { chunks: 13 });
        expectWellNested(r.calls);
        expectPositionedErrors(r.issues);
        expect(r.calls).toEqual(readX12(input).calls);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated corpus files (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.integer({ min: 0, max: 255 }),
            fc.integer({ min: 0, max: 2 }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.boolean(),
        (which, edits, strict) => {
          let bytes = seeds[which]!;
          for (const [at, value, op] of edits) {
            const i = Math.floor(at * bytes.length);
            if (op === 0) {
              bytes = bytes.slice();
              bytes[Math.min(i, bytes.length - 1)] = value;
            } else if (op === 1) {
              bytes = concat(bytes.subarray(0, i), Uint8Array.of(value), bytes.subarray(i));
            } else {
              bytes = concat(bytes.subarray(0, i), bytes.subarray(i + 1));
            }
          }
          const r = readX12(bytes, { strict });
          expectWellNested(r.calls);
          expectPositionedErrors(r.issues);
        },
      ),
      { numRuns: 400 },
    );
  });
});

function concat(a: Uint8Array, ...rest: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(a.length + rest.reduce((n, b) => n + b.length, 0));
  out.set(a);
  let at = a.length;
  for (const b of rest) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
