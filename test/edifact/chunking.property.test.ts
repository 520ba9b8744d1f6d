/**
 * Properties: the sink sees the same calls however the bytes are cut into chunks, and no input
 * makes the reader throw, hang, or leave a message or interchange open.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { everyNBytes, latin1, type Recording, read } from './recording-sink.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const corpusFiles = (['edifact', 'malformed'] as const).flatMap((dir) =>
  readdirSync(`${CORPUS}${dir}`)
    .filter((name) => dir === 'edifact' || !/^(edieng|oopf|staedi-(997|999|ta1)|tasty|edinet-810)/.test(name))
    .map((name) => `${dir}/${name}`),
);

/** Hand-made inputs that stress chunk boundaries: release runs, BOM, custom UNA, CRLF, no last terminator. */
const synthetic: Record<string, Uint8Array> = {
  releases: new TextEncoder().encode(
    "UNA:+.? 'UNB+UNOC:3+S+R+240101:1200+1'UNH+1+X:D:03B:UN'FTX+?'?'+??+???'+????'?:?+'IFT+3+A???+B?''UNT+4+1'UNZ+1+1'",
  ),
  bomWrapped: new Uint8Array([
    0xef,
    0xbb,
    0xbf,
    ...new TextEncoder().encode(
      ' UNA=*.? ~UNB*UN\nOA=3*S*R*240101=1200*9~\r\nU\nNH*1*X=D=03B=UN~FTX*?\n~A~UNT*3*1~UNZ*1*9',
    ),
  ]),
  backslash: latin1(
    "UNA:+.\\*'UNB+UNOC:4+S+R+240101:1200+7'UNH+1+X:D:03B:UN'NAD+\\\\+\\'\u00e9\\\u00fc'UNT+3+1'UNZ+1+7'junk",
  ),
  twoInterchanges: new TextEncoder().encode(
    "UNA^*.? $UNB*UNOW^4*S*R*240101^1200*1$UNH*1*X^D^03B^UN$NAD*天津$UNT*3*1$UNZ*1*1$\nUNB+UNOA:3+S+R+240101:1200+2'UNH+1+X:D:03B:UN'UNT+2+1'UNZ+1+2'",
  ),
};

const inputs: Array<[string, Uint8Array]> = [
  ...corpusFiles.map((file): [string, Uint8Array] => [file, readFileSync(`${CORPUS}${file}`)]),
  ...Object.entries(synthetic),
];

/** Positions right after each release character ('?' or '\\'), where a chunk boundary is hardest. */
function afterReleases(bytes: Uint8Array): number[] {
  const out: number[] = [];
  bytes.forEach((b, i) => {
    if (b === 0x3f || b === 0x5c) out.push(i + 1);
  });
  return out;
}

const splitsFor = (length: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 })
    .map((xs) => [...xs].sort((a, b) => a - b));

function wellFormedCalls(r: Recording): void {
  let interchangeOpen = false;
  let messageOpen = false;
  for (const e of r.events) {
    if (e.kind === 'interchangeStart') {
      expect(interchangeOpen).toBe(false);
      interchangeOpen = true;
    } else if (e.kind === 'messageStart') {
      expect(interchangeOpen && !messageOpen).toBe(true);
      messageOpen = true;
    } else if (e.kind === 'segment') {
      expect(messageOpen).toBe(true);
    } else if (e.kind === 'messageEnd') {
      expect(messageOpen).toBe(true);
      messageOpen = false;
    } else if (e.kind === 'interchangeEnd') {
      expect(interchangeOpen && !messageOpen).toBe(true);
      interchangeOpen = false;
    }
  }
  expect(interchangeOpen || messageOpen).toBe(false);
}

describe('chunk boundaries do not matter', () => {
  it.each(inputs)('%s: 1-byte chunks and chunks ending after each release character', (_name, bytes) => {
    for (const strict of [false, true]) {
      const whole = read(bytes, { strict });
      wellFormedCalls(whole);
      expect(read(bytes, { strict, splits: everyNBytes(bytes.length, 1) }).events).toEqual(whole.events);
      expect(read(bytes, { strict, splits: afterReleases(bytes) }).events).toEqual(whole.events);
    }
  });

  it.each(inputs)('%s: random chunk boundaries', (_name, bytes) => {
    const whole = read(bytes).events;
    const releases = afterReleases(bytes);
    fc.assert(
      fc.property(
        splitsFor(bytes.length),
        fc.subarray(releases, { maxLength: Math.min(10, releases.length) }),
        (random, atReleases) => {
          const splits = [...new Set([...random, ...atReleases])].sort((a, b) => a - b);
          expect(read(bytes, { splits }).events).toEqual(whole);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('any bytes', () => {
  /** Bytes drawn mostly from EDIFACT's alphabet so that envelopes and separators actually occur. */
  const ediBytes = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          ...[
            "UNA:+.? '",
            "UNB+UNOC:3+S+R+240101:1200+1'",
            "UNH+1+X:D:03B:UN'",
            "UNT+2+1'",
            "UNZ+1+1'",
            "UNG+X+A+B+1:1+1'",
            "UNE+1+1'",
            "BGM+1'",
          ],
        ),
        fc.constantFrom('?', "'", '+', ':', '\r', '\n', ' ', '\t', 'UN', 'A', '\u00ef\u00bb\u00bf', '\u00e9'),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => latin1(parts.join('').replace(/[\u0100-\uffff]/g, '?')));

  it('never throws, closes everything it opens, and gives the same calls for any chunking', () => {
    fc.assert(
      fc.property(
        fc.oneof(ediBytes, fc.uint8Array({ maxLength: 200 })),
        fc.boolean(),
        fc.integer({ min: 1, max: 7 }),
        (bytes, strict, size) => {
          const whole = read(bytes, { strict, maxSegmentLength: 64 });
          wellFormedCalls(whole);
          expect(
            read(bytes, { strict, maxSegmentLength: 64, splits: everyNBytes(bytes.length, size) }).events,
          ).toEqual(whole.events);
        },
      ),
      { numRuns: 400 },
    );
  });
});
