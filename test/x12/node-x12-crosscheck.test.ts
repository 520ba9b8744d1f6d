/**
 * Independent cross-check on well-formed corpus files: node-x12 (a separate implementation, used
 * here only as a reference, never for parsing in s321) must see the same transaction sets with the
 * same segment tags and element values. Files listed are those node-x12 itself reads correctly
 * (it rejects BOMs, indentation and hard wraps, and misses the second interchange of a one-line
 * file); BIN is left out because node-x12 splits binary payloads on delimiters.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusBytes } from './corpus-helper.js';
import { readX12 } from './read-helper.js';

interface NxSegment {
  tag: string;
  elements: { value: string }[];
}
interface NxInterchange {
  functionalGroups: { transactions: { segments: NxSegment[] }[] }[];
}
interface NxParser {
  parse(edi: string): NxInterchange | { interchanges: NxInterchange[] };
}

const require = createRequire(import.meta.url);
const { X12Parser } = require('node-x12') as { X12Parser: new (strict: boolean) => NxParser };

const FILES = [
  'x12/apim-315-ocean-status.edi',
  'x12/apim-350-customs-status.edi',
  'x12/edieng-940-two-groups-nl-term.edi',
  'x12/nodex12-850-two-interchanges.edi',
  'x12/nodex12-856-004060-hyphen-rep.edi',
  'x12/oopf-270-gs-ctrl-char-term.txt',
  'x12/oopf-322-rail-17tx-cr-term.txt',
  'x12/staedi-214-ellipsis-terminator.edi',
  'x12/staedi-810-850-two-groups.edi',
  'x12/staedi-837-newline-term-backtick-rep.edi',
  'x12/staedi-855-caret-component.edi',
  'x12/staedi-997-three-interchanges.edi',
  'x12/tasty-835-no-newline.edi',
];

describe('cross-check with node-x12 on well-formed files', () => {
  for (const file of FILES) {
    it(file, () => {
      const parsed = new X12Parser(true).parse(readFileSync(`${CORPUS_DIR}${file}`, 'utf8'));
      // Copied into a plain array: X12FatInterchange subclasses Array, and flatMap on it recurses.
      const interchanges: NxInterchange[] =
        'interchanges' in parsed ? Array.from(parsed.interchanges) : [parsed];
      const theirs = interchanges.flatMap((ic) =>
        ic.functionalGroups.flatMap((g) =>
          g.transactions.map((t) => t.segments.map((s) => [s.tag, ...s.elements.map((e) => e.value)])),
        ),
      );

      const r = readX12(corpusBytes(file), { fileName: file });
      const ours: string[][][] = [];
      for (const c of r.calls) {
        if (c.kind === 'messageStart') ours.push([]);
        else if (c.kind === 'segment') ours[ours.length - 1]?.push([c.segment.tag, ...c.segment.elements]);
      }
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(theirs);
    });
  }
});
