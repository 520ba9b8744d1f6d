import { describe, expect, it } from 'vitest';
import { x12Components } from '../../src/core/model/segment.js';
import { buildInterchange, type Delims } from './build-helper.js';
import { readX12 } from './read-helper.js';

/** Body values without spaces, dots or punctuation so any delimiter can be used. */
const BODY = [
  ['M10', 'ABCD', 'J', 'US', 'TRIP1'],
  ['N1', 'CN', 'JANEDOE', 'C1', 'C2'],
  ['LX', '1'],
];

function roundTrip(delims: Partial<Delims>): ReturnType<typeof readX12> {
  const text = buildInterchange(
    { groups: [{ control: '1', messages: [{ ref: '0001', body: BODY }] }] },
    delims,
  );
  return readX12(text, { strict: true });
}

describe('X12 reader: delimiters come from each ISA', () => {
  const terminators = [
    ' ',
    '.',
    '*',
    '^',
    '~',
    '"',
    '}',
    '\\',
    '|',
    '!',
    '\u001d',
    '\r',
    '\n',
    "'",
    '$',
    '#',
  ];
  for (const terminator of terminators) {
    it(`segment terminator ${JSON.stringify(terminator)}`, () => {
      const element = terminator === '*' ? '~' : '*';
      const component = terminator === '>' ? ':' : '>';
      // CRLF is the usual layout after a CR terminator; other terminators get none or LF.
      const after = terminator === '\r' ? '\n' : terminator === '\n' ? '' : '\r\n';
      const r = roundTrip({ terminator, element, component, after });
      expect(r.errors).toEqual([]);
      expect(r.issues).toEqual([]);
      expect(r.interchanges[0]!.header.delimiters).toMatchObject({ element, component, segment: terminator });
      expect(r.segments.map((s) => [s.tag, ...s.elements])).toEqual(BODY);
    });
  }

  for (const element of ['*', '~', '^', '>', '+', '@', '|', '\u001d', '!']) {
    it(`element separator ${JSON.stringify(element)}`, () => {
      const terminator = element === '~' ? '!' : '~';
      const component = element === '>' ? ':' : '>';
      // ISA11 cannot be the element separator itself.
      const r = roundTrip({ element, terminator, component, ...(element === '^' ? { isa11: '`' } : {}) });
      expect(r.ok).toBe(true);
      expect(r.segments.map((s) => [s.tag, ...s.elements])).toEqual(BODY);
    });
  }

  it('component separator splits with x12Components', () => {
    const text = buildInterchange(
      { groups: [{ control: '1', messages: [{ ref: '0001', body: [['SV1', 'HC^99213^25', '1']] }] }] },
      {
        component: '^',
        isa11: 'U',
        version: '00401',
      },
    );
    const r = readX12(text);
    const delims = r.interchanges[0]!.header.delimiters;
    expect(delims).toEqual({ element: '*', component: '^', repetition: null, segment: '~' });
    expect(x12Components(r.segments[0]!.elements[0], delims)).toEqual(['HC', '99213', '25']);
  });

  describe('ISA11 is a repetition separator only from 00402 on, and never U', () => {
    const cases: [string, string, string | null][] = [
      ['00501', '^', '^'],
      ['00402', '`', '`'],
      ['00406', '-', '-'],
      ['00401', '^', null],
      ['00400', 'U', null],
      ['00501', 'U', null],
      ['04010', 'U', null],
    ];
    for (const [version, isa11, expected] of cases) {
      it(`ISA12 ${version}, ISA11 '${isa11}' -> ${expected === null ? 'none' : `'${expected}'`}`, () => {
        const r = roundTrip({ version, isa11 });
        expect(r.ok).toBe(true);
        expect(r.interchanges[0]!.header.delimiters.repetition).toBe(expected);
      });
    }
  });
});

describe('X12 reader: multi-byte delimiters are characters, not bytes', () => {
  const ellipsis = buildInterchange(
    {
      groups: [
        {
          control: '1',
          messages: [
            {
              ref: '0001',
              body: [
                ['N1', 'CN', 'JOSÉ NUÑEZ'],
                ['LX', '1'],
              ],
            },
          ],
        },
      ],
    },
    { terminator: '\u2026', after: '\n' },
  );
  const bytes = new TextEncoder().encode(ellipsis);

  it('U+2026 as segment terminator: the ISA is 106 characters, 108 bytes', () => {
    expect(bytes.indexOf(0x47 /* G of GS */)).toBe(108 + 1);
    const r = readX12(bytes, { strict: true });
    expect(r.issues).toEqual([]);
    expect(r.interchanges[0]!.header.delimiters.segment).toBe('\u2026');
    expect(r.segments.map((s) => [s.tag, ...s.elements])).toEqual([
      ['N1', 'CN', 'JOSÉ NUÑEZ'],
      ['LX', '1'],
    ]);
  });

  it('byte offsets count bytes, not characters', () => {
    const r = readX12(bytes);
    const lx = r.segments[1]!;
    expect(new TextDecoder().decode(bytes.subarray(lx.byteOffset, lx.byteOffset + 3))).toBe('LX*');
    expect(r.interchanges[0]!.result.byteLength).toBe(bytes.length - 1);
  });

  it('U+00A6 as component separator with an element separator ~ and terminator !', () => {
    const text = buildInterchange(
      {
        groups: [{ control: '1', messages: [{ ref: '0001', body: [['PID', 'F', '', '', '', 'A\u00a6B']] }] }],
      },
      { element: '~', component: '\u00a6', terminator: '!', isa11: 'U', version: '04010', after: '\r\n' },
    );
    const r = readX12(new TextEncoder().encode(text), { strict: true });
    expect(r.ok).toBe(true);
    const delims = r.interchanges[0]!.header.delimiters;
    expect(delims).toEqual({ element: '~', component: '\u00a6', repetition: null, segment: '!' });
    expect(x12Components(r.segments[0]!.elements[4], delims)).toEqual(['A', 'B']);
  });

  it('a multi-byte element separator', () => {
    const r = readX12(
      new TextEncoder().encode(
        buildInterchange(
          { groups: [{ control: '1', messages: [{ ref: '0001', body: BODY }] }] },
          { element: '\u00a7' },
        ),
      ),
    );
    expect(r.ok).toBe(true);
    expect(r.segments.map((s) => [s.tag, ...s.elements])).toEqual(BODY);
  });

  it('values that are not valid UTF-8 are kept as latin1 (8-bit files)', () => {
    const text = buildInterchange({
      groups: [{ control: '1', messages: [{ ref: '0001', body: [['N1', 'CN', 'JOS\u00c9']] }] }],
    });
    const latin1 = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const r = readX12(latin1);
    expect(r.ok).toBe(true);
    expect(r.segments[0]!.elements[1]).toBe('JOS\u00c9');
  });

  it('a 4-byte character in a value', () => {
    const text = buildInterchange({
      groups: [{ control: '1', messages: [{ ref: '0001', body: [['MSG', 'ok \u{1F600} done']] }] }],
    });
    expect(readX12(text).segments[0]!.elements[0]).toBe('ok \u{1F600} done');
  });
});
