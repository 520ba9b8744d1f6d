/**
 * Chunk boundaries may fall anywhere (inside the ISA, a multi-byte delimiter, a BIN payload, a CRLF):
 * the same bytes split at any points must give the identical sequence of sink calls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildInterchange, simple } from './build-helper.js';
import { corpusBytes, x12Rows } from './corpus-helper.js';
import { readX12 } from './read-helper.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

const synthetic: [string, Uint8Array][] = [
  [
    'U+2026 terminator, U+00A6 component, UTF-8 values',
    encode(
      buildInterchange(
        {
          groups: [
            {
              control: '1',
              messages: [
                {
                  ref: '0001',
                  body: [
                    ['N1', 'CN', 'JOSÉ\u00a6NUÑEZ 😀'],
                    ['LX', '1'],
                  ],
                },
              ],
            },
          ],
        },
        { terminator: '\u2026', component: '\u00a6', after: '\r\n' },
      ),
    ),
  ],
  [
    'BIN payload with terminators and CRLF',
    encode(
      buildInterchange({
        groups: [
          {
            control: '1',
            messages: [
              {
                ref: '0001',
                body: [
                  ['BIN', '9', '~\r\n~AB\n~~'],
                  ['LX', '1'],
                ],
              },
            ],
          },
        ],
      }),
    ),
  ],
  [
    'hard-wrapped with CRLF, BOM, indentation',
    encode(
      `\ufeff${(
        simple(3)
          .replace(/\n/g, '')
          .match(/.{1,37}/g) ?? []
      ).join('\r\n  ')}`,
    ),
  ],
  [
    'two interchanges, junk between, no final terminator',
    encode(
      `${simple(1)}junk\n${simple(2, { terminator: '\r', after: '\n' }, '000000002').replace(/\r\n$/, '')}`,
    ),
  ],
  ['truncated inside a message', encode(simple(2).slice(0, 250))],
];

const corpus: [string, Uint8Array][] = x12Rows().map((r) => [r.file, corpusBytes(r.file)]);
const inputs = [...synthetic, ...corpus];

describe('chunk splitting does not change what the sink sees', () => {
  it('1-byte chunks, every input, both modes', () => {
    for (const [name, bytes] of inputs) {
      for (const strict of [false, true]) {
        const whole = readX12(bytes, { strict });
        const bytewise = readX12(bytes, { strict, chunks: 1 });
        expect(bytewise.calls, `${name} strict=${strict}`).toEqual(whole.calls);
      }
    }
  });

  it('random split points (property)', () => {
    const wholes = inputs.map(([, bytes]) => readX12(bytes).calls);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }),
        (which, fractions) => {
          const [, bytes] = inputs[which]!;
          const cuts = fractions.map((f) => Math.floor(f * bytes.length));
          expect(readX12(bytes, { chunks: cuts }).calls).toEqual(wholes[which]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random split points on mutated inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.constantFrom(0x0a, 0x0d, 0x20, 0x2a, 0x7e, 0x49, 0xe2, 0x80, 0x00, 0xff),
          ),
          {
            maxLength: 6,
          },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }),
        (which, mutations, fractions) => {
          const bytes = inputs[which]![1].slice();
          for (const [at, value] of mutations) bytes[Math.floor(at * (bytes.length - 1))] = value;
          const cuts = fractions.map((f) => Math.floor(f * bytes.length));
          expect(readX12(bytes, { chunks: cuts }).calls).toEqual(readX12(bytes).calls);
        },
      ),
      { numRuns: 300 },
    );
  });
});
