import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineColumn } from '../../../src/config/json-error-position.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on valid and on damaged JSON', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', '}', ',', '"', 'x', '\u0001', ']'),
        (json, at, junk) => {
          expect(jsonErrorOffset(json)).toBeUndefined();
          const pos = json.length === 0 ? 0 : at % json.length;
          const damaged = json.slice(0, pos) + junk + json.slice(pos + (junk === '' ? 1 : 0));
          expect(jsonErrorOffset(damaged) === undefined).toBe(parses(damaged));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('points at the offending byte', () => {
    const text = '{\n  "a": 1,\n  "b": nope\n}';
    const off = jsonErrorOffset(text);
    expect(off).toBe(text.indexOf('nope') + 1); // 'n' starts the literal null; 'o' breaks it
    expect(lineColumn(text, off ?? 0)).toEqual({ line: 3, column: 9 });
    expect(jsonErrorOffset('{"a":1} x')).toBe(8);
    expect(jsonErrorOffset('[1,2,]')).toBe(5);
    expect(jsonErrorOffset('{"a":01}')).toBe(6);
  });
});
