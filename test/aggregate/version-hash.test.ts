/**
 * The version hash written piece by piece (`versionHashOf`) equals murmur3 of the fields joined at
 * once (`versionHashText`, what it hashed before): the hash is stored in every bill row and compared
 * across runs (a repeated version changes nothing), so it must not move.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { versionHashOf, versionHashText } from '../../src/core/aggregate/version-hash.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { murmur3x86_128 } from '../../src/core/normalize/hash128.js';
import {
  certificationAndCorpusInterchanges,
  generatedInterchanges,
} from '../replay/support/interchanges-of.js';
import { arbitraryEvent } from '../support/arbitrary-event.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-version-hash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const joined = (e: ShipmentEvent): string => murmur3x86_128(versionHashText(e));

describe('version hash', () => {
  it('written piece by piece equals the hash of the joined text (fast-check events: any text, optional fields present or not)', () => {
    fc.assert(
      fc.property(arbitraryEvent, (e) => {
        expect(versionHashOf(e)).toBe(joined(e));
      }),
      { numRuns: 2000 },
    );
  });

  it('lone surrogates at piece edges, non-ASCII, long pieces, nulls from JSON and non-string list items read as the join did', () => {
    const [a] = fc.sample(arbitraryEvent, { numRuns: 1, seed: 3 }) as [ShipmentEvent];
    const variants: ShipmentEvent[] = [
      { ...a, consigneeKey: 'na|JOSÉ\ud800', eda: '\udc00X', origins: ['\ud83d', '\ude00'], hts: ['𝄞', ''] },
      { ...a, consigneeKey: 'x'.repeat(5000), carrierScac: 'Ü'.repeat(3000), express: true },
      {
        ...a,
        value: { usdCents: Number.MAX_SAFE_INTEGER, amount: '1', currency: 'USD' },
        brokerId: '',
        entryNumber: '',
      },
      { ...a, value: { usdCents: -12.5, amount: '1', currency: 'USD' } },
      JSON.parse(
        JSON.stringify({
          ...a,
          consigneeKey: null,
          eda: null,
          value: null,
          brokerId: null,
          entryNumber: null,
        }),
      ) as ShipmentEvent,
      { ...a, origins: [null, 7, undefined, 'CN'] as unknown as string[], hts: [] },
    ];
    for (const e of variants) expect(versionHashOf(e)).toBe(joined(e));
  });

  it('generated traffic, the certification inputs and the shared corpus', async () => {
    let events = 0;
    for (const ic of [
      ...(await generatedInterchanges(join(scratch, 'traffic'), 31, 1000)),
      ...(await certificationAndCorpusInterchanges()),
    ])
      for (const e of ic) {
        expect(versionHashOf(e)).toBe(joined(e));
        events++;
      }
    expect(events).toBeGreaterThan(1000);
  });
});
