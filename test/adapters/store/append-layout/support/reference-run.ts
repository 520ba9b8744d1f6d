/**
 * The reference the append layout's tests compare with: batches applied by the application's batch
 * use case to the memory store (the same core over plain maps; the store contract suite holds it to
 * the same behaviour as the SQLite store), or to another store given (e.g. SQLite on a file), one
 * interchange per batch. Closes the store.
 */
import { MemoryDecisionStore } from '../../../../../src/adapters/store/memory-store.js';
import { applyBatch } from '../../../../../src/app/apply-batch.js';
import type { Decision } from '../../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../../../../src/core/rules/defaults.js';
import type { DecisionStore, PersonDayReport } from '../../../../../src/ports/decision-store.js';

const config = aggregationConfig();

export async function referenceRun(
  batches: ShipmentEvent[][],
  store: DecisionStore = new MemoryDecisionStore(),
): Promise<{ decisions: Decision[]; personDays: PersonDayReport[] }> {
  const out: Decision[] = [];
  try {
    for (const [i, events] of batches.entries()) {
      const r = await applyBatch(
        store,
        [{ sender: 'S', controlNumber: String(i), fingerprint: `f${i}`, file: 'x', events }],
        config,
      );
      out.push(...r.decisions);
    }
    return { decisions: out, personDays: await store.personDays() };
  } finally {
    await store.close();
  }
}
