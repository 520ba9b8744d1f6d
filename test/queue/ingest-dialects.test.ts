/**
 * Queue mode reads partner dialects like `s321 replay --dialect`: config `inbound.dialects`
 * (`SENDER=NAME`) → worker settings → the ingest workers' normalizers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/app/ingest-file.js';
import { resolveQueueRuntime } from '../../src/app/queue/runtime-config.js';
import { ingestNormalizers } from '../../workers/ingest.js';

const DIALECT_FILE = 'fixtures/replay/release2-day/03-air-express-manifest.edi';

async function shipmentTypes(settings: Parameters<typeof ingestNormalizers>[0]): Promise<string[]> {
  const types: string[] = [];
  await ingestFile(
    DIALECT_FILE,
    '03-air-express-manifest.edi',
    { strict: false, maxBytes: 1 << 20, normalizers: ingestNormalizers(settings) },
    (ic) => {
      types.push(...ic.events.map((e) => `${e.shipmentType}${e.express ? ' express' : ''}`));
    },
  );
  return types;
}

describe('queue mode and partner dialects', () => {
  it('config inbound.dialects reaches the ingest normalizers; without it the default profile applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-dialects-'));
    writeFileSync(
      join(dir, 's321.json'),
      JSON.stringify({ dataDir: 'data', inbound: { dialects: ['QUICKAIR=s321-companion'] } }),
    );
    const runtime = await resolveQueueRuntime({ config: join(dir, 's321.json'), queue: 'dialects' }, {});
    expect(runtime.settings.dialects).toEqual(['QUICKAIR=s321-companion']);
    expect(await shipmentTypes(runtime.settings)).toEqual(['S321 express']);
    const bare = await resolveQueueRuntime({ queue: 'no-dialects' }, {});
    expect(bare.settings.dialects).toBeUndefined();
    expect(await shipmentTypes(bare.settings)).toEqual(['other']);
  });

  it('a malformed dialect entry is a config error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-dialects-'));
    writeFileSync(
      join(dir, 's321.json'),
      JSON.stringify({ dataDir: 'data', inbound: { dialects: ['QUICKAIR'] } }),
    );
    await expect(resolveQueueRuntime({ config: join(dir, 's321.json'), queue: 'bad' }, {})).rejects.toThrow(
      /inbound\.dialects/,
    );
  });
});
