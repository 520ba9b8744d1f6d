/**
 * What the replay's ingest thread computes for the aggregating thread (docs/ingest-precompute.md):
 * each value an event carries across (src/app/event-transfer.ts) equals what the core computes from
 * the event itself — on generated events (fast-check), generated traffic of every format, the
 * certification inputs and the shared corpus — and the core reads the carried value (so an event
 * without one, as in queue mode or the API, is decided the same).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRates } from '../../bench/stages/stages.js';
import { writeTraffic } from '../../bench/traffic/index.js';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { decodeEvents, encodeEvents } from '../../src/app/event-transfer.js';
import {
  eventVersionHash,
  type MaybePrecomputed,
  PRECOMPUTED_VERSION_HASH,
  versionHashOf,
} from '../../src/core/aggregate/version-hash.js';
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { ev } from '../aggregate/event-builder.js';
import { arbitraryEvent } from '../support/arbitrary-event.js';
import {
  certificationAndCorpusInterchanges,
  generatedInterchanges,
  interchangesOf,
} from './support/interchanges-of.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-precomputed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hinted = (e: ShipmentEvent): string | undefined =>
  (e as ShipmentEvent & MaybePrecomputed)[PRECOMPUTED_VERSION_HASH];

/** Every decoded event carries the reference version hash exactly when the core asks for one. */
function expectHintsEqualReference(sent: readonly ShipmentEvent[]): number {
  const received = decodeEvents(encodeEvents(sent));
  let carried = 0;
  sent.forEach((original, i) => {
    const got = received[i] as ShipmentEvent;
    const hint = hinted(got);
    if (original.kind === 'declared' || original.kind === 'amended') {
      expect(hint, original.eventId).toBe(versionHashOf(original));
      // The reference over the decoded event's own fields agrees too (what the core would compute).
      expect(hint, original.eventId).toBe(versionHashOf(got));
      carried++;
    } else expect(hint, original.eventId).toBeUndefined();
    expect(eventVersionHash(got)).toBe(versionHashOf(original));
  });
  return carried;
}

describe('values the ingest thread precomputes equal the core’s', () => {
  it('generated events (fast-check): the carried version hash is versionHashOf of the event', () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { minLength: 1, maxLength: 20 }), (events) => {
        expectHintsEqualReference(events);
      }),
      { numRuns: 300 },
    );
  });

  it('generated traffic (X12 and EDIFACT, every kind)', async () => {
    let carried = 0;
    for (const events of await generatedInterchanges(join(scratch, 'traffic'), 23, 3000))
      carried += expectHintsEqualReference(events);
    expect(carried).toBeGreaterThan(2000);
  });

  it('certification inputs and the shared corpus', async () => {
    let carried = 0;
    for (const events of await certificationAndCorpusInterchanges())
      carried += expectHintsEqualReference(events);
    expect(carried).toBeGreaterThan(0);
  });
});

describe('the core reads a carried version hash', () => {
  const config = aggregationConfig();
  const batch = (events: ShipmentEvent[], n: number) => ({
    sender: 'S',
    controlNumber: String(n),
    fingerprint: `fp${n}`,
    file: 'f',
    events,
  });

  it('an amendment carrying its predecessor’s version hash is a repeat; without it, it crosses', async () => {
    const first = ev({ bill: 'B1', cents: 50_000 });
    const amendment = (): ShipmentEvent => ev({ bill: 'B1', cents: 90_000, kind: 'amended' });
    // Control: the amendment as sent (no hint) is a new version over the threshold.
    const control = new MemoryDecisionStore();
    await applyBatch(control, [batch([first], 1)], config);
    expect((await applyBatch(control, [batch([amendment()], 2)], config)).decisions.length).toBeGreaterThan(
      0,
    );
    // The same amendment claiming the first version's hash: the core takes the hint at its word
    // (which is why only the ingest thread can set one: JSON cannot carry a symbol key).
    const store = new MemoryDecisionStore();
    await applyBatch(store, [batch([first], 1)], config);
    const carrying = Object.assign(amendment(), { [PRECOMPUTED_VERSION_HASH]: versionHashOf(first) });
    expect((await applyBatch(store, [batch([carrying], 2)], config)).decisions).toEqual([]);
  });

  it('a replayed batch decides the same with the hints as without them', async () => {
    const dir = join(scratch, 'traffic-decide');
    writeTraffic(dir, { seed: 5, shipments: 1500, interchangeSize: [100, 200], interchangesPerFile: [1, 2] });
    const interchanges = await interchangesOf(dir, benchRates());
    const plain = new MemoryDecisionStore();
    const received = new MemoryDecisionStore();
    const plainDecisions: unknown[] = [];
    const receivedDecisions: unknown[] = [];
    for (const [n, events] of interchanges.entries()) {
      plainDecisions.push(...(await applyBatch(plain, [batch(events, n)], config)).decisions);
      const decoded = decodeEvents(encodeEvents(events));
      expect(
        decoded.some((e) => hinted(e) !== undefined) ||
          events.every((e) => e.kind === 'status' || e.kind === 'deleted'),
      ).toBe(true);
      receivedDecisions.push(...(await applyBatch(received, [batch(decoded, n)], config)).decisions);
    }
    expect(plainDecisions.length).toBeGreaterThan(0);
    expect(JSON.stringify(receivedDecisions)).toBe(JSON.stringify(plainDecisions));
  });
});
