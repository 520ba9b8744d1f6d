/** The events of every interchange of the inputs in `dir`, read and normalized in process as the replay's ingest thread does. */
import { ingestInProcess } from '../../../src/app/ingest-files.js';
import { listInputs } from '../../../src/app/list-inputs.js';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';

export async function interchangesOf(dir: string, rates: object): Promise<ShipmentEvent[][]> {
  const out: ShipmentEvent[][] = [];
  const listing = await listInputs([dir]);
  await ingestInProcess(
    listing.files,
    { strict: false, maxBytes: 2 ** 31, normalize: { rates } as never },
    {
      interchange: (_input, ic) => {
        if (ic.events.length > 0) out.push(ic.events);
      },
      file: () => {},
    },
  );
  return out;
}
