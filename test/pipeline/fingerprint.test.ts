/**
 * The interchange fingerprint fed field by field (`FingerprintBuilder.addEvent`) equals the hash of
 * the fields joined into one text (`eventFingerprintText`, what it hashed before): the fingerprint
 * is a duplicate-interchange key stored beside every interchange, so it must not move.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { eventFingerprintText, FingerprintBuilder } from '../../src/core/pipeline/fingerprint.js';
import {
  certificationAndCorpusInterchanges,
  generatedInterchanges,
} from '../replay/support/interchanges-of.js';
import { arbitraryEvent } from '../support/arbitrary-event.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-fingerprint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fieldByField(events: readonly ShipmentEvent[]): string {
  const fp = new FingerprintBuilder();
  fp.add('SENDER');
  fp.add('000000001');
  for (const e of events) fp.addEvent(e);
  return fp.digest();
}

function joined(events: readonly ShipmentEvent[]): string {
  const fp = new FingerprintBuilder();
  fp.add('SENDER');
  fp.add('000000001');
  for (const e of events) fp.add(eventFingerprintText(e));
  return fp.digest();
}

describe('interchange fingerprint', () => {
  it('fed field by field equals the hash of the joined text (fast-check events, optional fields present or not)', () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 8 }), (events) => {
        expect(fieldByField(events)).toBe(joined(events));
      }),
      { numRuns: 500 },
    );
  });

  it('fields read from JSON (null for an absent optional) hash as absent, as the template did', () => {
    const e = JSON.parse(
      '{"kind":"status","bill":{"key":"A/1"},"mode":"air","shipmentType":"S321","source":{"messageRef":"7"},"consigneeKey":null,"value":null,"eda":null,"arrivalDate":null,"arrivalTime":null,"disposition":null,"origins":[],"hts":[]}',
    ) as ShipmentEvent;
    expect(fieldByField([e])).toBe(joined([e]));
  });

  it('cents written digit by digit read as String(cents): 0, powers of ten, 2^53 − 1, and the numbers String writes otherwise', () => {
    const [a] = fc.sample(arbitraryEvent, { numRuns: 1, seed: 7 }) as [ShipmentEvent];
    const cents = [
      0,
      1,
      9,
      10,
      99,
      100,
      1_000_000,
      123_456_789,
      2 ** 31,
      2 ** 32 + 7,
      10 ** 15,
      9_999_999_999_999,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      1e21,
      -1,
      -120,
      -0,
      12.5,
      Number.NaN,
    ];
    for (const usdCents of cents) {
      const e: ShipmentEvent = { ...a, value: { usdCents, amount: '1.00', currency: 'USD' } };
      expect(fieldByField([e]), String(usdCents)).toBe(joined([e]));
    }
    fc.assert(
      fc.property(fc.maxSafeNat(), (usdCents) => {
        const e: ShipmentEvent = { ...a, value: { usdCents, amount: '', currency: 'EUR' } };
        expect(fieldByField([e])).toBe(joined([e]));
      }),
      { numRuns: 300 },
    );
  });

  it('a field boundary moved gives another fingerprint (the separators are fed)', () => {
    const [a] = fc.sample(arbitraryEvent, { numRuns: 1, seed: 5 }) as [ShipmentEvent];
    const b: ShipmentEvent = { ...a, origins: ['AB', 'C'] };
    const c: ShipmentEvent = { ...a, origins: ['A', 'BC'] };
    expect(fieldByField([b])).not.toBe(fieldByField([c]));
  });

  it('generated traffic, the certification inputs and the shared corpus', async () => {
    let events = 0;
    for (const ic of [
      ...(await generatedInterchanges(join(scratch, 'traffic'), 29, 2000)),
      ...(await certificationAndCorpusInterchanges()),
    ]) {
      expect(fieldByField(ic)).toBe(joined(ic));
      events += ic.length;
    }
    expect(events).toBeGreaterThan(2000);
  });
});
