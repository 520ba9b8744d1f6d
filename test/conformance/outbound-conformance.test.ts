/**
 * Every outbound channel's generated files against its machine-readable specification
 * (schemas/ace/<channel>.json, derived from CBP's guides, bulletins and published samples), in
 * addition to the golden files: X12 and EDIFACT files are re-read with s321's own readers in strict
 * mode (every reader issue is a violation), then envelope, segment order and every element are
 * checked; ABI record by record; CAMIR line by line. The last block shows the checker catches the
 * layouts s321 used to write (two K1 halves, ERR/098/, SX10/SX90 records, CUSRES without a group).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { GeneratedFile, OutboundBatch } from '../../src/core/generate/types.js';
import { inspectBytes } from '../../src/core/inspect/inspect-bytes.js';
import { type Channel, ChannelSchema } from '../../src/core/model/decision.js';
import { checkConformance } from '../../src/testkit/conformance/check.js';
import { type ConformanceSpec, ConformanceSpecSchema } from '../../src/testkit/conformance/spec.js';
import { encode } from '../ack/read-inbound.js';
import { GOLDEN_ROOT, goldenCases, readJson } from '../generate/golden-support.js';

const SPEC_DIR = join(import.meta.dirname, '..', '..', 'schemas', 'ace');
const specOf = (channel: Channel): ConformanceSpec =>
  ConformanceSpecSchema.parse(JSON.parse(readFileSync(join(SPEC_DIR, `${channel}.json`), 'utf8')));

/** Every channel but the JSON report has an EDI specification. */
const EDI_CHANNELS = ChannelSchema.options.filter((c) => c !== 'report');

function generated(dir: string): GeneratedFile {
  const input = readJson<{ batch: OutboundBatch; partner?: unknown }>(join(dir, 'input.json'));
  const profile = resolvePartnerProfile(input.partner ?? {});
  if (!profile.ok) throw new Error(JSON.stringify(profile.issues));
  return generateOutbound(input.batch, profile.profile);
}

describe('outbound files conform to their specifications (schemas/ace)', () => {
  for (const channel of EDI_CHANNELS) {
    const spec = specOf(channel);
    it(`${channel}: the specification names its sources and each element's status`, () => {
      expect(spec.channel).toBe(channel);
      expect(spec.sources.length).toBeGreaterThan(0);
    });
    for (const c of goldenCases(channel)) {
      it(`${channel}/${c.name}`, () => {
        const file = generated(c.dir);
        expect(file.ok).toBe(true);
        const result = checkConformance(file.content, file.charset, spec);
        expect(result.violations).toEqual([]);
        expect(result.units).toBeGreaterThan(0);
        if (spec.syntax === 'x12' || spec.syntax === 'edifact') {
          // Exactly what `s321 inspect --strict` reports for the file.
          const report = inspectBytes(encode(file.content, file.charset), file.fileName, true);
          expect(report.issues).toEqual([]);
          expect(report.ok).toBe(true);
        }
      });
    }
  }

  // The files a whole replay of fixtures/replay writes (fixtures/golden/replay/outbound).
  const replayDir = join(GOLDEN_ROOT, 'replay', 'outbound');
  for (const name of readdirSync(replayDir).filter((f) => !f.endsWith('.json') && !f.endsWith('.jsonl'))) {
    it(`replay output ${name}`, () => {
      const channel = ChannelSchema.parse(name.slice(0, name.indexOf('_')));
      const content = readFileSync(join(replayDir, name), 'latin1');
      const result = checkConformance(content, 'iso-8859-1', specOf(channel));
      expect(result.violations).toEqual([]);
      expect(result.units).toBeGreaterThan(0);
    });
  }
});

describe('the checker fails the layouts s321 used to write', () => {
  const first = (channel: Channel): GeneratedFile => {
    const c = goldenCases(channel)[0];
    if (c === undefined) throw new Error(channel);
    return generated(c.dir);
  };
  const violations = (channel: Channel, content: string, charset = 'ascii') =>
    checkConformance(content, charset, specOf(channel)).violations;

  it('truck 350: a remark split over K1-01 / K1-02', () => {
    const file = first('truck-x12-350');
    const split = file.content.replace(/K1\*([^~]{10})([^~]*)~/, 'K1*$1*$2~');
    expect(violations('truck-x12-350', split).join('\n')).toMatch(/K102: element not in the specification/);
  });

  it('truck 350: the ocean envelope, and an ocean 350 in the truck envelope', () => {
    expect(violations('truck-x12-350', first('carrier-x12-350').content).join('\n')).toMatch(/GS01/);
    expect(violations('carrier-x12-350', first('truck-x12-350').content).join('\n')).toMatch(/GS01/);
  });

  it('X12: a broken segment count is caught by the strict reader', () => {
    const file = first('truck-x12-350');
    const broken = file.content.replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 1}*`);
    expect(violations('truck-x12-350', broken).join('\n')).toMatch(/reader \(strict\)/);
  });

  it('CUSRES: the old BGM+962 / DTM+137 / RFF+BM message without a UNG group', () => {
    const old = [
      "UNB+UNOA:4+S321:ZZ+EFGH:ZZ+20250310:1430+4501'",
      "UNH+0001+CUSRES:D:03B:UN'",
      "BGM+962+S321-4501-0001+9'",
      "DTM+137:202503101430:203'",
      "RFF+BM:EFGH0000001'",
      "ERC+SN517'",
      "FTX+AAI+++TEXT'",
      "UNT+7+0001'",
      "UNZ+1+4501'",
    ].join('\n');
    const found = violations('truck-cusres', `${old}\n`).join('\n');
    expect(found).toMatch(/UNG 0038/);
    expect(found).toMatch(/BGM-1.1/);
    expect(found).toMatch(/order/);
  });

  it('FER: ERR/098/ with a slash between code and text', () => {
    const file = first('air-camir-fer');
    expect(violations('air-camir-fer', file.content.replace('ERR/098', 'ERR/098/')).join('\n')).toMatch(
      /matches no line/,
    );
  });

  it('ABI: SX10 / SX90 records and a wrong block count', () => {
    const file = first('broker-abi-sx');
    const sx = file.content.replace(/^SE10/m, 'SX10').replace(/^SE90/m, 'SX90');
    expect(violations('broker-abi-sx', sx).join('\n')).toMatch(/no record of the specification/);
    const count = file.content.replace(/^(Y.{11})\d{5}/m, '$100009');
    expect(violations('broker-abi-sx', count).join('\n')).toMatch(/count 9/);
  });

  it('ABI SO: the old SO10 layout (filer code at 5-7, port at 18-21)', () => {
    const file = first('broker-abi-so');
    const old = file.content.replace(/^SO10.*$/m, 'SO10B1212345678860901'.padEnd(80, ' '));
    expect(violations('broker-abi-so', old).join('\n')).toMatch(/SO10 5-8 \(port\)/);
  });
});
