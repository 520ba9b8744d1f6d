/**
 * Every channel generator against its golden files: fixtures/golden/<channel>/<case>/input.json
 * ({ batch, partner? overrides }) → expected.<ext> (the file, byte for byte) and expected.json
 * (file name, counts, control numbers, twin ids and every issue).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOutbound, resolvePartnerProfile } from '../../src/core/generate/index.js';
import type { OutboundBatch } from '../../src/core/generate/types.js';
import { ChannelSchema } from '../../src/core/model/decision.js';
import { goldenCases, matchGolden, readJson } from './golden-support.js';

const channels = ChannelSchema.options;

describe('channel generators (golden files)', () => {
  it('has at least one golden case per channel', () => {
    for (const channel of channels) expect(goldenCases(channel).length, channel).toBeGreaterThan(0);
  });

  for (const channel of channels) {
    for (const c of goldenCases(channel)) {
      it(`${channel}/${c.name}`, () => {
        const input = readJson<{ batch: OutboundBatch; partner?: unknown }>(join(c.dir, 'input.json'));
        const profile = resolvePartnerProfile(input.partner ?? {});
        if (!profile.ok) throw new Error(JSON.stringify(profile.issues));
        const file = generateOutbound(input.batch, profile.profile);
        const ext = file.fileName.slice(file.fileName.lastIndexOf('.') + 1);
        matchGolden(join(c.dir, `expected.${ext}`), file.content, file.charset);
        const meta = {
          fileName: file.fileName,
          ok: file.ok,
          charset: file.charset,
          messages: file.messages,
          controlNumbers: file.controlNumbers,
          sent: file.sent,
          twin: file.twin.map((d) => d.decisionId),
          issues: file.issues,
        };
        matchGolden(join(c.dir, 'expected.json'), `${JSON.stringify(meta, null, 2)}\n`);
      });
    }
  }
});
