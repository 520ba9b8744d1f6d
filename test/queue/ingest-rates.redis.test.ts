/**
 * The configured currency rate table reaches the ingest workers: `resolveQueueRuntime` reads
 * `currency.rateTablePath` from the config file into the worker settings, and an ingest worker
 * started with those settings (and no normalizers of its own) converts foreign amounts exactly as
 * the embedded pipeline does with the same table. Without the table, the same inputs lose their
 * foreign-currency shipments (rejected), so the test tells the two apart.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENCIES } from '../../bench/traffic/catalog.js';
import { queueTopology } from '../../src/adapters/queue/queue-topology.js';
import { ingestFile } from '../../src/app/ingest-file.js';
import { defaultNormalizers, loadRateTable } from '../../src/app/normalizers.js';
import type { PartJobData } from '../../src/app/queue/job-data.js';
import { resolveQueueRuntime } from '../../src/app/queue/runtime-config.js';
import type { WorkerSettings } from '../../src/app/queue/worker-settings.js';
import type { RateTable } from '../../src/core/money/rate-table.js';
import { startIngestWorker } from '../../workers/ingest.js';
import { type RedisTestServer, startRedisServer } from '../support/redis-server.js';
import { testSettings } from './support/queue-fixture.js';
import { enqueueAll, MAX_BYTES, type TrafficFiles, writeTrafficFiles } from './support/traffic-run.js';

let server: RedisTestServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Events per bill key over every part the ingest worker produced for the traffic. */
async function ingestWith(settings: WorkerSettings, traffic: TrafficFiles): Promise<Map<string, number>> {
  const lastSeq = await enqueueAll(traffic, server.url, settings.queueName, settings.bullPrefix);
  const worker = await startIngestWorker({ settings, ingest: { strict: false, maxBytes: MAX_BYTES } });
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  const parts = new Queue<PartJobData>(queueTopology(settings.queueName).aggregate, {
    connection: client,
    prefix: settings.bullPrefix,
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const data = (await parts.getJobs(['waiting'], 0, 10_000)).map((j) => j.data);
      if (new Set(data.filter((p) => p.last).map((p) => p.seq)).size === lastSeq) return countByBill(data);
      if (Date.now() > deadline) throw new Error('ingest did not finish within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await worker.close();
    await parts.close();
    await client.quit();
  }
}

function countByBill(parts: readonly PartJobData[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of parts)
    for (const ic of p.interchanges)
      for (const ev of ic.events)
        out.set(`${ev.kind}:${ev.bill.key}`, (out.get(`${ev.kind}:${ev.bill.key}`) ?? 0) + 1);
  return out;
}

async function embeddedCounts(traffic: TrafficFiles, rates: RateTable): Promise<Map<string, number>> {
  const normalizers = defaultNormalizers({ rates });
  const out = new Map<string, number>();
  for (const f of traffic.files) {
    await ingestFile(f.path, f.name, { strict: false, maxBytes: MAX_BYTES, normalizers }, (ic) => {
      if (!ic.ok) return;
      for (const ev of ic.events)
        out.set(`${ev.kind}:${ev.bill.key}`, (out.get(`${ev.kind}:${ev.bill.key}`) ?? 0) + 1);
    });
  }
  return out;
}

describe('ingest workers and the configured rate table', () => {
  it('config currency.rateTablePath → worker settings → ingest normalizers, as embedded with the same table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-rates-'));
    const table: Record<string, unknown> = { _source: 'the traffic generator currencies' };
    for (const [code, usd] of CURRENCIES) table[code] = [{ from: '2000-01-01', usdPerUnit: String(usd) }];
    writeFileSync(join(dir, 'rates.json'), JSON.stringify(table));
    writeFileSync(
      join(dir, 's321.json'),
      JSON.stringify({ dataDir: 'data', currency: { rateTablePath: 'rates.json' } }),
    );

    const runtime = await resolveQueueRuntime(
      { config: join(dir, 's321.json'), redisUrl: server.url, queue: 'rates-on' },
      {},
    );
    const rates = await loadRateTable(join(dir, 'rates.json'));
    expect(runtime.settings.rates).toEqual(rates);
    expect(Object.keys(rates).length).toBe(CURRENCIES.length);
    // Without a table anywhere, the settings carry none (USD only).
    const bare = await resolveQueueRuntime({ redisUrl: server.url, queue: 'rates-off' }, {});
    expect(bare.settings.rates).toBeUndefined();
    // S321_RATE_TABLE names the table when there is no config file.
    const fromEnv = await resolveQueueRuntime(
      { redisUrl: server.url, queue: 'rates-env' },
      { S321_RATE_TABLE: join(dir, 'rates.json') },
    );
    expect(fromEnv.settings.rates).toEqual(rates);

    const traffic = writeTrafficFiles({
      seed: 77,
      shipments: 1_200,
      interchangeSize: [20, 80],
      interchangesPerFile: [1, 2],
      foreignCurrency: true,
    });
    const withRates = await ingestWith(
      testSettings(server.url, 'rates-on', {
        ...(runtime.settings.rates ? { rates: runtime.settings.rates } : {}),
      }),
      traffic,
    );
    const withoutRates = await ingestWith(testSettings(server.url, 'rates-off'), traffic);
    const reference = await embeddedCounts(traffic, rates);

    expect(withRates).toEqual(reference);
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    // The generated traffic has foreign-currency shipments: without the table they do not come through.
    expect(total(withoutRates)).toBeLessThan(total(withRates));
  }, 120_000);
});
