/**
 * What the API tests share: a day of truck traffic replayed (real EDI through the real replay) into
 * a SQLite file, and an API server over a store listening on 127.0.0.1:0.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerApiRoutes } from '../../../src/adapters/http/api-routes.js';
import { createHttpServer, type HttpServer } from '../../../src/adapters/http/http-server.js';
import { type ApiStore, createApiService } from '../../../src/app/api-service.js';
import { runReplay } from '../../../src/app/replay.js';
import { createLogger } from '../../../src/config/logger.js';
import { aggregationConfig } from '../../../src/core/rules/defaults.js';
import { type ManifestBill, truck309 } from '../../report/manifest.js';

export const DAY = '2025-06-10';
const doeAt = { street: '12 ELM ST', city: 'BOSTON', state: 'MA', postal: '02110' };

/**
 * ACME (by EIN) $500 + $450.25 on the day: exceeded, both notified. JANE DOE $300 + $250: $550, under.
 * (truck309: carrier ACME, so the bills are `ACME/<scn>`.)
 */
export const DAY_BILLS: ManifestBill[] = [
  {
    scn: 'API001',
    name: 'ACME IMPORTS',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '500.00',
    id: ['24', '105541071'],
  },
  {
    scn: 'API002',
    name: 'ACME IMPORTS LLC',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '450.25',
    id: ['24', '105541071'],
  },
  { scn: 'API003', name: 'JANE DOE', ...doeAt, value: '300.00' },
  { scn: 'API004', name: 'JANE DOE', ...doeAt, value: '250.00' },
];

export async function replayDay(
  dir: string,
  bills: readonly ManifestBill[] = DAY_BILLS,
  icn = 501,
): Promise<string> {
  const input = join(dir, `in-${icn}`);
  mkdirSync(input, { recursive: true });
  writeFileSync(join(input, `day-${icn}.edi`), truck309(icn, DAY, bills));
  const db = join(dir, 's.db');
  const summary = await runReplay({
    inputs: [input],
    dbPath: db,
    outDir: join(dir, 'out'),
    now: `${DAY}T18:00`,
  });
  if (summary.interchangesRejected !== 0) throw new Error('fixture interchange rejected');
  return db;
}

/** SHA-256 of the database file and its WAL (what "writes nothing" is checked against). */
export function storeBytes(db: string): string {
  const h = createHash('sha256');
  for (const f of [db, `${db}-wal`]) h.update(existsSync(f) ? readFileSync(f) : Buffer.alloc(0));
  return h.digest('hex');
}

export async function startApi(
  store: ApiStore,
  options: { token?: string } = {},
): Promise<{ url: string; server: HttpServer }> {
  const server = createHttpServer({ port: 0, logger: createLogger({ level: 'silent' }), ...options });
  registerApiRoutes(server.app, createApiService(store, { aggregation: aggregationConfig() }));
  const { url } = await server.listen();
  return { url, server };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { answers?: unknown[] },
  };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
