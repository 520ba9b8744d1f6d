/** The events of every interchange of the inputs in `dir`, read and normalized in process as the replay's ingest thread does. */
import { benchRates } from '../../../bench/stages/stages.js';
import { writeTraffic } from '../../../bench/traffic/index.js';
import { ingestInProcess } from '../../../src/app/ingest-files.js';
import { listInputs } from '../../../src/app/list-inputs.js';
import { loadRateTable } from '../../../src/app/normalizers.js';
import type { ShipmentEvent } from '../../../src/core/model/shipment-event.js';
import { CORPUS_DIR } from '../../x12/corpus-helper.js';

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

/**
 * The interchanges of seeded bench traffic written into `dir` (X12 and EDIFACT, every mode, every
 * kind of event, 100–300 shipments per interchange, 1–3 interchanges per file), with the bench's rates.
 */
export async function generatedInterchanges(
  dir: string,
  seed: number,
  shipments: number,
): Promise<ShipmentEvent[][]> {
  writeTraffic(dir, { seed, shipments, interchangeSize: [100, 300], interchangesPerFile: [1, 3] });
  return interchangesOf(dir, benchRates());
}

/** The interchanges of inputs this project did not generate: the certification fixtures, then the shared corpus. */
export async function certificationAndCorpusInterchanges(): Promise<ShipmentEvent[][]> {
  const rates = await loadRateTable('config/currency-rates.json');
  return [...(await interchangesOf('fixtures/replay', rates)), ...(await interchangesOf(CORPUS_DIR, rates))];
}
